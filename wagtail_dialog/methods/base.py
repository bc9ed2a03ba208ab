"""What every way of taking part is: a Wagtail page below a dialog page.

Living in the page tree gives a method its own address, drafts, publishing,
history and the dialog's permissions. Here is what they share: the dates
(the dialog's unless narrowed, never outside them), the lowest ladder step the
method fits (checked when it is published), and the slugs a dialog keeps for
its own sub-pages.
"""

from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from wagtail_dialog.dialogs.levels import ParticipationLevel, describe, reaches
from wagtail_dialog.methods.registry import methods

#: A dialog's own sub-pages (RoutablePageMixin routes them before its children): no method may take these slugs.
RESERVED_SLUGS = frozenset({"receipt", "survey", "privacy", "unsubscribe", "contributions"})


class MethodPageForm(WagtailAdminPageForm):
    """Refuses, when publishing, a method the dialog's ladder step does not allow,
    and dates outside the dialog's, saying why in words an editor knows."""

    def clean(self):
        cleaned = super().clean()
        dialog = self.parent_page.specific if self.parent_page is not None else None
        model = self._meta.model
        if dialog is None or not hasattr(dialog, "participation_level"):
            return cleaned
        if not self.is_deferred_validation and not reaches(dialog.participation_level, model.lowest_level):
            self.add_error(None, level_refusal(model, dialog))
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and dialog.opens_on and opens_on < dialog.opens_on:
            self.add_error("opens_on", _("The dialogue opens on %(date)s: a way to take part cannot open before it.")
                           % {"date": dialog.opens_on.isoformat()})
        if closes_on and dialog.closes_on and closes_on > dialog.closes_on:
            self.add_error("closes_on", _("The dialogue closes on %(date)s: a way to take part cannot stay open "
                                          "after it.") % {"date": dialog.closes_on.isoformat()})
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date cannot be before the opening date."))
        elif closes_on and not opens_on and dialog.opens_on and closes_on < dialog.opens_on:
            self.add_error("closes_on", _("The dialogue opens on %(date)s: a way to take part cannot close before "
                                          "it.") % {"date": dialog.opens_on.isoformat()})
        if cleaned.get("slug") in RESERVED_SLUGS:
            self.add_error("slug", _("The dialogue's own pages use this address. Choose another slug."))
        return cleaned


def level_refusal(model, dialog):
    """Why ``model`` cannot be offered in ``dialog``: the step it needs and the dialog's."""
    needed = describe(model.lowest_level)
    current = describe(dialog.participation_level)
    return _(
        "%(method)s needs the participation level %(needed)s or higher; this dialogue is at %(current)s. "
        "Raise the dialogue's level (if the decision body has agreed to it) or choose another way to take part."
    ) % {
        "method": str(model._meta.verbose_name).capitalize(),
        "needed": needed.label,
        "current": current.label if current else _("no level yet"),
    }


