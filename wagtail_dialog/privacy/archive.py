"""The archive export of a dialog (arkivexport): everything the dialog holds,
taken before personal data in it is anonymised (gallring) and registered or
handed to the archive, as Swedish archive law asks of public records.

Three files of one dialog, each written in the dialog's own language:

- XLSX and CSV: every contribution in every status, with every stored field,
  personal data and internal notes included (``exports.every_column`` with the
  staff who handled each one), neutralised against formula injection like
  every export;
- PDF: a printable record of the dialog page (question, purpose, level, what is
  open and what is fixed, who decides, the gate, decision and feedback)
  followed by every contribution with its reference, date, status, author and
  reply.

Every export taken is recorded in the dialog page's history (``record``), so
staff can see that one was made before anonymising.
"""

import html
import os
import re
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.formats import date_format, number_format
from django.utils.html import strip_tags
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from wagtail_dialog.contributions import ContributionStatus, exports, get_contribution_model
from wagtail_dialog.dialogs.gate import GATE_QUESTIONS
from wagtail_dialog.methods.registry import methods

LOG_ACTION = "wagtail_dialog.archive_export"

#: The formats, with their content types.
FORMATS = {
    "xlsx": exports.XLSX_CONTENT_TYPE,
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}

FORMAT_NAMES = {"xlsx": "XLSX", "csv": "CSV", "pdf": "PDF"}


class ArchiveExportLog(LogFormatter):
    """The history's line for an archive export: which format, and how many contributions it held."""

    label = _("Archive export taken")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        export_format = FORMAT_NAMES.get(data.get("format"), data.get("format") or "")
        count = data.get("contributions", 0)
        return ngettext(
            "Archive export taken (%(format)s, %(count)d contribution)",
            "Archive export taken (%(format)s, %(count)d contributions)",
            count,
        ) % {"format": export_format, "count": count}


def language(dialog):
    """The language the archive of ``dialog`` is written in: the page's own, where the site has it."""
    code = getattr(getattr(dialog, "locale", None), "language_code", "") or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE


def contributions(dialog):
    """Every contribution to ``dialog``, whatever its status, the first sent first."""
    return get_contribution_model()._default_manager.filter(dialog=dialog).order_by("submitted_at", "pk")


def counts(dialog):
    """``{status: number}`` of the dialog's contributions."""
    rows = contributions(dialog).order_by().values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def columns(model=None):
    """The spreadsheet columns: every field of the contribution, and who handled it."""
    return exports.every_column(model or get_contribution_model(), staff=True)


def filename(dialog, export_format, day=None):
    """``arkiv-<slug>-<date>.<format>``: ASCII, so every mail program and file system keeps it."""
    day = day or timezone.localdate()
    slug = slugify(dialog.slug) or str(dialog.pk)
    return f"arkiv-{slug}-{day:%Y-%m-%d}.{export_format}"


def write(dialog, export_format, output, taken_by=None):
    """Write the archive export of ``dialog`` in ``export_format`` to ``output`` (a binary file)."""
    if export_format not in FORMATS:
        raise ValueError(f"Unknown archive format {export_format!r}: use one of {', '.join(FORMATS)}.")
    if export_format == "pdf":
        write_pdf(dialog, output, taken_by=taken_by)
    else:
        {"xlsx": write_xlsx, "csv": write_csv}[export_format](dialog, output)


def write_xlsx(dialog, output):
    with translation.override(language(dialog)):
        # Then a sheet per survey (or other way to take part) below the dialog: methods.registry.
        extra = [sheet for method in methods() for sheet in method.archive_sheets(dialog)]
        exports.write_xlsx(contributions(dialog), columns(), output, title=gettext("Contributions"),
                           extra_sheets=extra)


def write_csv(dialog, output):
    with translation.override(language(dialog)):
        for block in exports.stream_csv(contributions(dialog), columns()):
            output.write(block)


def record(dialog, user, export_format):
    """Record in the dialog page's history that an archive export was taken."""
    from wagtail.log_actions import log

    count = contributions(dialog).count()
    return log(instance=dialog, action=LOG_ACTION, user=user,
               data={"format": export_format, "contributions": count})


