"""Search words and names: every searched column keeps a space before each word and
frames each text with ``|`` (core.text.search_column), so a word's start — however
short — is found through the trigram index; a names-only column ranks names holding
every word first, and the name and short name as words find an exact name by equality."""


from django.db import migrations, models

from core.migration_ops import refresh_search_columns


def _name(row) -> str:
    return row.person.full_name if row.kind == "person" and row.person else row.collective


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0002_exemplar_search_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='exemplar',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='exemplar',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='exemplar',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalexemplar',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalexemplar',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='historicalexemplar',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
            refresh_search_columns(
            "meetings",
            "Exemplar",
            search=lambda row: [_name(row), row.achievement[:300]],
            names=lambda row: [_name(row)],
            related=["person"],
        ),
        ]
