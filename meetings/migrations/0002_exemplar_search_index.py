from django.db import migrations

from core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_meetings_minutes_exemplars")]

    operations = [trigram_index("meetings_exemplar")]