# The PDF ---------------------------------------------------------------------

#: TrueType fonts tried in turn, (regular, bold): DejaVu Sans where the server has
#: it (Debian's and Ubuntu's fonts-dejavu-core, Fedora's and Alpine's packages),
#: for its wide coverage (Sami, Finnish, Polish, Cyrillic, Greek…); otherwise
#: Bitstream Vera, which reportlab ships, for Latin-1 text. A character the
#: font lacks prints as an empty box: the spreadsheets keep the exact text.
FONT_CANDIDATES = [
    (f"{folder}/DejaVuSans.ttf", f"{folder}/DejaVuSans-Bold.ttf")
    for folder in (
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu-sans-fonts",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
    )
]


#: The longest title the footer of each page repeats in full.
FOOTER_TITLE_LENGTH = 60

#: What a PDF paragraph cannot hold: control characters other than tab and line
#: breaks, lone surrogates, and the noncharacters U+FFFE and U+FFFF.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _font_files():
    for regular, bold in FONT_CANDIDATES:
        if os.path.isfile(regular) and os.path.isfile(bold):
            return regular, bold
    import reportlab

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return os.path.join(folder, "Vera.ttf"), os.path.join(folder, "VeraBd.ttf")


def _register_fonts():
    """The names of the regular and bold fonts, registered with reportlab once per process and file."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = _font_files()
    names = tuple(f"WagtailDialog-{os.path.splitext(os.path.basename(path))[0]}" for path in (regular, bold))
    if names[0] not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(names[0], regular))
        pdfmetrics.registerFont(TTFont(names[1], bold))
        # <b> in a paragraph picks the bold face; there is no italic in the record.
        for is_bold, is_italic, name in ((0, 0, names[0]), (1, 0, names[1]), (0, 1, names[0]), (1, 1, names[1])):
            addMapping(names[0], is_bold, is_italic, name)
    return names


def _clean(text):
    return _UNPRINTABLE.sub("", force_str(text))


def _markup(text):
    """Plain text as paragraph markup: escaped, its line breaks kept."""
    text = escape(_clean(text)).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "<br/>")


def _plain(rich_text):
    """A rich text field's HTML as plain text, its paragraphs and list items on lines of their own."""
    text = re.sub(r"(?i)</(p|li|h[1-6])>|<br\s*/?>", "\n", rich_text or "")
    return html.unescape(strip_tags(text)).strip()


def _day(value):
    return date_format(value, "j F Y") if value else ""


def _moment(value):
    return date_format(timezone.localtime(value), "j F Y H:i") if value else ""


def _styles(font, bold):
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, spaceAfter=4)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=22, spaceAfter=8),
        "section": ParagraphStyle(
            "section", parent=body, fontName=bold, fontSize=14, leading=18, spaceBefore=14, spaceAfter=6,
            keepWithNext=1,
        ),
        "label": ParagraphStyle("label", parent=body, fontName=bold, spaceBefore=4, spaceAfter=0, keepWithNext=1),
        "contribution": ParagraphStyle(
            "contribution", parent=body, fontName=bold, fontSize=11, leading=15, spaceBefore=10, keepWithNext=1,
        ),
        "meta": ParagraphStyle("meta", parent=body, fontSize=9, leading=12, spaceAfter=2, keepWithNext=1),
        "body": body,
    }


class _Record:
    """The story of the PDF, built up paragraph by paragraph."""

    def __init__(self, styles):
        self.styles = styles
        self.story = []

    def add(self, style, markup):
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(markup, self.styles[style]))

    def text(self, style, text):
        self.add(style, _markup(text))

    def field(self, label, value):
        """A label and its value, when there is a value."""
        value = force_str(value).strip() if value is not None else ""
        if value:
            self.text("label", capfirst(force_str(label)))
            self.text("body", value)

    def facts(self, style, pairs):
        """``label: value`` pairs on one line, those with a value."""
        parts = [
            f"<b>{_markup(capfirst(force_str(label)))}:</b> {_markup(value)}" for label, value in pairs if value
        ]
        if parts:
            self.add(style, " · ".join(parts))

    def rule(self):
        from reportlab.lib import colors
        from reportlab.platypus import HRFlowable

        self.story.append(HRFlowable(width="100%", thickness=0.5, color=colors.grey, spaceBefore=6, spaceAfter=2))


