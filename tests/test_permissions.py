"""Who may use the moderators' inbox: every inbox URL against every kind of user.

- anonymous visitors and logged-in residents without admin access are sent to
  the admin login;
- an editor (admin access, may edit pages but publish no dialog) gets
  Wagtail's "permission denied" (a redirect to the dashboard with an error);
- a moderator of dialog A (may publish A's page) works on A's contributions,
  and B's are not found (404), not even by id;
- a superuser works on both.
Names and emails show only for users with "Can see contributors' names and emails".

The user fixtures here are shared by test_inbox.py and test_export.py.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission

from tests.factories import make_contribution, make_dialog
from wagtail_dialog.contributions import ContributionStatus

#: The fixtures test_inbox.py and test_export.py take from here (with ``import *``: no tests).
__all__ = ["contribution_a", "contribution_b", "dialog_a", "dialog_b", "login", "users"]

INBOX = "wagtail_dialog_contributions"
NAME = "Anna Andersson"
EMAIL = "anna.andersson@example.com"


def permission(label):
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def make_user(django_user_model, username, *, groups=(), perms=(), superuser=False):
    if superuser:
        return django_user_model.objects.create_superuser(username, f"{username}@example.com", "x")
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "x")
    user.groups.set(groups)
    user.user_permissions.set([permission(label) for label in perms])
    return user


def make_group(name, *, admin=True, pages=(), perms=()):
    """A group with admin access and ``pages``: (page, [permission_type, ...]) pairs."""
    group, _ = Group.objects.get_or_create(name=name)
    if admin:
        group.permissions.add(permission("wagtailadmin.access_admin"))
    for label in perms:
        group.permissions.add(permission(label))
    for page, permission_types in pages:
        for permission_type in permission_types:
            GroupPagePermission.objects.create(group=group, page=page, permission_type=permission_type)
    return group


@pytest.fixture
def dialog_a(dialog_index):
    return make_dialog(dialog_index, title="Torget A", slug="torget-a")


@pytest.fixture
def dialog_b(dialog_index):
    return make_dialog(dialog_index, title="Parken B", slug="parken-b")


@pytest.fixture
def contribution_a(dialog_a):
    return make_contribution(dialog_a, text="Fler bänkar på torget.", name=NAME, email=EMAIL)


@pytest.fixture
def contribution_b(dialog_b):
    return make_contribution(dialog_b, text="Mer ljus i parken.", name=NAME, email=EMAIL)


@pytest.fixture
def users(django_user_model, dialog_index, dialog_a, dialog_b):
    editors = make_group("Page editors", pages=[(dialog_index, ["add", "change"])])
    moderators_a = make_group(
        "Torget moderators", pages=[(dialog_a, ["publish"])], perms=["wagtail_dialog.view_personal_data"]
    )
    moderators_b = make_group("Parken moderators", pages=[(dialog_b, ["publish"])])
    return {
        "anonymous": None,
        "resident": make_user(django_user_model, "resident"),
        "editor": make_user(django_user_model, "editor", groups=[editors]),
        "moderator_a": make_user(django_user_model, "moderator_a", groups=[moderators_a]),
        "moderator_b": make_user(django_user_model, "moderator_b", groups=[moderators_b]),
        "superuser": make_user(django_user_model, "superuser", superuser=True),
    }


@pytest.fixture
def login(db):
    """A test client for ``user`` (anonymous for None), with the admin in English."""

    def _login(user):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client

    return _login


def outcome(response):
    """What happened to a request, in the words of the matrix below."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("wagtailadmin_login")):
            return "login"
        if location == reverse("wagtailadmin_home"):
            return "denied"  # Wagtail's answer to PermissionDenied inside the admin
        return "ok"  # a redirect after a successful POST
    return {200: "ok", 403: "denied", 404: "not found"}.get(response.status_code, str(response.status_code))


def inbox_url(view, *args):
    return reverse(f"{INBOX}:{view}", args=args)


def bulk_url(action, *contributions):
    ids = "&".join(f"id={contribution.pk}" for contribution in contributions)
    return f"{reverse('wagtail_bulk_action', args=['wagtail_dialog', 'contribution', action])}?{ids}"


