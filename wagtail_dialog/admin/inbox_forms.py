"""Forms of the moderators' inbox: the listing's filters, one small form per
moderation step, the bulk action forms and the form that registers a
contribution that came by letter, at a meeting, by email or by phone.

The forms only validate; the views hand the cleaned values to
``wagtail_dialog.contributions.moderation``.
"""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.widgets import AdminDateTimeInput, BooleanRadioSelect

from wagtail_dialog.contributions import (
    Channel,
    ContributionStatus,
    Feasibility,
    ModerationReason,
    get_contribution_model,
    permissions,
)
from wagtail_dialog.contributions.forms import COST_MAX, KronorField
from wagtail_dialog.contributions.ids import is_id
from wagtail_dialog.dialogs.pages.panels import TagWidget
from wagtail_dialog.search import swedish


def moderated_dialogs(user):
    """The dialog pages ``user`` moderates, by title: the choices wherever a dialog is picked."""
    from wagtail_dialog.dialogs.pages import DialogPage

    ids = permissions.moderated_dialog_ids(user)
    dialogs = DialogPage.objects.all() if ids is None else DialogPage.objects.filter(pk__in=ids)
    return dialogs.order_by("title")


def tags_in_use(user, model):
    """Names of the tags on contributions ``user`` may moderate, A to Z.

    Only those: a tag on another committee's contribution says something about
    it. Asked of the tagged items, not the contributions, so the cost follows
    the number of tags in use rather than the number of contributions.
    """
    through = model.tags.through
    tag_model = through._meta.get_field("tag").related_model
    ids = permissions.moderated_dialog_ids(user)
    items = through.objects.all() if ids is None else through.objects.filter(content_object__dialog_id__in=ids)
    return list(tag_model.objects.filter(pk__in=items.values("tag_id")).order_by("name").values_list("name", flat=True))


def known_areas():
    """The areas of every site's settings, A to Z. (Read from the settings, not
    from the contributions: that would scan all of them on every listing.)"""
    from wagtail_dialog.dialogs.site_settings import DialogSiteSettings

    areas = set()
    for settings in DialogSiteSettings.objects.all():
        areas.update(settings.area_choices())
    return sorted(areas)


class DialogChoiceField(django_filters.fields.ModelChoiceField):
    """A dialog chosen by id, the id checked before it reaches the database:
    one past a 64-bit integer makes SQLite raise instead of finding nothing."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not is_id(str(value)):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class DialogChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = DialogChoiceField


class InboxSearchForm(SearchForm):
    """The inbox's search box, bounded as the residents' search is: a query
    of hundreds of words, or one enormous word, builds a database query that
    SQLite refuses ("Expression tree is too large", "pattern too complex")."""

    MAX_LENGTH = 200
    MAX_WORDS = 20

    def clean_q(self):
        query = self.cleaned_data.get("q", "")
        if len(query) > self.MAX_LENGTH or len(swedish.query_terms(query)) > self.MAX_WORDS:
            raise forms.ValidationError(
                _("Search for at most %(characters)d characters and %(words)d words."),
                code="too_long",
                params={"characters": self.MAX_LENGTH, "words": self.MAX_WORDS},
            )
        return query


class ContributionFilterSet(WagtailFilterSet):
    dialog = DialogChoiceFilter(
        label=_("Dialog"),
        # Replaced per request by the dialogs the user moderates.
        queryset=None,
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ContributionStatus.choices, widget=forms.RadioSelect, empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect, empty_label=_("All")
    )
    tag = django_filters.ChoiceFilter(label=_("Tag"), field_name="tags__name", distinct=True, empty_label=_("All"))
    area = django_filters.ChoiceFilter(label=_("Area"), empty_label=_("All"))
    submitted_at = django_filters.DateFromToRangeFilter(label=_("Submitted"), widget=DateRangePickerWidget)
    replied = django_filters.BooleanFilter(label=_("Replied"), method="filter_replied", widget=BooleanRadioSelect)

    class Meta:
        model = get_contribution_model()
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user if request is not None else None
        self.filters["dialog"].extra["queryset"] = moderated_dialogs(user)
        # Read once per request: add_counts() builds one filter set per facet.
        choices = getattr(request, "_wagtail_dialog_filter_choices", None)
        if choices is None:
            choices = {
                "tag": [(name, name) for name in tags_in_use(user, self._meta.model)],
                "area": [(area, area) for area in known_areas()],
            }
            if request is not None:
                request._wagtail_dialog_filter_choices = choices
        self.filters["tag"].extra["choices"] = choices["tag"]
        self.filters["area"].extra["choices"] = choices["area"]

    #: Filters that get a count beside each value while searching: (filter, model field).
    FACETS = {"dialog": "dialog_id", "status": "status", "channel": "channel", "area": "area", "tag": "tags__name"}

    def add_counts(self, search):
        """Put beside each value of the FACETS the number of contributions the
        search (``search(queryset)``) would find with that value chosen and the
        other filters kept."""
        from django.db.models import Count

        for name, field in self.FACETS.items():
            others = self.data.copy()
            others.pop(name, None)
            narrowed = type(self)(others, self.queryset, request=self.request)
            queryset = search(narrowed.qs if narrowed.is_valid() else self.queryset)
            counts = dict(queryset.order_by().values_list(field).annotate(count=Count("pk", distinct=True)))
            form_field = self.form.fields[name]
            if name == "dialog":
                form_field.label_from_instance = lambda dialog, counts=counts: f"{dialog.title} ({counts.get(dialog.pk, 0)})"
            else:
                form_field.choices = [
                    (value, f"{label} ({counts.get(value, 0)})" if value != "" else label)
                    for value, label in form_field.choices
                ]

    def filter_replied(self, queryset, name, value):
        if value is None:
            return queryset
        replied = queryset.exclude(reply="")
        return replied if value else queryset.filter(reply="")


class ModerationForm(forms.Form):
    """A moderation step without anything to fill in (approve, mark as spam, hide)."""

    def __init__(self, *args, contribution=None, **kwargs):
        self.contribution = contribution
        super().__init__(*args, **kwargs)


class RejectForm(ModerationForm):
    reason = forms.ChoiceField(label=_("Reason for not publishing"), choices=[("", "---------"), *ModerationReason.choices])
    message = forms.CharField(
        label=_("Message to the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the reason, if the author asked to be told. Never published."),
    )


class ReplyForm(ModerationForm):
    text = forms.CharField(label=_("Public reply"), widget=forms.Textarea(attrs={"rows": 5}))
    signature = forms.CharField(
        label=_("Signed by"),
        max_length=150,
        required=False,
        help_text=_("Shown with the reply, e.g. the decision body or the officials' unit."),
    )

    def __init__(self, *args, contribution=None, **kwargs):
        if contribution is not None:
            kwargs.setdefault("initial", {"text": contribution.reply, "signature": contribution.reply_signature})
        super().__init__(*args, contribution=contribution, **kwargs)


class AssessForm(ModerationForm):
    """The municipality's assessment of an idea for a participatory budget (``contributions.ideas``)."""

    feasibility = forms.ChoiceField(label=_("Assessment"), choices=Feasibility.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Public, shown beside the idea. Needed when it is not feasible."),
    )
    cost = forms.IntegerField(
        label=_("The municipality's cost estimate, kronor"), required=False, min_value=0, max_value=COST_MAX,
        help_text=_("Needed when it is feasible: a vote's option gets this cost."),
    )

    def __init__(self, *args, contribution=None, **kwargs):
        if contribution is not None:
            kwargs.setdefault("initial", {
                "feasibility": contribution.feasibility, "reason": contribution.feasibility_reason,
                "cost": contribution.assessed_cost,
            })
        super().__init__(*args, contribution=contribution, **kwargs)

    def clean(self):
        cleaned = super().clean()
        feasibility = cleaned.get("feasibility")
        if feasibility == Feasibility.NOT_FEASIBLE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say publicly why the idea is not feasible."))
        if feasibility == Feasibility.FEASIBLE and cleaned.get("cost") is None and "cost" not in self.errors:
            self.add_error("cost", _("A feasible idea needs the municipality's cost estimate."))
        return cleaned


