"""Search words and names: every searched column keeps a space before each word and
frames each text with ``|`` (core.text.search_column), so a word's start — however
short — is found through the trigram index; a names-only column ranks names holding
every word first, and the name and short name as words find an exact name by equality."""


from django.db import migrations, models

from core.migration_ops import refresh_search_columns


class Migration(migrations.Migration):

    dependencies = [
        ('pledges', '0004_target_expectation'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmovement',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalmovement',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='historicalmovement',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='movement',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='movement',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='movement',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
            refresh_search_columns(
            "pledges",
            "Movement",
            search=lambda row: [row.name, row.launched_by],
            names=lambda row: [row.name],
        ),
        ]
