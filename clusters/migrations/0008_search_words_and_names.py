"""Search words and names: every searched column keeps a space before each word and
frames each text with ``|`` (core.text.search_column), so a word's start — however
short — is found through the trigram index; a names-only column ranks names holding
every word first, and the name and short name as words find an exact name by equality."""


from django.db import migrations, models

from core.migration_ops import refresh_search_columns, trigram_index


class Migration(migrations.Migration):

    dependencies = [
        ('clusters', '0007_audit_bodies_roles_accounts'),
    ]

    operations = [
        migrations.AddField(
            model_name='awardtype',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='awardtype',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='awardtype',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='cluster',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='cluster',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='cluster',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalawardtype',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalawardtype',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='historicalawardtype',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalcluster',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalcluster',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='historicalcluster',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalperson',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalperson',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='historicalperson',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalunit',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='historicalunit',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='historicalunit',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='person',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='person',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='person',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='unit',
            name='name_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name='unit',
            name='name_text',
            field=models.TextField(db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='unit',
            name='short_fold',
            field=models.CharField(db_default='', db_index=True, default='', editable=False, max_length=800),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['sort_key', 'id'], name='person_sort_key_id_idx'),
        ),
            refresh_search_columns(
            "clusters",
            "Unit",
            search=lambda row: [row.name, row.short_name, row.code],
            names=lambda row: [row.name, row.short_name],
        ),
        refresh_search_columns(
            "clusters",
            "Cluster",
            search=lambda row: [row.name, row.body.name],
            names=lambda row: [row.name],
            related=["body"],
        ),
        refresh_search_columns(
            "clusters",
            "Person",
            search=lambda row: [row.full_name, row.position, row.unit.name if row.unit else ""],
            names=lambda row: [row.full_name],
            related=["unit"],
        ),
        refresh_search_columns(
            "clusters",
            "AwardType",
            search=lambda row: [row.name, row.short_name],
            names=lambda row: [row.name, row.short_name],
        ),
        trigram_index("clusters_unit", "name_text"),
        trigram_index("clusters_cluster", "name_text"),
        trigram_index("clusters_person", "name_text"),
        ]
