"""The awards' searches and inbox counts read from indexes at a province's scale
(200,000 awards): trigram indexes on the folded recipient columns of the awards (a
search by name, ``clusters.search``) and of the decisions register (a search by number),
and a small partial index of the proposals still climbing the chain, holding every
column the inbox counts read."""

from django.db import migrations, models

from core.migration_ops import trigram_index


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0004_proposals_decisions_initiatives_counts'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='award',
            index=models.Index(condition=models.Q(('status__in', ['proposed', 'returned', 'submitted'])), fields=['body', 'stage', 'status', 'id'], name='award_open_idx'),
        ),
        trigram_index("awards_award"),
        trigram_index("awards_award", "name_text"),
        trigram_index("awards_decision"),
        trigram_index("awards_decision", "name_text"),
    ]
