"""The awards' searches and statistics read from indexes at a province's scale (200,000
awards): trigram indexes on the folded search and name columns of the awards (a search
by the recipient's name, ``clusters.search``) and of the decisions register (by number),
on PostgreSQL only as the other apps' (``core.migration_ops``); and the granted awards'
counting columns, by year and type and by unit and cluster year, for the statistics."""

from django.db import migrations, models

from core.migration_ops import trigram_index


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0004_proposals_decisions_initiatives_counts'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='award',
            index=models.Index(condition=models.Q(('status__in', ['decided', 'presented'])), fields=['body', 'year', 'award_type', 'recipient_kind', 'id'], name='award_granted_type_idx'),
        ),
        migrations.AddIndex(
            model_name='award',
            index=models.Index(condition=models.Q(('status__in', ['decided', 'presented'])), fields=['body', 'unit', 'cluster_year', 'recipient_kind', 'id'], name='award_granted_unit_idx'),
        ),
        trigram_index("awards_award"),
        trigram_index("awards_award", "name_text"),
        trigram_index("awards_decision"),
        trigram_index("awards_decision", "name_text"),
    ]
