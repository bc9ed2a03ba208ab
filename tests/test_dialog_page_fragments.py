"""The parts of the dialog page kept rendered in the cache (public.fragments)
are keyed by what they show: a second visitor gets the same bytes, and any
change shows on the very next GET, without purging anything."""

import re

from django.core.cache import cache
from django.utils import timezone

from tests.factories import make_contribution, make_dialog
from wagtail_dialog.contributions import ContributionStatus
from wagtail_dialog.dialogs.pages import DialogScopeLimit, DialogTargetGroup

PUBLISHED = ContributionStatus.PUBLISHED


def html(client, page, **params):
    response = client.get(page.url, params)
    assert response.status_code == 200
    return response.content.decode()


def without_csrf(text):
    # The form's token differs per visitor; everything else must not.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_a_second_visitor_gets_the_same_page_from_the_fragments(client, dialog):
    make_contribution(dialog, status=PUBLISHED, text="Fler bänkar")
    cache.clear()
    cached = {
        "wagtail_dialog/includes/dialog_header.html", "wagtail_dialog/includes/influence_box.html",
        "wagtail_dialog/includes/timeline.html", "wagtail_dialog/includes/contributions.html",
        "wagtail_dialog/includes/dialog_background.html", "wagtail_dialog/includes/contribution_fields.html",
    }
    cold = client.get(dialog.url)
    assert cached <= {template.name for template in cold.templates}
    warm = client.get(dialog.url)
    # Served from the cache: not one of those templates rendered again.
    assert not cached & {template.name for template in warm.templates}
    assert without_csrf(cold.content.decode()) == without_csrf(warm.content.decode())
    assert "Fler bänkar" in warm.content.decode()


def test_a_reply_shows_on_the_next_get(client, dialog):
    contribution = make_contribution(dialog, status=PUBLISHED, text="Fler bänkar")
    assert "Kommunens svar" not in html(client, dialog)
    contribution.reply, contribution.replied_at = "Vi ställer ut två bänkar i maj.", timezone.now()
    contribution.save()
    assert "Vi ställer ut två bänkar i maj." in html(client, dialog)
    contribution.status = ContributionStatus.REJECTED
    contribution.save()
    assert "Fler bänkar" not in html(client, dialog)


def test_a_change_to_the_page_or_its_lists_shows_on_the_next_get(client, dialog):
    first = html(client, dialog)
    assert "Budgeten är redan bestämd" not in first
    # Saved straight to the database, not published as a revision: still seen.
    DialogScopeLimit.objects.create(page=dialog, fixed="Två miljoner kronor", reason="budget")
    assert "Budgeten är redan bestämd: Två miljoner kronor." in html(client, dialog)
    DialogTargetGroup.objects.create(page=dialog, name="Ungdomar 13–19 år")
    assert "Ungdomar 13–19 år" in html(client, dialog)
    body = dialog.decision_body
    body.name = "Tekniska nämnden"
    body.save()
    assert "Tekniska nämnden" in html(client, dialog)
    dialog.question = "En ny fråga?"
    dialog.save()
    assert "En ny fråga?" in html(client, dialog)


