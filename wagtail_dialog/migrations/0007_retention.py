# Privacy over time: a retention period per site and per dialog, and when a contribution was anonymised.

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_dialog', '0006_feedback'),
    ]

    operations = [
        migrations.AddField(
            model_name='contribution',
            name='anonymised_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='anonymised at'),
        ),
        migrations.AddField(
            model_name='dialogpage',
            name='retention_months',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Months from the closing or feedback date, whichever is later, before names and email addresses in the contributions are removed. Empty: the site's period.", null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='keep personal data for (months)'),
        ),
        migrations.AddField(
            model_name='dialogsitesettings',
            name='retention_months',
            field=models.PositiveSmallIntegerField(default=24, help_text="After this many months from a dialog's closing or feedback date, whichever is later, names, email addresses and other personal data in its contributions are removed; the text stays. A dialog can set its own period. Decide it with your archivist: public records law may ask for longer.", validators=[django.core.validators.MinValueValidator(1)], verbose_name='keep personal data for (months)'),
        ),
    ]
