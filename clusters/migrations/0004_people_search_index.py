from django.db import migrations

from core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("clusters", "0003_people")]

    operations = [trigram_index("clusters_person")]
