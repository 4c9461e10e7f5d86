"""Builders of background exports: each returns (file name, bytes).

Builders re-read their object through the scoped selectors of the user who asked, so a
task never hands out more than that user may see.
"""

import io
import zipfile

from django.utils.text import slugify

from clusters.selectors import cluster_years_for_user
from core.text import fold
from meetings.documents import render_minutes_docx, render_minutes_pdf
from meetings.selectors import meetings_for_user
from pledges import excel as pledge_excel
from pledges.documents import render_pledge_docx, render_pledge_pdf
from pledges.models import Pledge
from pledges.selectors import commitment_grid, result_grid


def ascii_name(text: str) -> str:
    """“Cụm thi đua các huyện” → “cum-thi-dua-cac-huyen” for file names."""
    return slugify(fold(text))[:80] or "tep"


def year_package(user, cluster_year_id: int) -> tuple[str, bytes]:
    """Every document of a cluster year in one ZIP: pledge, results, minutes."""
    cluster_year = cluster_years_for_user(user).get(pk=cluster_year_id)
    cluster = cluster_year.cluster
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        pledge = (
            Pledge.objects.filter(cluster_year=cluster_year)
            .select_related("cluster_year__cluster__body")
            .prefetch_related("movements", "periods")
            .first()
        )
        if pledge is not None:
            archive.writestr("giao-uoc/giao-uoc-thi-dua.pdf", render_pledge_pdf(pledge=pledge))
            archive.writestr("giao-uoc/giao-uoc-thi-dua.docx", render_pledge_docx(pledge=pledge))
            archive.writestr(
                "giao-uoc/cam-ket-chi-tieu.xlsx",
                pledge_excel.build_workbook(
                    grid=commitment_grid(pledge),
                    kind=pledge_excel.COMMITMENTS,
                    title=f"CAM KẾT CHỈ TIÊU — GIAO ƯỚC THI ĐUA NĂM {cluster_year.year}",
                    subtitle=cluster.name,
                    meta={"pledge": pledge.pk},
                ),
            )
            for period in pledge.periods.all():
                period.pledge = pledge
                archive.writestr(
                    f"giao-uoc/ket-qua-{ascii_name(period.name)}.xlsx",
                    pledge_excel.build_workbook(
                        grid=result_grid(period),
                        kind=pledge_excel.RESULTS,
                        title=f"KẾT QUẢ THỰC HIỆN — {period.name.upper()}",
                        subtitle=cluster.name,
                        meta={"pledge": pledge.pk, "period": period.pk},
                    ),
                )
        meetings = meetings_for_user(user).filter(cluster_year=cluster_year).order_by("starts_at")
        for meeting in meetings:
            stem = f"hoi-nghi/{meeting.starts_at:%Y-%m-%d}-{ascii_name(meeting.title)[:50]}"
            archive.writestr(f"{stem}.pdf", render_minutes_pdf(meeting=meeting))
            archive.writestr(f"{stem}.docx", render_minutes_docx(meeting=meeting))
    name = f"ho-so-{ascii_name(cluster.name)}-{cluster_year.year}.zip"
    return name, buffer.getvalue()


BUILDERS = {"year_package": year_package}
