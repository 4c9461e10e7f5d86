"""The awards' searches read from indexes at a province's scale (200,000 awards):
trigram indexes on the folded search and name columns of the awards (a search by the
recipient's name, ``clusters.search``) and of the decisions register (by number). On
PostgreSQL only, as the other apps' (``core.migration_ops``)."""

from django.db import migrations

from core.migration_ops import trigram_index


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0004_proposals_decisions_initiatives_counts'),
    ]

    operations = [
        trigram_index("awards_award"),
        trigram_index("awards_award", "name_text"),
        trigram_index("awards_decision"),
        trigram_index("awards_decision", "name_text"),
    ]
