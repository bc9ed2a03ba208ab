"""Columns of the inbox listing that render their cells in Python.

Wagtail renders every table cell through a template (and the status tag and
the date through one more each); with a dozen columns and a page of rows that
is most of the listing's cost. These subclasses of Wagtail's own columns keep
their headers, ordering and options and produce the same markup as Wagtail's
cell templates (``wagtailadmin/tables/*.html``, ``bulk_actions/
listing_checkbox_cell.html``, ``shared/status_tag.html`` and
``shared/human_readable_date.html``) with ``format_html``, which escapes every
value.
"""

import datetime

from django.contrib.admin.utils import quote
from django.forms.utils import flatatt
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple
from wagtail.admin.ui import tables


def _td(column, content, extra_class=""):
    classname = " ".join(name for name in (column.classname, extra_class) if name)
    if classname:
        return format_html('<td class="{}">{}</td>', classname, content)
    return format_html("<td>{}</td>", content)


def _display(column, value):
    return column.empty_value_display if value is None or not str(value).strip() else value


class TextColumn(tables.Column):
    """Plain text."""

    def render_cell_html(self, instance, parent_context):
        return _td(self, _display(self, self.get_value(instance)))


class TitleColumn(tables.TitleColumn):
    """The row's title as a link, with the id the bulk-action checkbox refers to."""

    def render_cell_html(self, instance, parent_context):
        value = _display(self, self.get_value(instance))
        title_id = self.get_title_id(instance, parent_context)
        title = format_html('<span id="{}">{}</span>', title_id, value) if title_id else value
        url = self.get_link_url(instance, parent_context)
        if url:
            title = format_html('<a href="{}">{}</a>', url, title)
        return _td(self, format_html('<div class="title-wrapper">{}</div>', title), "title")


class StatusTagColumn(tables.StatusTagColumn):
    """A status tag; the primary style marks what needs a moderator."""

    def render_cell_html(self, instance, parent_context):
        classname = "w-status w-status--primary" if self.get_primary(instance) else "w-status"
        return _td(self, format_html('<span class="{}">{}</span>', classname, self.get_value(instance) or ""))


class DateColumn(tables.DateColumn):
    """"3 days ago", with the full date and time in the tooltip and the ``<time>`` element."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if not value:
            return _td(self, "")
        # As the template's |date filter does: in the current time zone.
        value = template_localtime(value)
        if isinstance(value, datetime.datetime):
            tooltip_format = get_format("DATETIME_FORMAT") or "N j, Y, P"
        else:
            tooltip_format = get_format("DATE_FORMAT") or "N j, Y"
        return _td(
            self,
            format_html(
                '<button type="button" class="w-human-readable-date" data-controller="w-tooltip" '
                'data-w-tooltip-content-value="{}" data-w-tooltip-placement-value="top">'
                '<time class="w-human-readable-date__date" datetime="{}">{}</time></button>',
                date_format(value, tooltip_format),
                date_format(value, "c"),
                capfirst(timesince_simple(value)),
            ),
        )


class BulkActionsCheckboxColumn(tables.BulkActionsCheckboxColumn):
    """The checkbox that selects a row for a bulk action."""

    def render_cell_html(self, instance, parent_context):
        return format_html(
            '<td class="bulk-action-checkbox-cell"><input type="checkbox" data-object-id="{}" '
            'data-bulk-action-checkbox class="bulk-action-checkbox" aria-label="{}" aria-describedby="{}" /></td>',
            quote(str(instance.pk)),
            gettext("Select"),
            self.get_aria_describedby(instance),
        )


class ChoiceColumn(TextColumn):
    """The label of a field with choices, looked up in a dict made once."""

    def __init__(self, name, choices, **kwargs):
        super().__init__(name, **kwargs)
        self.labels = dict(choices)

    def get_value(self, instance):
        value = getattr(instance, self.name)
        return self.labels.get(value, value)


class TagsColumn(TextColumn):
    """The row's tags, read for the whole page in one query before rendering."""

    def prepare(self, instances):
        if not instances:
            self.names = {}
            return
        through = type(instances[0]).tags.through
        rows = (
            through.objects.filter(content_object_id__in=[instance.pk for instance in instances])
            .order_by("tag__name")
            .values_list("content_object_id", "tag__name")
        )
        self.names = {}
        for pk, name in rows:
            self.names.setdefault(pk, []).append(name)

    def get_value(self, instance):
        return ", ".join(self.names.get(instance.pk, ()))


class DialogColumn(TextColumn):
    """The title of the row's dialog, read for the whole page in one query:
    joining the dialog pages would fetch every column of each, body included."""

    def prepare(self, instances):
        from wagtail.models import Page

        ids = {instance.dialog_id for instance in instances}
        self.titles = dict(Page.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}

    def get_value(self, instance):
        return self.titles.get(instance.dialog_id, "")


class InboxTable(tables.Table):
    """Wagtail's listing table, with the rows joined in Python from the cells
    above instead of one template component per cell."""

    template_name = "wagtail_dialog/admin/inbox/table.html"

    def rendered_rows(self):
        context = {"table": self}
        columns = list(self.columns.values())
        instances = list(self.data)
        for column in columns:
            if hasattr(column, "prepare"):
                column.prepare(instances)
        return mark_safe(
            "".join(
                format_html(
                    "<tr{}>{}</tr>",
                    flatatt(self.get_row_attrs(instance)),
                    mark_safe("".join(column.render_cell_html(instance, context) for column in columns)),
                )
                for instance in instances
            )
        )