class NoteForm(ModerationForm):
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by moderators; never shown to the public or the author."),
    )

    def __init__(self, *args, contribution=None, **kwargs):
        if contribution is not None:
            kwargs.setdefault("initial", {"note": contribution.moderator_note})
        super().__init__(*args, contribution=contribution, **kwargs)


class TagsForm(ModerationForm):
    tags = TagField(
        label=_("Tags"),
        required=False,
        widget=TagWidget,
        help_text=_("Subjects for compiling the result, separated by commas."),
    )

    def __init__(self, *args, contribution=None, **kwargs):
        if contribution is not None:
            kwargs.setdefault("initial", {"tags": edit_string_for_tags(list(contribution.tags.all()))})
        super().__init__(*args, contribution=contribution, **kwargs)


class BulkRejectForm(forms.Form):
    reason = RejectForm.base_fields["reason"]
    message = RejectForm.base_fields["message"]


class BulkTagForm(forms.Form):
    tags = TagField(
        label=_("Tags to add"),
        widget=TagWidget,
        help_text=_("Added to every selected contribution; tags they already have are kept."),
    )


class RegisterContributionForm(forms.ModelForm):
    """A contribution that reached the municipality another way than the web form."""

    class Meta:
        model = get_contribution_model()
        fields = ["dialog", "channel", "submitted_at", "text", "estimated_cost", "place", "name", "email", "relation",
                  "area"]
        labels = {"submitted_at": _("Received")}
        help_texts = {
            "submitted_at": _("When the letter, email or call reached the municipality, or when the meeting was held."),
            "name": _("Only if the author gave it."),
            "email": _("Only if the author gave it."),
            "estimated_cost": _("Only for a dialog that collects ideas for a participatory budget."),
            "place": _("Only for a dialog that collects ideas for a participatory budget."),
        }
        widgets = {"submitted_at": AdminDateTimeInput, "text": forms.Textarea(attrs={"rows": 8})}
        # Typed as the idea's author wrote it on paper: "50 000 kr".
        field_classes = {"estimated_cost": KronorField}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = for_user
        self.fields["dialog"].queryset = moderated_dialogs(for_user)
        self.fields["dialog"].label = _("Dialog")
        self.fields["channel"].choices = [(value, label) for value, label in Channel.choices if value != Channel.WEB]
        self.fields["channel"].initial = Channel.LETTER
        self.fields["submitted_at"].initial = timezone.now

    def clean(self):
        cleaned = super().clean()
        dialog = cleaned.get("dialog")
        if dialog is not None and not dialog.collects_ideas:
            # A cost and a place belong to ideas for a participatory budget only.
            cleaned["estimated_cost"], cleaned["place"] = None, ""
        return cleaned

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        if channel == Channel.WEB:
            raise forms.ValidationError(_("Contributions from the web form arrive by themselves."))
        return channel