ACTION_POSTS = {
    "approve": {},
    "reject": {"reason": "off-topic", "message": "Skriv i dialogen om skolan."},
    "spam": {},
    "hide": {},
    "reply": {"text": "Tack, vi tar med det.", "signature": "Kommunstyrelsen"},
    "note": {"note": "Ring tillbaka."},
    "tags": {"tags": "bänkar, torget"},
}

#: Who gets what: (anonymous, resident, editor, moderator_a, moderator_b, superuser).
USERS = ["anonymous", "resident", "editor", "moderator_a", "moderator_b", "superuser"]
ON_A = ["login", "login", "denied", "ok", "not found", "ok"]
ON_B = ["login", "login", "denied", "not found", "ok", "ok"]
ANYWHERE = ["login", "login", "denied", "ok", "ok", "ok"]


def matrix(expected):
    return [pytest.param(user, result, id=user) for user, result in zip(USERS, expected)]


@pytest.mark.parametrize(("who", "expected"), matrix(ANYWHERE))
@pytest.mark.parametrize("view", ["index", "add"])
def test_listing_and_register_form(who, expected, view, users, login):
    assert outcome(login(users[who]).get(inbox_url(view))) == expected


@pytest.mark.parametrize(("who", "expected"), matrix(ANYWHERE))
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export(who, expected, export_format, users, login, contribution_a):
    assert outcome(login(users[who]).get(inbox_url("index"), {"export": export_format})) == expected


@pytest.mark.parametrize(("who", "expected"), matrix(ON_A))
@pytest.mark.parametrize("view", ["edit", "history"])
def test_a_contribution_and_its_history_of_dialog_a(who, expected, view, users, login, contribution_a):
    assert outcome(login(users[who]).get(inbox_url(view, contribution_a.pk))) == expected


@pytest.mark.parametrize(("who", "expected"), matrix(ON_B))
@pytest.mark.parametrize("view", ["edit", "history"])
def test_a_contribution_and_its_history_of_dialog_b(who, expected, view, users, login, contribution_b):
    assert outcome(login(users[who]).get(inbox_url(view, contribution_b.pk))) == expected


@pytest.mark.parametrize(("who", "expected"), matrix(ON_A))
@pytest.mark.parametrize("action", list(ACTION_POSTS))
def test_each_moderation_step_on_dialog_a(who, expected, action, users, login, contribution_a):
    before = contribution_a.__class__.objects.get(pk=contribution_a.pk)
    response = login(users[who]).post(inbox_url("edit", contribution_a.pk), {"action": action, **ACTION_POSTS[action]})
    assert outcome(response) == expected
    after = contribution_a.__class__.objects.get(pk=contribution_a.pk)
    fields = ["status", "reply", "moderator_note", "moderated_at"]
    if expected == "ok":
        if action == "approve":
            assert after.status == ContributionStatus.PUBLISHED
        assert [getattr(after, f) for f in fields] != [getattr(before, f) for f in fields] or action in {
            "hide",
            "tags",
        }
    else:
        assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
        assert not after.tags.exists()


@pytest.mark.parametrize(("who", "expected"), matrix(ON_A))
def test_bulk_actions_on_dialog_a(who, expected, users, login, contribution_a):
    client = login(users[who])
    assert outcome(client.get(bulk_url("approve", contribution_a))) == expected
    assert outcome(client.post(bulk_url("approve", contribution_a))) == expected
    contribution_a.refresh_from_db()
    published = contribution_a.status == ContributionStatus.PUBLISHED
    assert published == (expected == "ok")


@pytest.mark.parametrize(("who", "expected"), matrix(ON_A))
def test_a_bulk_action_never_reaches_another_dialog(who, expected, users, login, contribution_a, contribution_b):
    client = login(users[who])
    client.post(bulk_url("spam", contribution_a, contribution_b))
    contribution_a.refresh_from_db()
    contribution_b.refresh_from_db()
    assert (contribution_a.status == ContributionStatus.SPAM) == (expected == "ok")
    assert (contribution_b.status == ContributionStatus.SPAM) == (who in {"moderator_b", "superuser"})


