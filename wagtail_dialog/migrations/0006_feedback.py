# Feedback: the minutes link, "you said – we did" pairs, and when each author was emailed the feedback.

import wagtail.fields
from django.db import migrations, models
from django.utils import timezone


def feedback_already_given_counts_as_sent(apps, schema_editor):
    # Without this, the first publish or the first daily run after upgrading
    # would email the feedback of every past dialog to its authors, years late.
    Contribution = apps.get_model("wagtail_dialog", "Contribution")
    DialogPage = apps.get_model("wagtail_dialog", "DialogPage")
    given = DialogPage.objects.filter(feedback_published_on__isnull=False).values("pk")
    Contribution.objects.filter(dialog_id__in=given, feedback_sent_at__isnull=True).update(
        feedback_sent_at=timezone.now()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_dialog', '0005_alert_interval'),
    ]

    operations = [
        migrations.AddField(
            model_name='contribution',
            name='feedback_sent_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='feedback emailed at'),
        ),
        migrations.AddField(
            model_name='dialogpage',
            name='feedback_pairs',
            field=wagtail.fields.StreamField([('you_said_we_did', 6)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'required': False}), 1: ('wagtail.blocks.TextBlock', (), {'label': 'Introduction', 'required': False}), 2: ('wagtail.blocks.TextBlock', (), {'label': 'You said'}), 3: ('wagtail.blocks.TextBlock', (), {'label': 'We did'}), 4: ('wagtail.blocks.StructBlock', [[('you_said', 2), ('we_did', 3)]], {}), 5: ('wagtail.blocks.ListBlock', (4,), {'label': 'Pairs', 'min_num': 1}), 6: ('wagtail.blocks.StructBlock', [[('heading', 0), ('intro', 1), ('pairs', 5)]], {})}, help_text='What residents said and what the municipality did about it, shown with the feedback.', verbose_name='you said – we did'),
        ),
        migrations.AddField(
            model_name='dialogpage',
            name='minutes_url',
            field=models.URLField(blank=True, help_text='The minutes (protokoll) or decision document, if online.', verbose_name='link to the minutes'),
        ),
        migrations.RunPython(feedback_already_given_counts_as_sent, migrations.RunPython.noop),
    ]
