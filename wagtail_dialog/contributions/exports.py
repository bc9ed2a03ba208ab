"""Contributions as CSV and XLSX, for compiling a dialog's result.

Both formats are streamed: CSV row by row as the database yields them, XLSX
from openpyxl's write-only workbook saved to a spooled temporary file (kept in
memory while small, on disk when large), so an export of many thousand
contributions never holds them all in memory.

Every text cell is neutralised against formula injection: residents write the
text, and a spreadsheet program would otherwise run a cell that starts with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a
formula. Such a cell gets a leading single quote, as OWASP recommends; invisible
formatting characters before the formula do not hide it.

Names and emails are personal data: the caller decides whether the columns are
included (``columns(personal_data=...)``), from ``permissions.can_see_personal_data``.
"""

import csv
import datetime
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

#: What a cell may start with to be taken as a formula by a spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: XLSX files are kept in memory up to this size, then spill to a temporary file.
XLSX_SPOOL_SIZE = 5 * 1024 * 1024

#: Rows fetched from the database at a time.
CHUNK_SIZE = 500

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """``value`` safe to put in a spreadsheet cell: text that would start a formula gets a leading quote.

    Invisible formatting characters (zero-width space, byte order mark, …) in
    front of the formula are looked through: a reader cannot see them, and a
    program that drops them would run what follows.
    """
    if isinstance(value, str) and _visible_start(value).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _visible_start(value):
    start = 0
    while start < len(value) and unicodedata.category(value[start]) == "Cf":
        start += 1
    return value[start:] if start else value


@dataclass(frozen=True)
class Column:
    key: str
    heading: Any  # a lazy translation, resolved when the file is written
    #: The database fields this column reads (``.values()`` names).
    fields: tuple
    #: Turns the row (a dict of those fields, plus "tags") into the cell's value.
    value: Callable[[dict], Any]
    personal: bool = False


