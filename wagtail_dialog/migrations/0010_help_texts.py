# Help texts only: the tags' own (taggit's has no Swedish), and where residents see the representatives.

import modelcluster.contrib.taggit
import taggit.managers
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        ('wagtail_dialog', '0009_evaluation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='contribution',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='Subjects for compiling the result, separated by commas.', through='wagtail_dialog.ContributionTag', to='taggit.Tag', verbose_name='tags'),
        ),
        migrations.AlterField(
            model_name='dialogpage',
            name='representatives',
            field=models.TextField(blank=True, help_text="The elected representatives who lead the dialogue. Shown to residents on the dialogue's page, under who decides.", verbose_name='responsible representatives'),
        ),
        migrations.AlterField(
            model_name='dialogpage',
            name='tags',
            field=modelcluster.contrib.taggit.ClusterTaggableManager(blank=True, help_text='Subjects of the dialogue, separated by commas. Shown on the page, where residents can find every dialogue on the same subject.', through='wagtail_dialog.DialogPageTag', to='taggit.Tag', verbose_name='tags'),
        ),
    ]