def test_the_language_is_part_of_the_key(client, dialog):
    assert "Så mycket kan du påverka" in html(client, dialog)
    english = client.get(dialog.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How much you can influence" in english and "Så mycket kan du påverka" not in english


def test_a_marked_search_hit_is_not_cached_for_others(client, dialog):
    contribution = make_contribution(dialog, status=PUBLISHED, text="Fler bänkar")
    marked = html(client, dialog, q="bänkar", contribution=str(contribution.pk))
    assert "<mark>bänkar</mark>" in marked
    assert "<mark>" not in html(client, dialog)


def test_each_list_page_is_its_own_fragment(client, dialog_index, settings):
    settings.WAGTAIL_DIALOG_CONTRIBUTIONS_PER_PAGE = 2
    dialog = make_dialog(dialog_index, "Parken")
    for number in range(5):
        make_contribution(dialog, status=PUBLISHED, text=f"Synpunkt nummer {number}")
    first, third = html(client, dialog), html(client, dialog, contributions_page="3")
    assert "Synpunkt nummer 4" in first and "Synpunkt nummer 4" not in third
    assert "Synpunkt nummer 0" in third


def test_a_sent_form_with_errors_is_never_taken_from_the_cache(client, dialog):
    html(client, dialog)  # the empty form's fields are cached
    response = client.post(dialog.url, {"text": "", "consent": "on"})
    content = response.content.decode()
    assert "wagtail_dialog/includes/contribution_fields.html" in {t.name for t in response.templates}
    assert 'aria-invalid="true"' in content


def test_the_form_follows_the_site_settings(client, dialog):
    from wagtail.models import Site

    from wagtail_dialog.dialogs.site_settings import DialogSiteSettings

    assert "Norrby" not in html(client, dialog)
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.areas = "Norrby\nSöderby"
    settings.save()
    assert "Norrby" in html(client, dialog)


def test_a_page_with_a_body_is_served_from_the_cache_too(client, dialog_index):
    # A StreamField's objects print their memory address: the key must not.
    dialog = make_dialog(dialog_index, "Med brödtext", body=[("paragraph", "<p>Mer om torget.</p>")])
    client.get(dialog.url)
    warm = client.get(dialog.url)
    names = {template.name for template in warm.templates}
    assert "wagtail_dialog/includes/dialog_background.html" not in names
    assert "Mer om torget." in warm.content.decode()


def test_a_saved_draft_does_not_empty_the_public_fragments(client, dialog):
    client.get(dialog.url)
    dialog.save_revision()  # a draft: the public page shows the same
    dialog.refresh_from_db()
    names = {template.name for template in client.get(dialog.url).templates}
    assert "wagtail_dialog/includes/influence_box.html" not in names


def test_the_key_covers_every_column_of_every_list_and_the_tags(client, dialog):
    from wagtail_dialog.dialogs.pages import DialogMethod
    from wagtail_dialog.public.fragments import list_rows

    limit = DialogScopeLimit.objects.create(page=dialog, fixed="Budgeten", reason="budget")
    group = DialogTargetGroup.objects.create(page=dialog, name="Unga", seldom_heard=False)
    method = DialogMethod.objects.create(page=dialog, own_method="Torgvandring")
    seen = {list_rows(dialog)}
    changes = [
        lambda: DialogScopeLimit.objects.filter(pk=limit.pk).update(explanation="Beslutad i december."),
        lambda: DialogScopeLimit.objects.filter(pk=limit.pk).update(explanation=""),  # back to empty, not NULL
        lambda: DialogTargetGroup.objects.filter(pk=group.pk).update(seldom_heard=True),
        lambda: DialogTargetGroup.objects.filter(pk=group.pk).update(sort_order=5),
        lambda: DialogMethod.objects.filter(pk=method.pk).update(description="Vi går runt torget."),
        # A page's tags are saved with the page (ClusterTaggableManager).
        lambda: (dialog.tags.add("trafik"), dialog.save()),
        lambda: (dialog.tags.add("parker"), dialog.save()),
        lambda: (dialog.tags.remove("trafik"), dialog.save()),
    ]
    for number, change in enumerate(changes):
        change()
        rows = list_rows(dialog)
        # Each change gives rows not seen before (the second restores nothing: "" was never shown).
        assert rows not in seen or number == 1, number
        seen.add(rows)
    # Another page's lists are not this page's.
    assert all(kind in {"scope_limits", "target_groups", "methods", "tags"} for kind, _pk, _text in rows)
    assert {text for kind, _pk, text in rows if kind == "tags"} == {"parker|parker"}


def test_on_other_databases_the_orm_reads_the_lists_for_the_key(dialog, monkeypatch):
    from django.db import connections

    from wagtail_dialog.public.fragments import list_rows

    monkeypatch.setattr(connections["default"], "vendor", "mysql")  # no `||` to join text there
    before = list_rows(dialog)
    DialogScopeLimit.objects.create(page=dialog, fixed="Budgeten", reason="budget")
    after = list_rows(dialog)
    assert after != before and [kind for kind, _pk, _text in after] == ["scope_limits"]
