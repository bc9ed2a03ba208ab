"""A site's own page that uses the dialog blocks: proves they work outside dialog pages."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from wagtail_dialog.dialogs.blocks import DialogContentBlock


class PolicyPage(Page):
    body = StreamField(DialogContentBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    template = "testapp/policy_page.html"


# Wagtail's own FormPage, with the same fields as a contribution: the baseline
# the benchmarks in bench/ measure wagtail-dialog against.
from django.db import models  # noqa: E402
from modelcluster.fields import ParentalKey  # noqa: E402
from wagtail.admin.panels import InlinePanel  # noqa: E402
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField  # noqa: E402


class BaselineFormField(AbstractFormField):
    page = ParentalKey("BaselineFormPage", on_delete=models.CASCADE, related_name="form_fields")


class BaselineFormPage(AbstractForm):
    content_panels = AbstractForm.content_panels + [InlinePanel("form_fields")]
    template = "testapp/baseline_form_page.html"
    landing_page_template = "testapp/baseline_form_page_landing.html"


# Wagtail's FormPage as its documentation writes it (AbstractEmailForm): each
# submission is also emailed. Signing up for a meeting emails the resident, so
# the benchmark measures it against this one too.
from wagtail.contrib.forms.models import AbstractEmailForm  # noqa: E402


class BaselineEmailFormField(AbstractFormField):
    page = ParentalKey("BaselineEmailFormPage", on_delete=models.CASCADE, related_name="form_fields")


class BaselineEmailFormPage(AbstractEmailForm):
    content_panels = AbstractEmailForm.content_panels + [InlinePanel("form_fields")]
    template = "testapp/baseline_form_page.html"
    landing_page_template = "testapp/baseline_form_page_landing.html"
