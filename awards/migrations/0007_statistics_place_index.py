"""The statistics' counts by unit and cluster year, and by year and type, read one
deduplicated partial index of the granted awards (no id, so equal rows are kept once:
379 pages for 200,000 awards against the 2,500 of the index it replaces). The larger one
cost the planner more than the table or the body's index as soon as the table changed
(a count of 60 ms then took 275 ms), and it could not bound the years by index."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0006_award_waiting_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='award',
            name='award_granted_unit_idx',
        ),
        migrations.AddIndex(
            model_name='award',
            index=models.Index(condition=models.Q(('status__in', ['decided', 'presented'])), fields=['body', 'unit', 'cluster_year', 'recipient_kind', 'year', 'award_type'], name='award_granted_place_idx'),
        ),
    ]