def _joined(first, then, separator=": "):
    """``first``, and ``then`` after ``separator`` when there is one."""
    return f"{first}{separator}{then}" if then else first


def _label(instance, name):
    return instance._meta.get_field(name).verbose_name


def _dialog_part(record, dialog):
    page = lambda name: _label(dialog, name)  # noqa: E731
    record.add("section", _markup(gettext("The dialog")))
    record.field(page("question"), dialog.question)
    record.field(page("purpose"), dialog.purpose)
    record.field(page("dialog_type"), dialog.get_dialog_type_display())
    record.field(page("participation_level"), dialog.get_participation_level_display())
    record.field(page("background"), _plain(dialog.background))
    record.field(page("scope_open"), dialog.scope_open)
    fixed = [_joined(limit.sentence, limit.explanation, " ") for limit in dialog.scope_limits.all()]
    record.field(_label(dialog.scope_limits.model, "fixed"), "\n".join(fixed))
    record.field(page("decision_body"), dialog.decision_body or "")
    record.field(page("case_number"), dialog.case_number)
    record.field(page("representatives"), dialog.representatives)
    record.facts("body", [
        (page("opens_on"), _day(dialog.opens_on)),
        (page("closes_on"), _day(dialog.closes_on)),
        (page("decision_expected_on"), _day(dialog.decision_expected_on)),
        (page("feedback_due_on"), _day(dialog.feedback_due_on)),
    ])
    record.field(page("other_ways"), dialog.other_ways)
    record.field(page("other_ways_until"), _day(dialog.other_ways_until))
    record.field(page("result_use"), dialog.result_use)
    record.field(page("feedback_method"), dialog.feedback_method)
    groups = [_joined(group.name, group.how_reached) for group in dialog.target_groups.all()]
    record.field(gettext("Target groups"), "\n".join(groups))
    methods = [_joined(method.name, method.description) for method in dialog.methods.all()]
    record.field(gettext("Methods"), "\n".join(methods))
    answers = []
    for question in GATE_QUESTIONS:
        answer = getattr(dialog, f"get_{question.field}_display")()
        if answer:
            motivation = getattr(dialog, f"{question.field}_motivation", "")
            answers.append(_joined(f"{question.text} {answer}.", motivation, " "))
    record.field(gettext("Gate criteria"), "\n".join(answers))


def _decision_part(record, dialog):
    page = lambda name: _label(dialog, name)  # noqa: E731
    pairs = [
        (block.value.get("heading") or "", block.value.get("intro") or "", block.value.get("pairs") or [])
        for block in dialog.feedback_pairs
    ]
    if not (dialog.decided_on or dialog.decision_summary or dialog.feedback_published_on or dialog.feedback_summary
            or dialog.participation_effect or pairs):
        return
    record.add("section", _markup(gettext("Decision and feedback")))
    record.field(page("decided_on"), _day(dialog.decided_on))
    record.field(page("decision_summary"), dialog.decision_summary)
    record.field(page("minutes_url"), dialog.minutes_url)
    record.field(page("feedback_published_on"), _day(dialog.feedback_published_on))
    record.field(page("feedback_summary"), dialog.feedback_summary)
    record.field(page("participation_effect"), dialog.participation_effect)
    record.field(page("participant_count"), dialog.participant_count)
    for heading, intro, items in pairs:
        lines = [intro] if intro else []
        lines += [f"{gettext('You said')}: {item['you_said']}\n{gettext('We did')}: {item['we_did']}" for item in items]
        record.field(heading or gettext("You said – we did"), "\n\n".join(lines))


