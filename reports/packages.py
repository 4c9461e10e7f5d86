"""Builders of background exports: each returns (file name, bytes).

Builders re-read their object through the scoped selectors of the user who asked, so a
task never hands out more than that user may see.
"""

import io
import zipfile

from clusters.documents import file_stem, year_documents
from clusters.selectors import cluster_years_for_user
from core.documents import render_docx, render_pdf


def year_package(user, cluster_year_id: int) -> tuple[str, bytes]:
    """Every document of a cluster year in one ZIP, as the apps registered them in
    ``clusters.documents.year_documents`` (pledge, minutes, score summary, …): each
    document as PDF and Word, with the files that go with it (spreadsheets)."""
    cluster_year = cluster_years_for_user(user).get(pk=cluster_year_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in year_documents:
            for stem, document in kind.build(cluster_year):
                archive.writestr(kind.path(f"{stem}.pdf"), render_pdf(document))
                archive.writestr(kind.path(f"{stem}.docx"), render_docx(document))
            for name, content in kind.files(cluster_year) if kind.files else ():
                archive.writestr(kind.path(name), content)
    name = f"ho-so-{file_stem(cluster_year.cluster.name)}-{cluster_year.year}.zip"
    return name, buffer.getvalue()


BUILDERS = {"year_package": year_package}