class MethodPage(Page):
    """A way of taking part below a dialog page. Concrete, so that a dialog's
    methods of every kind are read in one query; each kind is a subclass."""

    summary = models.CharField(
        _("summary"),
        max_length=255,
        blank=True,
        help_text=_("One sentence on what residents do here, shown in the dialogue's list of ways to take part."),
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True, help_text=_("Empty: when the dialogue opens."))
    closes_on = models.DateField(
        _("closes on"), null=True, blank=True, help_text=_("Empty: when the dialogue closes. Never after it.")
    )

    #: The lowest step of the ladder the method fits; each kind sets its own.
    lowest_level = ParticipationLevel.CONSULTATION
    #: What the open data calls this kind of method; each kind sets its own.
    method_name = ""
    is_creatable = False
    parent_page_types = ["wagtail_dialog.DialogPage"]
    subpage_types = []
    base_form_class = MethodPageForm

    date_panels = [
        FieldPanel("summary"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")])], heading=_("Dates")),
    ]

    class Meta:
        verbose_name = _("way to take part")
        verbose_name_plural = _("ways to take part")

    @property
    def dialog(self):
        """The dialog page above (one query, then kept)."""
        if not hasattr(self, "_dialog"):
            # Its parent is a dialog page (parent_page_types): read as one, not as a page and then its kind.
            model = apps.get_model(self.parent_page_types[0])
            dialog = next(iter(model.objects.defer(*getattr(model, "fields_ways_leave_out", ())).filter(
                path=self.path[: -self.steplen]).order_by()), None)
            if dialog is None:  # moved below another kind of page by hand: whatever it is
                parent = self.get_parent()
                dialog = parent.specific if parent is not None else None
            self._dialog = dialog
        return self._dialog

    def dialog_limits(self):
        """The dialog above with only what ``is_open`` and ``dates`` read (its level and dates), in a
        query much smaller than ``dialog``'s: for a resident's POST, which needs nothing else of it."""
        if hasattr(self, "_dialog"):
            return self._dialog
        model = apps.get_model(self.parent_page_types[0])
        fields = ("participation_level", "opens_on", "closes_on")
        found = next(iter(model.objects.filter(path=self.path[: -self.steplen]).order_by().values_list(*fields)),
                     None)
        return SimpleNamespace(**dict(zip(fields, found))) if found is not None else self.dialog

    @classmethod
    def annotate_ways(cls, ways):
        """Give ``ways`` (of this kind, read as MethodPage by ``ways_below``) what the list of ways
        shows of this kind beyond the common fields; one query at most. Nothing by default."""

    def dates(self, dialog=None):
        """(opens on, closes on): the method's own, or the dialog's where it has none, and
        never outside the dialog's (its dates may have moved since the method was published)."""
        dialog = dialog or self.dialog
        dialog_opens, dialog_closes = getattr(dialog, "opens_on", None), getattr(dialog, "closes_on", None)
        opens_on = max(filter(None, (self.opens_on, dialog_opens)), default=None)
        closes_on = min(filter(None, (self.closes_on, dialog_closes)), default=None)
        return opens_on, closes_on

    def is_open(self, today=None, dialog=None):
        """Whether residents can take part today: between the dates, at a level the method fits."""
        dialog = dialog or self.dialog
        if dialog is None or not reaches(dialog.participation_level, self.lowest_level):
            return False
        today = today or timezone.localdate()
        opens_on, closes_on = self.dates(dialog)
        return opens_on is not None and opens_on <= today and (closes_on is None or today <= closes_on)


def ways_below(dialogs, request=None):
    """The live ways to take part directly below each of ``dialogs``, in the
    editors' order: {dialog pk: [method page, ...]}, read in one query. Each
    carries ``kind`` (what it is), ``method_name``, ``way_dates`` (its own or
    the dialog's) and ``way_url``, worked out without a query of their own."""
    dialogs = list(dialogs)
    if not dialogs:
        return {}
    below = Q()
    for dialog in dialogs:
        below |= Q(path__startswith=dialog.path, depth=dialog.depth + 1)
    by_path = {dialog.path: dialog for dialog in dialogs}
    found = {dialog.pk: [] for dialog in dialogs}
    kinds = {}
    for way in MethodPage.objects.live().filter(below).select_related("content_type").order_by("path"):
        dialog = by_path[way.path[: -Page.steplen]]
        way._dialog = dialog
        model = way.content_type.model_class()
        way.kind = model._meta.verbose_name if model else ""
        way.method_name = getattr(model, "method_name", "")
        way.way_dates = way.dates(dialog)
        # A way whose own opening day now falls after its dialog closes never opens: it counts as closed.
        opens_on, closes_on = way.way_dates
        way.never_opens = bool(opens_on and closes_on and opens_on > closes_on)
        # Below the dialog's own address: the children's slugs, without a query each.
        way.way_url = f"{(dialog.get_url(request) or '').rstrip('/')}/{way.slug}/"
        found[dialog.pk].append(way)
        kinds.setdefault(model, []).append(way)
    for model, ways in kinds.items():
        if model is not None:
            model.annotate_ways(ways)
    return found


def _kinds():
    """{accessor from MethodPage: content type id} of each registered kind of way to take part
    that is a subclass of MethodPage itself (a kind of a kind is found with a query of its own)."""
    kinds = {}
    for method in methods():
        model = apps.get_model(method.page_model)
        link = model._meta.parents.get(MethodPage)
        if link is not None:
            kinds[link.remote_field.get_accessor_name()] = ContentType.objects.get_for_model(model).pk
    return kinds


#: Where ways to take part were found, {url_path: (content type id, pk)}: a hint, not an answer. The
#: query that reads the page checks it, so a way moved, deleted or replaced since is looked up afresh.
_FOUND = {}
_FOUND_MAX = 10_000


def _hinted(url_path):
    """The way the hint for ``url_path`` names, read as its own kind in one query, if it is still there."""
    content_type_id, pk = _FOUND.get(url_path, (None, None))
    if content_type_id is None:
        return None
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None
    if model is None or not issubclass(model, MethodPage):
        return None
    page = next(iter(model.objects.filter(pk=pk, url_path=url_path).order_by()), None)
    # Its own kind: a row of that kind's table whose content type is the one hinted.
    return page if page is not None and page.content_type_id == content_type_id else None


def way_at(url_path, depth, path):
    """The way to take part at ``url_path``, as its own kind, or None. ``depth`` and ``path`` (a
    prefix of the page's) place it in the tree, so that a page of another site with the same
    ``url_path`` is never taken. One query: the kind found there before is read straight away
    (and checked); else every kind at once (each kind's table joined to MethodPage's), where
    Wagtail's lookup and ``.specific`` take two and a query per kind would take one each."""
    page = _hinted(url_path)
    if page is not None and page.depth == depth and page.path.startswith(path):
        return page
    kinds = _kinds()
    found = MethodPage.objects.filter(url_path=url_path).order_by().select_related(*kinds)
    page = next((page for page in found if page.depth == depth and page.path.startswith(path)), None)
    if page is None:
        return None
    accessor = next((name for name, content_type in kinds.items() if content_type == page.content_type_id), None)
    page = getattr(page, accessor) if accessor else page.specific
    if len(_FOUND) >= _FOUND_MAX:
        _FOUND.clear()
    _FOUND[url_path] = (page.content_type_id, page.pk)
    return page