def _contribution_part(record, dialog, count):
    model = get_contribution_model()
    field = lambda name: _label(model, name)  # noqa: E731
    record.add("section", _markup(
        ngettext("%(count)d contribution", "%(count)d contributions", count) % {"count": count}
    ))
    if not count:
        record.text("body", gettext("No contributions were sent to this dialog."))
        return
    queryset = contributions(dialog)
    has_tags = hasattr(model, "tags")
    if has_tags:
        queryset = queryset.prefetch_related("tags")
    for contribution in queryset.iterator(chunk_size=exports.CHUNK_SIZE):
        record.rule()
        record.text("contribution", " · ".join([
            contribution.reference, _moment(contribution.submitted_at), contribution.get_status_display(),
        ]))
        record.facts("meta", [
            (field("name"), contribution.name),
            (field("email"), contribution.email),
            (field("channel"), contribution.get_channel_display()),
            (field("relation"), contribution.get_relation_display() if contribution.relation else ""),
            (field("area"), contribution.area),
        ])
        if contribution.place or contribution.estimated_cost is not None or contribution.feasibility:
            record.facts("meta", [
                (field("place"), contribution.place),
                (field("estimated_cost"), _kronor(contribution.estimated_cost)),
                (field("feasibility"), contribution.get_feasibility_display() if contribution.feasibility else ""),
                (field("assessed_cost"), _kronor(contribution.assessed_cost)),
            ])
        record.facts("meta", [
            (gettext("Tags"), ", ".join(sorted(tag.name for tag in contribution.tags.all())) if has_tags else ""),
            (field("moderation_reason"),
             contribution.get_moderation_reason_display() if contribution.moderation_reason else ""),
            (field("anonymised_at"), _moment(contribution.anonymised_at)),
        ])
        record.text("body", contribution.text)
        record.field(field("feasibility_reason"), contribution.feasibility_reason)
        if contribution.reply.strip():
            signed = ", ".join(filter(None, (contribution.reply_signature, _moment(contribution.replied_at))))
            record.field(_joined(force_str(field("reply")), f"({signed})" if signed else "", " "), contribution.reply)
        record.field(field("message_to_author"), contribution.message_to_author)
        record.field(field("moderator_note"), contribution.moderator_note)


def _kronor(amount):
    return "" if amount is None else number_format(amount, decimal_pos=0, force_grouping=True)


def write_pdf(dialog, output, taken_by=None, taken_at=None):
    """The printable record of ``dialog``: the page, then every contribution, on A4."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate
    from wagtail.admin.utils import get_user_display_name

    font, bold = _register_fonts()
    taken_at = taken_at or timezone.now()
    code = language(dialog)
    with translation.override(code):
        record = _Record(_styles(font, bold))
        title = _clean(dialog.title)
        record.text("title", title)
        taken = gettext("Archive export taken %(when)s") % {"when": _moment(taken_at)}
        if taken_by is not None:
            taken = gettext("Archive export taken %(when)s by %(user)s") % {
                "when": _moment(taken_at), "user": get_user_display_name(taken_by)}
        record.text("meta", taken)
        if dialog.full_url:
            record.text("meta", dialog.full_url)
        number = counts(dialog)
        total = sum(number.values())
        record.text("meta", ", ".join(
            f"{label}: {number.get(value, 0)}" for value, label in ContributionStatus.choices
        ))
        _dialog_part(record, dialog)
        _decision_part(record, dialog)
        _contribution_part(record, dialog, total)

        # Room beside the page number on one line: a long title is shortened here, not in the heading.
        short_title = title if len(title) <= FOOTER_TITLE_LENGTH else title[: FOOTER_TITLE_LENGTH - 1] + "…"
        footer = f"{short_title} – {gettext('Archive export')} {_day(timezone.localtime(taken_at).date())}"
        page_label = gettext("Page %(number)d")

        def draw_footer(canvas, document):
            canvas.saveState()
            canvas.setFont(font, 8)
            canvas.drawString(document.leftMargin, 10 * mm, footer)
            canvas.drawRightString(document.pagesize[0] - document.rightMargin, 10 * mm,
                                   page_label % {"number": document.page})
            canvas.restoreState()

        site = dialog.get_site()
        document = SimpleDocTemplate(
            output, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
            title=title, subject=gettext("Archive export"), author=_clean(site.site_name) if site else "",
            creator="wagtail-dialog", lang=code,
        )
        document.build(record.story, onFirstPage=draw_footer, onLaterPages=draw_footer)
