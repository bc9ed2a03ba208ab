"""The "Dialog moderators" group, made after every migrate so a site has it from
the start: members moderate every dialog's contributions and may use the admin.
Whether they also see names and emails is a separate permission an
administrator grants on purpose (Settings → Groups).
"""

from django.contrib.auth.models import Group, Permission

from wagtail_dialog.contributions.permissions import MODERATORS_GROUP


def ensure_moderators_group(**kwargs):
    moderate = Permission.objects.filter(
        content_type__app_label="wagtail_dialog", codename="moderate_contribution"
    ).first()
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if moderate is None or access_admin is None:
        # Permissions are created by post_migrate too; the next migrate finds them.
        return
    group, created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if created:
        group.permissions.add(moderate, access_admin)