def local_time(value, zone):
    """An aware datetime as a naive one in ``zone`` (spreadsheets have no time zones)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(zone)
    return value.replace(tzinfo=None)


def _field_heading(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def columns(model, personal_data=False):
    """The columns of an export of ``model`` (a contribution model), personal ones only when allowed.

    Choice labels are translated, and times converted, here, once: in the
    language and time zone active when this is called (the admin user's, in
    the view), not per row while the file streams out after the view returned.
    """
    zone = timezone.get_current_timezone()

    def plain(name):
        return Column(name, _field_heading(model, name), (name,), lambda row: row[name])

    def when(name):
        return Column(name, _field_heading(model, name), (name,), lambda row: local_time(row[name], zone))

    def choice(name):
        labels = {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
        return Column(name, _field_heading(model, name), (name,), lambda row: labels.get(row[name], row[name]))

    result = [
        plain("reference"),
        Column("dialog", _("Dialog"), ("dialog__title",), lambda row: row["dialog__title"]),
        when("submitted_at"),
        choice("channel"),
        choice("status"),
        plain("text"),
        Column("tags", _("Tags"), (), lambda row: ", ".join(sorted(row["tags"]))),
        choice("relation"),
        plain("area"),
        # An idea for a participatory budget, and the municipality's assessment of it.
        plain("place"),
        plain("estimated_cost"),
        choice("feasibility"),
        plain("feasibility_reason"),
        plain("assessed_cost"),
        plain("reply"),
        plain("reply_signature"),
        when("replied_at"),
        choice("moderation_reason"),
        Column("name", _field_heading(model, "name"), ("name",), lambda row: row["name"], personal=True),
        Column("email", _field_heading(model, "email"), ("email",), lambda row: row["email"], personal=True),
    ]
    return [column for column in result if personal_data or not column.personal]


#: Fields a full export leaves out: the row's id and the search helpers, which
#: repeat the text, the reply and the note in another form.
NOT_EXPORTED = {"id", "search_terms", "moderator_search_terms"}


def every_column(model, staff=False):
    """Every stored field of ``model``: the columns of ``columns()`` with the personal
    ones, then every other field (a site's own ones too), for a person's copy of
    their data and for the archive.

    With ``staff``, also who moderated, replied to and registered each
    contribution, by name: part of the record of how the municipality handled
    it, but not the person's own data (their copy leaves the staff out).
    """
    from django.contrib.auth import get_user_model
    from django.db import models

    zone = timezone.get_current_timezone()
    result = columns(model, personal_data=True)
    covered = {field for column in result for field in column.fields} | {column.key for column in result}
    yes_no = {True: force_str(_("Yes")), False: force_str(_("No"))}
    user_model = get_user_model()
    staff_name = _staff_names(user_model)

    def column(field):
        heading = capfirst(field.verbose_name)
        name = field.attname
        if field.is_relation:
            return Column(field.name, heading, (field.name,), lambda row: staff_name(row[field.name]))
        if field.choices:
            labels = {value: str(label) for value, label in field.flatchoices}
            return Column(name, heading, (name,), lambda row: labels.get(row[name], row[name]))
        if isinstance(field, models.DateTimeField):
            return Column(name, heading, (name,), lambda row: local_time(row[name], zone))
        if isinstance(field, models.BooleanField):
            return Column(name, heading, (name,), lambda row: yes_no.get(row[name], row[name]))
        return Column(name, heading, (name,), lambda row: row[name])

    for field in model._meta.concrete_fields:
        if field.name in NOT_EXPORTED or {field.name, field.attname} & covered:
            continue
        if field.is_relation and not (staff and field.related_model is user_model):
            continue
        result.append(column(field))
    return result


def _staff_names(user_model):
    """A function from a user's id to the name the admin shows for them, each user looked up once."""
    from wagtail.admin.utils import get_user_display_name

    names = {}

    def name(pk):
        if pk is None:
            return None
        if pk not in names:
            user = user_model._default_manager.filter(pk=pk).first()
            # A user deleted since keeps the column's value: the id is what is left.
            names[pk] = get_user_display_name(user) if user else str(pk)
        return names[pk]

    return name


def chunks(queryset, columns):
    """The rows in lists of up to CHUNK_SIZE.

    Reads plain values rather than model instances, and the tags of each chunk
    in one query: a fixed cost per chunk, whatever the number of rows.
    """
    fields = {"pk"} | {field for column in columns for field in column.fields}
    tag_model = queryset.model.tags.through
    chunk = []
    for row in queryset.values(*fields).iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield _with_tags(chunk, tag_model, columns)
            chunk = []
    if chunk:
        yield _with_tags(chunk, tag_model, columns)


def values_chunker(fields):
    """A ``chunker`` (see ``write_xlsx``) for rows read as the plain values of
    ``fields``, each turned into its columns' values, in lists of up to
    ``CHUNK_SIZE``: memory stays flat whatever the number of rows."""

    def chunker(queryset, columns):
        chunk = []
        for row in queryset.values(*fields).iterator(chunk_size=CHUNK_SIZE):
            chunk.append([column.value(row) for column in columns])
            if len(chunk) == CHUNK_SIZE:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    return chunker


def _with_tags(chunk, tag_model, columns):
    tags = {}
    pairs = tag_model.objects.filter(content_object_id__in=[row["pk"] for row in chunk])
    for pk, name in pairs.values_list("content_object_id", "tag__name"):
        tags.setdefault(pk, []).append(name)
    result = []
    for row in chunk:
        row["tags"] = tags.get(row["pk"], [])
        result.append([column.value(row) for column in columns])
    return result


def _translated(language, iterable):
    """Evaluate each item of ``iterable`` in ``language``.

    A streamed response is consumed after the view has returned, when the
    admin user's language is no longer active; choice labels ("Published",
    "Letter") must still come out in it.
    """
    iterator = iter(iterable)
    while True:
        with translation.override(language):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value):
        return value


def _csv_cell(value):
    if type(value) is str:  # most cells: the fast path of neutralise()
        # Formatting characters are never ASCII: most cells skip the category lookup.
        if value.startswith(FORMULA_STARTS) or (value and value[0] > "\x7f" and unicodedata.category(value[0]) == "Cf"):
            return neutralise(value)
        return value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(force_str(value))


