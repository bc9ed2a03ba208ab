import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail_dialog.contributions.permissions import MODERATORS_GROUP


@pytest.mark.django_db
def test_migrate_creates_the_moderators_group_with_moderation_but_not_personal_data():
    call_command("migrate", verbosity=0)
    group = Group.objects.get(name=MODERATORS_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {"moderate_contribution", "access_admin"}


@pytest.mark.django_db
def test_an_administrators_changes_to_the_group_survive_the_next_migrate():
    call_command("migrate", verbosity=0)
    group = Group.objects.get(name=MODERATORS_GROUP)
    group.permissions.clear()
    call_command("migrate", verbosity=0)
    assert not group.permissions.exists()
