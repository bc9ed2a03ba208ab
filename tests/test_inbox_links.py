"""What the inbox shows in sight: Themes as a button above the list (not in the "…"
menu), a bulk rejection that says before confirming that one reason goes to
all, the tag field's help in Swedish, and report links only for those the
report itself lets in."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import bulk_url, inbox_url, make_user
from wagtail_dialog.admin.evaluation import evaluation_buttons
from wagtail_dialog.admin.report_access import can_open_report


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_themes_is_a_button_above_the_list_not_in_the_more_menu(users, login, dialog_a):
    client = login(users["moderator_a"])
    soup = soup_of(client.get(inbox_url("index")))
    link = soup.select_one(f'.wd-inbox-themes a[href="{reverse("wagtail_dialog_themes_index")}"]')
    assert link.get_text(strip=True) == "Themes"
    assert link.find_parent(attrs={"data-controller": "w-dropdown"}) is None
    # Filtered to one dialog, it opens that dialog's themes.
    soup = soup_of(client.get(inbox_url("index") + f"?dialog={dialog_a.pk}"))
    link = soup.select_one(f'.wd-inbox-themes a[href="{reverse("wagtail_dialog_themes", args=[dialog_a.pk])}"]')
    assert link.get_text(strip=True) == "Themes"
    assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_bulk_reject_says_one_reason_goes_to_all_before_confirming(users, login, dialog_a, count):
    chosen = [make_contribution(dialog_a) for _ in range(count)]
    soup = soup_of(login(users["moderator_a"]).get(bulk_url("reject", *chosen)))
    note = soup.select_one(".help-block.help-warning").get_text(" ", strip=True)
    if count == 1:
        assert note == "The reason and the message you choose here go to the selected contribution."
    else:
        assert "go to all 3 selected contributions" in note and "on its own page" in note
    # Said before the form that confirms.
    assert str(soup).index(note.split(".")[0]) < str(soup).index('name="reason"')


def test_bulk_reject_note_in_swedish(users, dialog_a):
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(users["moderator_a"])
    chosen = [make_contribution(dialog_a), make_contribution(dialog_a)]
    text = soup_of(client.get(bulk_url("reject", *chosen))).select_one(".help-block.help-warning").get_text(" ", strip=True)
    assert text.startswith("Skälet och meddelandet som du väljer här gäller alla 2 valda synpunkter.")


def test_the_tag_fields_help_is_swedish_on_a_contribution_page(users, dialog_a):
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(users["moderator_a"])
    page = client.get(inbox_url("edit", make_contribution(dialog_a).pk)).content.decode()
    assert "Tryck på Enter eller skriv ett kommatecken efter varje tagg." in page
    assert "Multi-word tags" not in page


def test_a_moderator_who_edits_no_dialog_is_shown_no_report_link(users, login, dialog_a, django_user_model):
    # The "Dialog moderators" kind: moderates every dialog, edits none.
    moderator = make_user(
        django_user_model, "moderates_all", perms=["wagtail_dialog.moderate_contribution", "wagtailadmin.access_admin"]
    )
    assert not can_open_report(moderator)
    assert list(evaluation_buttons(dialog_a, moderator)) == []
    dialog_a.feedback_due_on = timezone.localdate() - datetime.timedelta(days=2)
    dialog_a.save()
    client = login(moderator)
    home = client.get("/admin/").content.decode()
    assert reverse("wagtail_dialog_feedback_report") not in home
    for url in (inbox_url("index"), inbox_url("edit", make_contribution(dialog_a).pk)):
        page = client.get(url).content.decode()
        assert "/reports/" not in page, url


def test_every_report_link_shown_opens(users, login, dialog_a, dialog_b):
    dialog_a.feedback_due_on = timezone.localdate() - datetime.timedelta(days=2)
    dialog_a.save()
    client = login(users["superuser"])
    assert [button.url for button in evaluation_buttons(dialog_a, users["superuser"])] == [
        reverse("wagtail_dialog_evaluation", args=[dialog_a.pk])
    ]
    home = soup_of(client.get("/admin/"))
    link = home.find("a", string="All promised feedback")
    assert client.get(link["href"]).status_code == 200
    # A publisher of one dialog opens that dialog's evaluation and sees its button; not another's.
    moderator = users["moderator_a"]
    assert can_open_report(moderator, dialog_a) and not can_open_report(moderator, dialog_b)
    assert list(evaluation_buttons(dialog_b, moderator)) == []
    assert client.get(reverse("wagtail_dialog_evaluation", args=[dialog_a.pk])).status_code == 200
