"""Public pages a shared cache can keep (public, s-maxage, no cookie, no
Vary: Cookie, the same bytes for everyone), what stays out of it (the receipt,
a logged-in editor's view, a post), the resident form without a CSRF token,
and the purges that keep the cache fresh. The real cache: tests/browser/test_varnish.py."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from wagtail import hooks

from tests import frontend_cache
from tests.factories import make_contribution, make_dialog
from wagtail_dialog.contributions import Contribution, ContributionStatus, moderation
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings
from wagtail_dialog.middleware import SharedCacheMiddleware
from wagtail_dialog.privacy import retention
from wagtail_dialog.shared_cache import headers, purge

PUBLISHED = ContributionStatus.PUBLISHED
RECORDING = {"recording": {"BACKEND": "tests.frontend_cache.RecordingBackend"}}
FORM = {"text": "Fler bänkar och mer skugga, tack.", "website": ""}


def public_addresses(dialog_index, dialog):
    return [
        dialog.url,
        dialog.url + "?contributions_page=1",
        dialog.url + "privacy/",
        dialog_index.url,
        dialog_index.url + "?status=open",
        dialog_index.url + "?q=&status=&level=dialogue&tag=",
        dialog_index.url + "?q=torget",
        dialog_index.url + "api/dialogs/",
        dialog_index.url + f"api/dialogs/{dialog.pk}/contributions/",
        dialog_index.url + "feed/",
    ]


def assert_shared(response):
    assert response.status_code == 200, response
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=300"} <= cache_control
    assert not response.cookies, response.cookies
    assert "cookie" not in response.get("Vary", "").lower()


def assert_never_kept(response):
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control and "public" not in cache_control


# --- Headers ------------------------------------------------------------------


def test_every_public_page_is_shared_and_the_same_for_every_anonymous_visitor(dialog_index, dialog):
    make_contribution(dialog, status=PUBLISHED, name="Anna", text="Fler träd")
    for url in public_addresses(dialog_index, dialog):
        first, second = Client().get(url), Client(HTTP_USER_AGENT="another browser").get(url)
        assert_shared(first)
        assert first.content == second.content, url


def test_the_dialog_page_carries_no_csrf_token_and_no_cookie(client, dialog):
    response = client.get(dialog.url)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("form#wd-contribution-form")
    assert not page.select('input[name="csrfmiddlewaretoken"]')
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_a_logged_in_editor_view_is_never_kept(client, admin_user, dialog_index, dialog):
    client.force_login(admin_user)
    for url in public_addresses(dialog_index, dialog):
        response = client.get(url)
        assert response.status_code == 200
        assert_never_kept(response)
        assert not getattr(response, headers.SHARED)


def test_any_request_with_a_session_cookie_is_kept_by_nobody(dialog):
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "whatever"
    assert_never_kept(visitor.get(dialog.url))


def test_a_post_and_the_receipt_are_never_kept(client, dialog):
    sent = client.post(dialog.url, FORM)
    assert sent.status_code == 302 and sent["Location"].endswith("receipt/#wd-receipt")
    assert_never_kept(sent)
    assert_never_kept(client.get(dialog.url + "receipt/"))
    refused = client.post(dialog.url, {**FORM, "text": ""})
    assert refused.status_code == 200 and "csrfmiddlewaretoken" not in refused.content.decode()
    assert_never_kept(refused)
    # Without a receipt waiting, its address leads to the page, and that answer is not kept either.
    gone = client.get(dialog.url + "receipt/")
    assert gone.status_code == 302 and gone["Location"] == dialog.url
    assert_never_kept(gone)


def test_the_dialog_page_never_reads_the_receipt(client, dialog):
    client.post(dialog.url, FORM)
    # The cookie's path is the receipt's: even if a browser sent it to the page, the page ignores it.
    client.cookies["wagtail_dialog_receipt"]["path"] = dialog.url
    assert_shared(client.get(dialog.url))
    assert Contribution.objects.get().reference not in client.get(dialog.url).content.decode()


def test_vary_cookie_is_dropped_when_a_template_looked_at_the_absent_session(client, dialog):
    def touch_user(page, request, args, kwargs):
        request.user.is_authenticated  # as Wagtail's userbar does in a site's base template

    with hooks.register_temporarily("before_serve_page", touch_user):
        assert_shared(client.get(dialog.url))
        without = [name for name in settings.MIDDLEWARE if name != "wagtail_dialog.middleware.SharedCacheMiddleware"]
        with override_settings(MIDDLEWARE=without):
            assert "Cookie" in client.get(dialog.url)["Vary"]


def test_a_shared_response_that_sets_a_cookie_is_not_shared(rf):
    def view_setting_a_cookie(request):
        response = headers.for_everyone(request, HttpResponse("x"))
        response.set_cookie("tracker", "1")
        return response

    response = SharedCacheMiddleware(view_setting_a_cookie)(rf.get("/"))
    assert_never_kept(response)


@override_settings(WAGTAIL_DIALOG_SHARED_CACHE_MAX_AGE=0)
def test_with_the_setting_at_zero_nothing_is_marked_public(client, dialog):
    response = client.get(dialog.url)
    assert "public" not in response.get("Cache-Control", "")


# --- The resident form without a CSRF token -------------------------------------


def strict_client():
    return Client(enforce_csrf_checks=True)


def test_a_resident_sends_a_contribution_without_a_token(dialog):
    response = strict_client().post(dialog.url, FORM, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302
    assert Contribution.objects.count() == 1
    # A client that names no origin (not a browser page) meets the honeypot and the rate limit instead.
    assert strict_client().post(dialog.url, FORM).status_code == 302


@pytest.mark.parametrize("headers_sent", [
    {"HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_ORIGIN": "null"},
    {"HTTP_SEC_FETCH_SITE": "cross-site"},
    {"HTTP_REFERER": "https://evil.example/page.html"},
    {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
])
def test_a_post_from_another_site_is_refused_and_the_text_kept(dialog, headers_sent):
    response = strict_client().post(dialog.url, FORM, **headers_sent)
    assert response.status_code == 403
    assert not Contribution.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    # The form again, with the text in it, to send from the page itself.
    assert page.select_one("#id_text").get_text().strip() == "Fler bänkar och mer skugga, tack."
    assert "annan webbplats" in page.select_one("#wd-error-summary").get_text()


@override_settings(CSRF_TRUSTED_ORIGINS=["https://*.kommun.se"])
def test_a_trusted_origin_may_post(dialog):
    assert strict_client().post(dialog.url, FORM, HTTP_ORIGIN="https://www.kommun.se").status_code == 302
    assert strict_client().post(dialog.url, FORM, HTTP_ORIGIN="https://kommun.se.evil.example").status_code == 403


def test_other_posts_still_need_the_token(dialog_index, dialog):
    # Only the resident forms' routes are exempt: the index (a page without one) and
    # the dialog's other routes (the emails' unsubscribe page) are not.
    assert strict_client().post(dialog_index.url, {}).status_code == 403
    assert strict_client().post(dialog.url + "unsubscribe/sometoken/", {}).status_code == 403


def test_without_the_middleware_the_form_carries_the_token_again(dialog):
    without = [name for name in settings.MIDDLEWARE if name != "wagtail_dialog.middleware.SharedCacheMiddleware"]
    with override_settings(MIDDLEWARE=without):
        visitor = strict_client()
        page = BeautifulSoup(visitor.get(dialog.url).content, "html.parser")
        token = page.select_one('input[name="csrfmiddlewaretoken"]')["value"]
        assert visitor.post(dialog.url, FORM).status_code == 403
        assert visitor.post(dialog.url, {**FORM, "csrfmiddlewaretoken": token}).status_code == 302


# --- Purging --------------------------------------------------------------------


@pytest.fixture
def purged():
    frontend_cache.PURGED.clear()
    with override_settings(WAGTAILFRONTENDCACHE=RECORDING):
        yield frontend_cache.PURGED
    frontend_cache.PURGED.clear()


def full(url):
    return "http://localhost" + url


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("moderator", "m@example.com", "x")


def test_approving_purges_the_dialog_its_lists_its_index_and_the_open_data(
    dialog_index, dialog, moderator, purged, django_capture_on_commit_callbacks
):
    contribution = make_contribution(dialog)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(contribution, moderator)
    assert len(purged) == 1
    urls = set(purged[0])
    assert {
        full(dialog.url), full(dialog.url + "?contributions_page=1"), full(dialog.url + "privacy/"),
        full(dialog_index.url), full(dialog_index.url + "?status=open"),
        full(dialog_index.url + "?q=&status=open&level=&tag="),
        full(dialog_index.url + "api/dialogs/"), full(dialog_index.url + "feed/"),
        full(dialog_index.url + f"api/dialogs/{dialog.pk}/contributions/"),
    } <= urls
    assert not any("receipt" in url for url in urls)


def test_a_reply_and_hiding_purge_too(dialog, moderator, purged, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, status=PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reply(contribution, moderator, "Tack, vi tar med det.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject(contribution, moderator, "off-topic")
    assert len(purged) == 2 and all(full(dialog.url) in batch for batch in purged)


def test_a_new_contribution_waiting_for_moderation_purges_nothing(client, dialog, purged,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(dialog.url, FORM).status_code == 302
    assert purged == []


def test_changes_in_one_transaction_are_purged_in_one_batch(dialog_index, dialog, moderator, purged,
                                                            django_capture_on_commit_callbacks):
    other = make_dialog(dialog_index, title="Biblioteket", slug="biblioteket")
    waiting = [make_contribution(dialog), make_contribution(dialog), make_contribution(other)]
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for contribution in waiting:
                moderation.approve(contribution, moderator)
    assert len(purged) == 1
    assert {full(dialog.url), full(other.url), full(dialog_index.url)} <= set(purged[0])


def test_publishing_a_dialog_purges_its_index(dialog_index, dialog, purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dialog.save_revision().publish()
    assert any(full(dialog_index.url) in batch and full(dialog.url) in batch for batch in purged)


def test_changing_the_site_settings_purges_every_dialog(dialog_index, dialog, purged,
                                                       django_capture_on_commit_callbacks):
    from wagtail.models import Site

    settings_ = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.contact = "medborgardialog@kommun.se"
    with django_capture_on_commit_callbacks(execute=True):
        settings_.save()
    assert any(full(dialog.url) in batch for batch in purged)


def test_anonymising_purges_the_dialog(dialog, purged, django_capture_on_commit_callbacks):
    shown = make_contribution(dialog, status=PUBLISHED, name="Anna")
    with django_capture_on_commit_callbacks(execute=True):
        retention.anonymise_contributions([shown.pk])
    assert any(full(dialog.url) in batch for batch in purged)


def test_without_a_frontend_cache_nothing_is_collected(dialog, moderator, django_capture_on_commit_callbacks):
    assert not purge.enabled()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        moderation.approve(make_contribution(dialog), moderator)
    assert not any(getattr(callback, "__name__", "") == "_purge" for callback in callbacks)


def test_the_list_pages_purged_follow_the_published_count(dialog, settings):
    settings.WAGTAIL_DIALOG_CONTRIBUTIONS_PER_PAGE = 2
    for _ in range(5):
        make_contribution(dialog, status=PUBLISHED)
    paths = dialog.get_cached_paths()
    assert [path for path in paths if "contributions_page" in path] == [
        "/?contributions_page=1", "/?contributions_page=2", "/?contributions_page=3"
    ]


def test_only_cookie_leaves_the_vary_header(rf):
    def view(request):
        response = headers.for_everyone(request, HttpResponse("x"))
        response["Vary"] = "Accept-Language, Cookie,Accept-Encoding"
        return response

    assert SharedCacheMiddleware(view)(rf.get("/"))["Vary"] == "Accept-Language, Accept-Encoding"


def test_a_page_in_another_language_than_the_address_says_is_not_shared(dialog):
    # LocaleMiddleware follows the browser here: a CDN keys on the address, not on the
    # header, so one English browser would otherwise give everyone the English page.
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = english.get(dialog.url)
    assert response.status_code == 200 and "public" not in response["Cache-Control"]
    swedish = Client(HTTP_ACCEPT_LANGUAGE="sv")
    assert_shared(swedish.get(dialog.url))
    chosen = Client()
    chosen.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "public" not in chosen.get(dialog.url)["Cache-Control"]


def test_over_https_a_post_without_origin_or_referer_is_refused(dialog):
    # Every browser sends one: without both, something in between strips them.
    assert strict_client().post(dialog.url, FORM, secure=True).status_code == 403
    assert strict_client().post(dialog.url, FORM, secure=True, HTTP_ORIGIN="https://testserver").status_code == 302


@pytest.mark.parametrize("malformed", [{"HTTP_ORIGIN": "http://["}, {"HTTP_REFERER": "http://[/x"}])
def test_a_malformed_origin_is_refused_not_an_error(dialog, malformed):
    assert strict_client().post(dialog.url, FORM, **malformed).status_code == 403


def test_saving_only_private_fields_purges_nothing(dialog, purged, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, status=PUBLISHED, email="anna@example.com", notify=True)
    contribution.moderator_note = "Ring upp."
    with django_capture_on_commit_callbacks(execute=True):
        contribution.save(update_fields=["moderator_note"])
        contribution.save(update_fields=["notify", "email"])
    assert purged == []
    contribution.name_shown = False
    with django_capture_on_commit_callbacks(execute=True):
        contribution.save(update_fields=["name_shown"])
    assert len(purged) == 1


def test_moving_a_dialog_purges_its_old_address_and_both_indexes(dialog_index, dialog, purged,
                                                                 django_capture_on_commit_callbacks):
    from tests.factories import make_index

    other_index = make_index(title="Andra dialoger", slug="andra")
    old_url = full(dialog.url)
    with django_capture_on_commit_callbacks(execute=True):
        dialog.move(other_index, pos="last-child")
    dialog.refresh_from_db()
    urls = set().union(*purged)
    assert {old_url, old_url + "privacy/", full(dialog.url), full(dialog_index.url), full(other_index.url)} <= urls


def test_a_new_slug_purges_the_old_address(dialog, purged, django_capture_on_commit_callbacks):
    old_url = full(dialog.url)
    dialog.slug = "torget-nytt"
    with django_capture_on_commit_callbacks(execute=True):
        dialog.save_revision().publish()
    assert old_url in set().union(*purged)


def test_deleting_a_dialog_purges_its_address_index_and_open_data(dialog_index, dialog, purged,
                                                                  django_capture_on_commit_callbacks):
    url, pk = full(dialog.url), dialog.pk
    with django_capture_on_commit_callbacks(execute=True):
        dialog.delete()
    urls = set().union(*purged)
    assert {url, full(dialog_index.url), full(dialog_index.url + f"api/dialogs/{pk}/contributions/")} <= urls


def test_renaming_a_tag_purges_the_dialogs_that_carry_it(dialog_index, purged, django_capture_on_commit_callbacks):
    from taggit.models import Tag

    tagged = make_dialog(dialog_index, title="Parken", slug="parken", tags=["park"])
    tag = Tag.objects.get(name="park")
    tag.name = "Parker och grönska"
    with django_capture_on_commit_callbacks(execute=True):
        tag.save()
    assert any(full(tagged.url) in batch for batch in purged)

