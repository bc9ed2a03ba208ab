# Search terms on contributions and dialog pages (see wagtail_dialog/search.py),
# filled in for what exists, with GIN indexes on PostgreSQL.

from django.db import migrations, models
from django.utils.html import strip_tags

#: (index name, table, column, condition): the expression is the one search.matching()
#: asks about. The public terms of contributions are only ever searched among
#: published ones, so their index holds only those (and a count needs no table read).
GIN_INDEXES = [
    ("wagtail_dialog_contribution_terms_gin", "wagtail_dialog_contribution", "search_terms",
     "WHERE status = 'published'"),
    ("wagtail_dialog_contribution_modterms_gin", "wagtail_dialog_contribution", "moderator_search_terms", ""),
    ("wagtail_dialog_dialogpage_terms_gin", "wagtail_dialog_dialogpage", "search_terms", ""),
]


BATCH = 500


def fill_terms(apps, schema_editor):
    from wagtail_dialog.search.database import stored_terms

    # Written in batches: one UPDATE per row would be a query per contribution.
    Contribution = apps.get_model("wagtail_dialog", "Contribution")
    batch = []
    for contribution in Contribution.objects.only("text", "reply", "moderator_note").iterator(chunk_size=BATCH):
        contribution.search_terms = stored_terms(contribution.text, contribution.reply)
        contribution.moderator_search_terms = stored_terms(
            contribution.text, contribution.reply, contribution.moderator_note
        )
        batch.append(contribution)
        if len(batch) == BATCH:
            Contribution.objects.bulk_update(batch, ["search_terms", "moderator_search_terms"])
            batch = []
    if batch:
        Contribution.objects.bulk_update(batch, ["search_terms", "moderator_search_terms"])
    # The body and the tags join in at the page's next publication, or with
    # `manage.py update_dialog_search`.
    DialogPage = apps.get_model("wagtail_dialog", "DialogPage")
    pages = list(DialogPage.objects.all())
    for page in pages:
        page.search_terms = stored_terms(
            page.title, page.question, page.purpose, strip_tags(page.background), page.scope_open,
            page.decision_summary, page.feedback_summary, page.participation_effect,
        )
    if pages:
        DialogPage.objects.bulk_update(pages, ["search_terms"], batch_size=BATCH)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column, condition in GIN_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE({column}, ''::text))) {condition}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, *_ in GIN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_dialog', '0003_contributions'),
    ]

    operations = [
        migrations.AddField(
            model_name='contribution',
            name='moderator_search_terms',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='contribution',
            name='search_terms',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='dialogpage',
            name='search_terms',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_terms, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
