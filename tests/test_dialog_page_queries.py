"""A dialog page costs the same number of queries however many contributions
it has: it shows one page of them (bench/page.py measures the time)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_dialog, make_survey
from wagtail_dialog.contributions import Contribution, ContributionStatus
from wagtail_dialog.dialogs.pages import DialogMethod, DialogScopeLimit, DialogTargetGroup
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings


def publish(dialog, start, stop):
    """Published contributions start..stop, every third with a public reply, a connection and an area."""
    now = timezone.now()
    Contribution.objects.bulk_create(
        Contribution(
            dialog=dialog, text=f"Synpunkt nummer {n}.", name="Anna" if n % 2 else "", reference=f"Q{n:09d}",
            status=ContributionStatus.PUBLISHED, submitted_at=now - datetime.timedelta(minutes=n),
            relation="lives" if n % 3 == 0 else "", area="Centrum" if n % 3 == 0 else "",
            reply="Tack, vi tar med det." if n % 3 == 0 else "", replied_at=now if n % 3 == 0 else None,
        )
        for n in range(start, stop)
    )
    # Not shown, and not counted: they must not change the page's queries either.
    Contribution.objects.create(dialog=dialog, text="Väntar.", status=ContributionStatus.PENDING,
                                reference=f"R{stop:09d}")


def a_full_dialog(dialog_index):
    """An open dialog with every part the page can show filled in."""
    dialog = make_dialog(dialog_index, tags=("trafik", "parker"), case_number="KS 2026/1",
                         representatives="Anna Andersson (S)")
    DialogScopeLimit.objects.create(page=dialog, fixed="Budgeten", reason="budget")
    DialogTargetGroup.objects.create(page=dialog, name="Unga", how_reached="Skolbesök", seldom_heard=True)
    DialogMethod.objects.create(page=dialog, own_method="Torgvandring")
    site_settings = DialogSiteSettings.for_site(dialog.get_site())
    site_settings.areas = "Centrum\nNorr"
    site_settings.privacy_notice = "<p>Kommunstyrelsen är personuppgiftsansvarig.</p>"
    site_settings.save()
    return dialog


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def test_the_page_costs_the_same_queries_with_3_and_with_30_contributions(client, dialog_index,
                                                                           django_assert_num_queries):
    dialog = a_full_dialog(dialog_index)
    publish(dialog, 0, 3)
    client.get(dialog.url)  # the site's settings and root paths into the cache, as on a running site
    response, few = queries_of(client, dialog.url)
    assert response.content.decode().count('class="wd-contribution"') == 3

    publish(dialog, 3, 30)
    with django_assert_num_queries(len(few)):
        response = client.get(dialog.url)
    content = response.content.decode()
    assert content.count('class="wd-contribution"') == 20 and 'class="wd-pagination"' in content
    # The last page too, with its 10 contributions.
    with django_assert_num_queries(len(few)):
        response = client.get(dialog.url + "?contributions_page=2")
    assert response.content.decode().count('class="wd-contribution"') == 10


def test_the_tags_and_the_decision_body_are_read_once(client, dialog_index):
    dialog = a_full_dialog(dialog_index)
    client.get(dialog.url)
    response, sql = queries_of(client, dialog.url)
    content = response.content.decode()
    assert "trafik" in content and "Kommunstyrelsen" in content
    assert sum('"taggit_tag"' in query for query in sql) == 1
    # Joined to the page's own query instead of a query of its own.
    assert not any(query.startswith('SELECT "wagtail_dialog_decisionbody"') for query in sql)


def test_the_public_list_never_reads_emails_or_moderators_notes(client, dialog_index):
    dialog = a_full_dialog(dialog_index)
    publish(dialog, 0, 3)
    Contribution.objects.filter(dialog=dialog).update(email="anna@example.invalid", moderator_note="Ring henne.")
    response, sql = queries_of(client, dialog.url)
    listed = [query for query in sql if query.startswith('SELECT "wagtail_dialog_contribution"."id"')]
    assert len(listed) == 1
    assert '"email"' not in listed[0] and '"moderator_note"' not in listed[0]
    content = response.content.decode()
    assert "Synpunkt nummer 0." in content and "anna@example.invalid" not in content


def test_ways_to_take_part_cost_no_query_of_their_own_once_shown(client, dialog_index):
    """The live ways below the page are part of the list query that keys the cached parts:
    once "Så kan du delta" is rendered, a page with surveys costs what one without does."""
    plain = a_full_dialog(dialog_index)
    with_ways = make_dialog(dialog_index, title="Med enkät", slug="med-enkat")
    make_survey(with_ways)
    make_survey(with_ways, title="Andra enkäten", slug="andra")
    for dialog in (plain, with_ways):
        client.get(dialog.url)
    _response, without = queries_of(client, plain.url)
    response, counted = queries_of(client, with_ways.url)
    assert len(counted) == len(without)
    assert response.content.decode().count('class="wd-way"') == 3  # the form, and the two surveys
