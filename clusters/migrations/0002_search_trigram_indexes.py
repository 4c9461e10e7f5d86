from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("clusters", "0001_units_clusters_years")]

    operations = [
        TrigramExtension(),
        trigram_index("clusters_unit"),
        trigram_index("clusters_cluster"),
    ]
