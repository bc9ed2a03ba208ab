import pytest
from django.core import mail

from tests.factories import make_contribution
from wagtail_dialog.contributions import ContributionStatus, ModerationReason, moderation
from wagtail_dialog.contributions.history import ContributionLogEntry


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("mod", "mod@example.com", "x")


def history(contribution):
    return list(ContributionLogEntry.objects.filter(object_id=str(contribution.pk)).order_by("pk").values_list("action", flat=True))


def test_approving_publishes_records_history_and_tells_the_author(dialog, moderator, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, email="anna@example.com", notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(contribution, moderator)
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PUBLISHED
    assert contribution.moderated_by == moderator
    assert history(contribution) == ["wagtail_dialog.publish"]
    assert [m.to for m in mail.outbox] == [["anna@example.com"]]
    assert contribution.reference in mail.outbox[0].subject


def test_authors_who_did_not_opt_in_get_no_email(dialog, moderator, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, email="anna@example.com", notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(contribution, moderator)
    assert mail.outbox == []


def test_rejecting_needs_a_reason_and_tells_the_author_why(dialog, moderator, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, email="anna@example.com", notify=True)
    with pytest.raises(moderation.ModerationError):
        moderation.reject(contribution, moderator, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject(contribution, moderator, ModerationReason.OFF_TOPIC, "Skriv gärna i dialogen om skolan.")
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.REJECTED
    body = mail.outbox[0].body
    assert "Skriv gärna i dialogen om skolan." in body
    assert str(contribution.get_moderation_reason_display()) in body
    html = mail.outbox[0].alternatives[0][0]
    assert "Skriv gärna" in html


def test_spam_is_never_answered(dialog, moderator, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, email="spam@example.com", notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_spam(contribution, moderator)
    assert mail.outbox == []
    assert history(contribution) == ["wagtail_dialog.spam"]


def test_a_public_reply_is_recorded_and_sent_to_the_author(dialog, moderator, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, email="anna@example.com", notify=True, status=ContributionStatus.PUBLISHED)
    with pytest.raises(moderation.ModerationError):
        moderation.reply(contribution, moderator, "   ")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reply(contribution, moderator, "Tack! Vi tar med det.", signature="Samhällsbyggnadsnämnden")
    contribution.refresh_from_db()
    assert contribution.replied_by == moderator and contribution.replied_at
    assert "Tack! Vi tar med det." in mail.outbox[0].body


def test_plain_text_emails_are_not_html_escaped_and_html_emails_are(dialog, moderator, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog, email="anna@example.com", notify=True, status=ContributionStatus.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reply(contribution, moderator, "<script>x</script> & co")
    message = mail.outbox[0]
    assert "<script>x</script> & co" in message.body
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in message.alternatives[0][0]


def test_notes_and_tags_are_recorded(dialog, moderator):
    contribution = make_contribution(dialog)
    moderation.set_note(contribution, moderator, "Ring tillbaka")
    moderation.set_tags(contribution, moderator, ["trafik", " belysning "])
    moderation.add_tags(contribution, moderator, ["trafik", "park"])
    assert sorted(contribution.tags.names()) == ["belysning", "park", "trafik"]
    assert history(contribution) == ["wagtail_dialog.note", "wagtail_dialog.tag", "wagtail_dialog.tag"]


def test_bulk_actions(dialog, moderator):
    contributions = [make_contribution(dialog) for _ in range(3)]
    assert moderation.bulk(contributions, moderator, "approve") == 3
    moderation.bulk(contributions[:1], moderator, "reject", reason=ModerationReason.DUPLICATE)
    moderation.bulk(contributions[1:2], moderator, "tag", names=["park"])
    statuses = sorted(c.status for c in type(contributions[0]).objects.all())
    assert statuses == ["published", "published", "rejected"]
    with pytest.raises(moderation.ModerationError):
        moderation.bulk(contributions, moderator, "delete-everything")


def test_moderator_emails_reach_the_dialogs_publishers_and_the_moderators_group(dialog, django_user_model):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from wagtail_dialog.contributions.notifications import moderator_emails

    publisher = django_user_model.objects.create_user("pub", "pub@example.com", "x")
    group = Group.objects.create(name="Torget")
    GroupPagePermission.objects.create(group=group, page=dialog, permission=Permission.objects.get(codename="publish_page"))
    publisher.groups.add(group)
    everyone = django_user_model.objects.create_user("all", "all@example.com", "x")
    everyone.user_permissions.add(Permission.objects.get(codename="moderate_contribution"))
    django_user_model.objects.create_user("editor", "editor@example.com", "x")
    django_user_model.objects.create_user("noemail", "", "x").user_permissions.add(
        Permission.objects.get(codename="moderate_contribution")
    )
    assert moderator_emails(dialog) == ["all@example.com", "pub@example.com"]


def test_the_daily_digest_goes_only_to_moderators_of_sites_that_chose_it(dialog, django_user_model):
    from django.contrib.auth.models import Permission
    from wagtail.models import Site

    from wagtail_dialog.contributions.notifications import send_moderator_digest
    from wagtail_dialog.dialogs.site_settings import AlertMode, DialogSiteSettings

    moderator = django_user_model.objects.create_user("all", "all@example.com", "x")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_contribution"))
    make_contribution(dialog)
    settings_ = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.moderator_alerts = AlertMode.IMMEDIATE
    settings_.save()
    assert send_moderator_digest.call() == 0
    settings_.moderator_alerts = AlertMode.DAILY
    settings_.save()
    mail.outbox.clear()
    assert send_moderator_digest.call() == 1
    assert mail.outbox[0].to == ["all@example.com"]
    assert dialog.title in mail.outbox[0].body
