# A person's request about their own data: the audit record of access and erasure, without the address.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_dialog', '0007_retention'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonalDataRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('access', 'Access (export)'), ('erasure', 'Erasure')], max_length=20, verbose_name='kind')),
                ('email_digest', models.CharField(db_index=True, editable=False, max_length=64, verbose_name='email digest')),
                ('mode', models.CharField(blank=True, choices=[('anonymise', 'Anonymise: remove the personal data, keep the text'), ('delete', 'Delete the contributions entirely')], max_length=20, verbose_name='erasure mode')),
                ('contributions', models.PositiveIntegerField(default=0, verbose_name='contributions')),
                ('dialogs', models.JSONField(blank=True, default=list, verbose_name='dialogs affected')),
                ('note', models.CharField(blank=True, help_text="E.g. the request's registration number (diarienummer). Do not write the email address here.", max_length=255, verbose_name='case number or note')),
                ('handled_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='handled at')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
            ],
            options={
                'verbose_name': 'personal data request',
                'verbose_name_plural': 'personal data requests',
                'ordering': ['-handled_at', '-pk'],
                'permissions': [('handle_personal_data_requests', "Can find, export and erase a person's data")],
                'default_permissions': (),
            },
        ),
    ]
