from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusters.models import ClusterYear
from clusters.reports import KINDS, YEAR_END
from reports.packages import RENDERERS, report_files


class Command(BaseCommand):
    help = (
        "Write the year-end or mid-year report of every cluster year of a year into a "
        "folder, one file per cluster, named after the cluster without diacritics: a PDF, "
        "a Word file, or the report's tables as an Excel workbook."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", choices=KINDS, default=YEAR_END)
        parser.add_argument("--output-dir", required=True)
        parser.add_argument("--format", choices=sorted(RENDERERS), default="pdf")
        parser.add_argument("--cluster", type=int, help="Only the cluster with this id.")

    def handle(self, *args, year, kind, output_dir, format, cluster=None, **options):
        years = ClusterYear.objects.filter(year=year).select_related(
            "cluster", "cluster__body", "next_head", "next_deputy"
        )
        if cluster is not None:
            years = years.filter(cluster_id=cluster)
        years = list(years.order_by("cluster__sort_key", "pk"))
        if not years:
            raise CommandError(
                f"No cluster year {year}" + (f" of cluster {cluster}." if cluster else ".")
            )
        directory = Path(output_dir)
        directory.mkdir(parents=True, exist_ok=True)
        for name, content in report_files(years, kind=kind, fmt=format):
            path = directory / name
            path.write_bytes(content)
            self.stdout.write(str(path))