@pytest.mark.parametrize(
    ("who", "sees"),
    [("moderator_a", {"a"}), ("moderator_b", set()), ("superuser", {"a", "b"})],
)
def test_names_and_emails_only_for_those_allowed_to_see_personal_data(
    who, sees, users, login, contribution_a, contribution_b
):
    client = login(users[who])
    listing = client.get(inbox_url("index")).content.decode()
    assert (EMAIL in listing) == bool(sees)
    assert (NAME in listing) == bool(sees)
    for key, contribution in [("a", contribution_a), ("b", contribution_b)]:
        response = client.get(inbox_url("edit", contribution.pk))
        if response.status_code == 404:
            continue
        page = response.content.decode()
        assert (EMAIL in page) == (key in sees)
        assert (NAME in page) == (key in sees)
    csv = b"".join(client.get(inbox_url("index"), {"export": "csv"}).streaming_content).decode()
    assert (EMAIL in csv) == bool(sees)


def test_a_moderator_lists_only_their_own_dialogs_contributions(users, login, contribution_a, contribution_b):
    page = login(users["moderator_a"]).get(inbox_url("index")).content.decode()
    assert contribution_a.reference in page
    assert contribution_b.reference not in page
    assert "Mer ljus i parken." not in page


def test_the_moderators_group_moderates_every_dialog(django_user_model, login, contribution_a, contribution_b):
    group = make_group("Dialog moderators", perms=["wagtail_dialog.moderate_contribution"])
    user = make_user(django_user_model, "central", groups=[group])
    client = login(user)
    page = client.get(inbox_url("index")).content.decode()
    assert contribution_a.reference in page and contribution_b.reference in page
    assert EMAIL not in page


@pytest.mark.parametrize("view", ["delete", "usage", "copy"])
def test_the_inbox_has_no_delete_usage_or_copy_views(view):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse(f"{INBOX}:{view}", args=[1])


@pytest.mark.parametrize(("who", "shown"), list(zip(USERS, [False, False, False, True, True, True])))
def test_the_menu_item_is_shown_only_to_moderators(who, shown, users):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from wagtail_dialog.admin.inbox import ContributionsMenuItem

    request = RequestFactory().get("/admin/")
    request.user = users[who] or AnonymousUser()
    item = ContributionsMenuItem("Contributions", "/admin/contributions/")
    assert item.is_shown(request) is shown


def test_the_policy_answers_per_instance(users, contribution_a, contribution_b):
    from wagtail_dialog.admin.policy import policy_for

    policy = policy_for(contribution_a.__class__)
    moderator = users["moderator_a"]
    assert policy.user_has_permission(moderator, "change")
    assert not policy.user_has_permission(moderator, "delete")
    assert policy.user_has_permission_for_instance(moderator, "change", contribution_a)
    assert not policy.user_has_permission_for_instance(moderator, "change", contribution_b)
    assert list(policy.instances_user_has_permission_for(moderator, "change")) == [contribution_a]
    assert not policy.user_has_permission(users["editor"], "change")
    assert moderator in policy.users_with_permission_for_instance("change", contribution_a)
    assert moderator not in policy.users_with_permission_for_instance("change", contribution_b)
    assert moderator in policy.users_with_permission("change")
    assert users["editor"] not in policy.users_with_permission("change")


def test_wagtail_itself_asks_the_contribution_policy(contribution_a):
    """Wagtail 8 looks a model's policy up in its registry (admin URL finder, generic
    views); Wagtail 7.4 takes it from the viewset. Either way it is ours."""
    from wagtail_dialog.admin.inbox import ContributionViewSet
    from wagtail_dialog.admin.policy import ContributionPermissionPolicy, policy_for

    model = contribution_a.__class__
    assert ContributionViewSet().permission_policy is policy_for(model)
    try:
        from wagtail.permissions import policy_registry
    except ImportError:  # Wagtail 7.4
        return
    assert isinstance(policy_registry.get_by_type(model), ContributionPermissionPolicy)