def stream_csv(queryset, columns, language=None, chunker=None):
    """The CSV file as an iterator of byte strings: a header row, then one row per contribution.

    It starts with a UTF-8 byte order mark so that spreadsheet programs read
    å, ä and ö right. The language is taken now, while the view still runs in
    the admin user's language.
    """
    language = language or translation.get_language()
    with translation.override(language):
        header = [neutralise(force_str(column.heading)) for column in columns]
    return _stream_csv(header, queryset, columns, language, chunker or chunks)


def _stream_csv(header, queryset, columns, language, chunker):
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(header)).encode("utf-8")
    # One block of text per chunk of rows: each block is a complete set of lines.
    for chunk in _translated(language, chunker(queryset, columns)):
        yield "".join(writer.writerow([_csv_cell(value) for value in values]) for values in chunk).encode("utf-8")


#: Everything XML 1.0 does not allow (an XLSX sheet is XML): control characters other than
#: tab and line breaks, lone surrogates, and the noncharacters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xlsx_text(value):
    # A resident can still paste such characters into the form; the file must open anyway.
    return neutralise(_NOT_XML.sub("", force_str(value)))


def write_xlsx(queryset, columns, output, title=None, chunker=None, extra_sheets=()):
    """Write the XLSX workbook to ``output`` (a binary file object); ``chunker``
    yields the rows in chunks (``chunks``, the contributions', by default).
    ``extra_sheets`` are further (title, queryset, columns, chunker), one sheet each."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _write_sheet(workbook, title or force_str(_("Contributions")), queryset, columns, chunker or chunks)
    for sheet_title, sheet_queryset, sheet_columns, sheet_chunker in extra_sheets:
        _write_sheet(workbook, sheet_title, sheet_queryset, sheet_columns, sheet_chunker)
    workbook.save(output)


def _write_sheet(workbook, title, queryset, columns, chunker):
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet(title=_unique_title(workbook, _sheet_title(force_str(title))))
    sheet.append([_xlsx_text(column.heading) for column in columns])
    for values in (row for chunk in chunker(queryset, columns) for row in chunk):
        cells = []
        for value in values:
            if isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif value is None:
                cell = WriteOnlyCell(sheet, None)
            else:
                cell = WriteOnlyCell(sheet, _xlsx_text(value))
                # Belt and braces: whatever openpyxl guesses, a text cell is text.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)


def _unique_title(workbook, title):
    """``title``, or with " (2)", " (3)" … within the 31 characters when the workbook has it
    (spreadsheets compare sheet names ignoring case): two votes called alike get a sheet each."""
    taken = {name.lower() for name in workbook.sheetnames}
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = title[: 31 - len(suffix)] + suffix, number + 1
    return candidate


def _sheet_title(title):
    # Sheet names: at most 31 characters, none of []:*?/\
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31] or "Sheet1"


def _csv_download(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_download(write, filename):
    """``write(file)`` fills a spooled file that is then downloaded as ``filename``.xlsx."""
    output = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_SIZE)
    write(output)
    output.seek(0)
    # FileResponse streams the file in blocks and closes it when done.
    return FileResponse(output, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


def csv_response(queryset, columns, filename, chunker=None):
    return _csv_download(
        StreamingHttpResponse(stream_csv(queryset, columns, chunker=chunker), content_type="text/csv; charset=utf-8"),
        filename,
    )


def xlsx_response(queryset, columns, filename, title=None, chunker=None):
    return _xlsx_download(lambda output: write_xlsx(queryset, columns, output, title=title, chunker=chunker), filename)


def table_csv_response(header, table, filename):
    """A small table (a report's figures, not a stream of contributions) as a CSV download."""
    writer = csv.writer(_Echo())
    lines = [writer.writerow([_csv_cell(force_str(cell)) for cell in header])]
    lines += [writer.writerow([_csv_cell(cell) for cell in row]) for row in table]
    body = ("\ufeff" + "".join(lines)).encode("utf-8")
    return _csv_download(HttpResponse(body, content_type="text/csv; charset=utf-8"), filename)


def table_xlsx_response(header, table, filename, title):
    """A small table as an XLSX download: numbers stay numbers, text is neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(force_str(title)))
    sheet.append([_xlsx_text(cell) for cell in header])
    for row in table:
        sheet.append([cell if isinstance(cell, (int, float)) and not isinstance(cell, bool) else _xlsx_text(cell)
                      for cell in row])
    return _xlsx_download(workbook.save, filename)
