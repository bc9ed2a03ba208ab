# The moderator alert is sent at most once per dialog per interval (ALERT_INTERVAL): the choice says so.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_dialog', '0004_search_terms'),
    ]

    operations = [
        migrations.AlterField(
            model_name='dialogsitesettings',
            name='moderator_alerts',
            field=models.CharField(choices=[('immediate', 'An email as new contributions arrive'), ('daily', 'A daily digest'), ('off', 'No email')], default='immediate', help_text='As contributions arrive: at most one email per dialog every ten minutes (unless the site sets another interval), saying how many wait. A daily digest needs the send_dialog_digest command run daily.', max_length=20, verbose_name='alert moderators'),
        ),
    ]
