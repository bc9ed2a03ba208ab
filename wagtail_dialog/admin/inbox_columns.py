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

from django.conf import settings
from django.contrib.admin.utils import quote
from django.forms.utils import flatatt
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple
from wagtail.admin.ui import tables

from wagtail_dialog.dialogs.language import lang_attribute


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


class ContributionColumn(tables.TitleColumn):
    """The contribution in one cell: its reference as the link to its page, the
    start of its text, and a line of what a moderator sorts by eye (the dialog,
    the channel, whether it is answered, its tags, and the author's name and
    email for those who may see them).

    One cell instead of a column each: with eleven columns the text got a
    narrow strip and the table was wider than the admin's content area, which
    cut off the last columns at 1024 px. The dialog's title is shortened on the
    line; the full title is in the same place for screen readers and on the
    contribution's page, never only in a tooltip.

    Dialog titles, their languages and the tags are read for the whole page in
    one query each before rendering: joining the dialog pages would fetch every
    column of each, body included.
    """

    #: Characters of the text shown; the rest is on the contribution's page.
    excerpt_length = 90
    #: Characters of a dialog's title shown on the meta line.
    dialog_title_length = 32

    def __init__(self, name, *, channels, personal_data=False, **kwargs):
        super().__init__(name, **kwargs)
        self.channels = dict(channels)
        self.personal_data = personal_data

    def prepare(self, instances):
        from wagtail.models import Page

        self.dialogs, self.tags = {}, {}
        if not instances:
            return
        ids = {instance.dialog_id for instance in instances}
        for pk, title, language in Page.objects.filter(pk__in=ids).values_list("pk", "title", "locale__language_code"):
            self.dialogs[pk] = (title, language or settings.LANGUAGE_CODE)
        through = type(instances[0]).tags.through
        rows = (
            through.objects.filter(content_object_id__in=[instance.pk for instance in instances])
            .order_by("tag__name")
            .values_list("content_object_id", "tag__name")
        )
        for pk, name in rows:
            self.tags.setdefault(pk, []).append(name)

    def dialog_title(self, title, lang):
        short = Truncator(title).chars(self.dialog_title_length)
        if short == title:
            return format_html("<span{}>{}</span>", lang, title)
        return format_html(
            '<span{}><span aria-hidden="true">{}</span><span class="w-sr-only">{}</span></span>', lang, short, title
        )

    def meta(self, instance, lang):
        title, _language = self.dialogs.get(instance.dialog_id, ("", ""))
        parts = [self.dialog_title(title, lang), self.channels.get(instance.channel, instance.channel)]
        if instance.has_reply:
            parts.append(gettext("Replied"))
        if instance.pk in self.tags:
            # Translators: before the tags of a contribution in the inbox listing, e.g. "Tags: trafik, torget"
            parts.append(format_html("{} <span{}>{}</span>", gettext("Tags:"), lang, ", ".join(self.tags[instance.pk])))
        if self.personal_data:
            parts += [format_html('<span class="wd-inbox-person">{}</span>', value)
                      for value in (instance.name, instance.email) if value]
        return format_html_join(mark_safe('<span aria-hidden="true"> · </span>'), "{}", ((part,) for part in parts))

    def render_cell_html(self, instance, parent_context):
        _title, language = self.dialogs.get(instance.dialog_id, ("", settings.LANGUAGE_CODE))
        lang = lang_attribute(language)
        link = format_html(
            '<a class="wd-inbox-reference" href="{}"><span id="{}">{}</span></a>',
            self.get_link_url(instance, parent_context),
            self.get_title_id(instance, parent_context),
            instance.reference,
        )
        # The reference and the text on one line, the meta line below: two lines a row.
        return _td(
            self,
            format_html(
                '<p class="wd-inbox-text">{} <span{}>{}</span></p><p class="wd-inbox-meta">{}</p>',
                link,
                lang,
                Truncator(instance.text).chars(self.excerpt_length),
                self.meta(instance, lang),
            ),
        )


class InboxTable(tables.Table):
    """Wagtail's listing table, with the rows joined in Python from the cells
    above instead of one template component per cell, in a region that
    scrolls sideways when the admin is zoomed or narrow (see table.html)."""

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
