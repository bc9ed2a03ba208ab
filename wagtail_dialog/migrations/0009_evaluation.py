# Evaluation: the anonymous participant survey, the site's principles and the staff's self-assessment
# against them; the number of people who took part, for the annual follow-up.

import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail_dialog.followup.evaluation
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_dialog', '0008_personal_data_request'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='dialogpage',
            name='participant_count',
            field=models.PositiveIntegerField(blank=True, help_text='As counted by those who ran the dialogue: everyone who took part, at meetings and workshops as well as on the web. Reported in the annual follow-up.', null=True, verbose_name='people who took part'),
        ),
        migrations.CreateModel(
            name='EvaluationPrinciple',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('title', models.CharField(max_length=255, verbose_name='principle')),
                ('explanation', models.TextField(blank=True, verbose_name='explanation')),
                ('settings', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluation_principles', to='wagtail_dialog.dialogsitesettings')),
            ],
            options={
                'verbose_name': 'principle',
                'verbose_name_plural': 'principles',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(default=wagtail_dialog.followup.evaluation.this_month, editable=False, verbose_name='month answered')),
                ('understood_influence', models.CharField(choices=[('yes', 'Yes'), ('partly', 'Partly'), ('no', 'No'), ('dont-know', "Don't know")], max_length=10, verbose_name='Did you understand how much you could influence the decision?')),
                ('accessible', models.CharField(choices=[('yes', 'Yes'), ('partly', 'Partly'), ('no', 'No'), ('dont-know', "Don't know")], max_length=10, verbose_name='Was it easy for you to take part?')),
                ('got_feedback', models.CharField(choices=[('yes', 'Yes'), ('partly', 'Partly'), ('no', 'No'), ('dont-know', "Don't know")], max_length=10, verbose_name='Have you been told what came of the dialogue?')),
                ('take_part_again', models.CharField(choices=[('yes', 'Yes'), ('partly', 'Partly'), ('no', 'No'), ('dont-know', "Don't know")], max_length=10, verbose_name='Would you take part in a dialogue like this again?')),
                ('improvement', models.TextField(blank=True, verbose_name='what could we do better')),
                ('dialog', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_responses', to='wagtail_dialog.dialogpage', verbose_name='dialog')),
            ],
            options={
                'verbose_name': 'survey response',
                'verbose_name_plural': 'survey responses',
                'ordering': ['dialog', 'improvement'],
            },
        ),
        migrations.CreateModel(
            name='SelfAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('principle_title', models.CharField(max_length=255, verbose_name='principle')),
                ('rating', models.CharField(choices=[('met', 'Met'), ('mostly', 'Mostly met'), ('partly', 'Partly met'), ('not-met', 'Not met')], max_length=10, verbose_name='assessment')),
                ('comment', models.TextField(blank=True, verbose_name='what went well, what to do differently')),
                ('assessed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='assessed at')),
                ('assessed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assessed by')),
                ('dialog', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='self_assessments', to='wagtail_dialog.dialogpage', verbose_name='dialog')),
                ('principle', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtail_dialog.evaluationprinciple', verbose_name='principle')),
            ],
            options={
                'verbose_name': 'self-assessment',
                'verbose_name_plural': 'self-assessments',
                'ordering': ['dialog', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('dialog', 'principle'), name='wagtail_dialog_one_assessment_per_principle')],
            },
        ),
    ]
