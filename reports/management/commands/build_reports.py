from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusters.documents import file_stem
from clusters.models import ClusterYear
from clusters.reports import KINDS, YEAR_END
from core.documents import render_docx, render_pdf, render_xlsx
from reports.documents import report_document

# An Excel file holds the report's tables, one sheet each.
RENDERERS = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}


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
        written = set()
        for cluster_year in years:
            document = report_document(cluster_year=cluster_year, kind=kind)
            stem = file_stem(cluster_year.cluster.name)
            if stem in written:
                # Two bodies may each have a cluster of the same name.
                stem = f"{stem}-{cluster_year.cluster_id}"
            written.add(stem)
            path = directory / f"{stem}.{format}"
            path.write_bytes(RENDERERS[format](document))
            self.stdout.write(str(path))
