"""Builders of background exports.

A builder makes one file — ``build(user, object_id, params, progress)`` returns
(file name, bytes), calling ``progress(done, total)`` as it goes — and says what the
file depends on besides the data (``scope``: what the user may see of it). Builders
re-read their object through the scoped selectors of the user who asked, so a task
never hands out more than that user may see, and a file is re-used only for a user who
would see the same.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from clusters.documents import file_stem, year_documents
from clusters.models import OrganizingBody
from clusters.reports import KINDS, YEAR_END
from clusters.selectors import cluster_years_for_user
from core.documents import render_docx, render_pdf, render_xlsx
from reports.documents import report_document
from reports.summary import summary_document, summary_years

Progress = Callable[[int, int], None]
# An Excel file holds a document's tables, one sheet each.
RENDERERS = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}


def _no_progress(done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class Builder:
    build: Callable[..., tuple[str, bytes]]
    scope: Callable[..., str]


def _digest(ids) -> str:
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:16]


# --- The documents of one cluster year --------------------------------------------------


def year_package(user, cluster_year_id: int, params=None, progress: Progress = _no_progress):
    """Every document of a cluster year in one ZIP, as the apps registered them in
    ``clusters.documents.year_documents`` (pledge, minutes, score summary, …): each
    document as PDF and Word, with the files that go with it (spreadsheets)."""
    cluster_year = cluster_years_for_user(user).get(pk=cluster_year_id)
    kinds = list(year_documents)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, kind in enumerate(kinds):
            progress(done, len(kinds))
            for stem, document in kind.build(cluster_year):
                archive.writestr(kind.path(f"{stem}.pdf"), render_pdf(document))
                archive.writestr(kind.path(f"{stem}.docx"), render_docx(document))
            for name, content in kind.files(cluster_year) if kind.files else ():
                archive.writestr(kind.path(name), content)
    name = f"ho-so-{file_stem(cluster_year.cluster.name)}-{cluster_year.year}.zip"
    return name, buffer.getvalue()


def _any_who_sees(user, cluster_year_id: int, params=None) -> str:
    """A cluster year's documents are the same for everyone who may see the year."""
    cluster_years_for_user(user).get(pk=cluster_year_id)
    return "all"


# --- A body's year: the summary and every cluster's report -----------------------------


def _visible_years_scope(user, body_id: int, params) -> str:
    """The cluster years of the body and year the user sees: the file holds those."""
    years = cluster_years_for_user(user).filter(cluster__body_id=body_id, year=params["year"])
    return _digest(years.values_list("pk", flat=True))


def province_summary(user, body_id: int, params, progress: Progress = _no_progress):
    """The summary of a body's clusters and blocs of a year (PDF, Word or Excel)."""
    body = OrganizingBody.objects.get(pk=body_id)
    progress(0, 2)
    document = summary_document(
        summary_years(user, body=body, year=params["year"]), body=body, year=params["year"]
    )
    progress(1, 2)
    fmt = params.get("format", "pdf")
    return f"{document.filename}.{fmt}", RENDERERS[fmt](document)


def report_files(cluster_years, *, kind: str, fmt: str, progress: Progress = _no_progress):
    """(file name, bytes) of the report of ``kind`` of each cluster year, named after
    the cluster without diacritics (its id added when two clusters share a name: two
    bodies may each have a cluster of the same name)."""
    used = set()
    for done, cluster_year in enumerate(cluster_years):
        progress(done, len(cluster_years))
        stem = file_stem(cluster_year.cluster.name)
        if stem in used:
            stem = f"{stem}-{cluster_year.cluster_id}"
        used.add(stem)
        document = report_document(cluster_year=cluster_year, kind=kind)
        yield f"{stem}.{fmt}", RENDERERS[fmt](document)


def year_reports(user, body_id: int, params, progress: Progress = _no_progress):
    """The year-end (or mid-year) report of every cluster and bloc of a body's year the
    user may see, one file per cluster, in one ZIP."""
    body = OrganizingBody.objects.get(pk=body_id)
    kind = params.get("kind", YEAR_END)
    if kind not in KINDS:
        raise ValueError(f"Unknown report kind {kind!r}.")
    fmt = params.get("format", "pdf")
    years = list(
        cluster_years_for_user(user)
        .filter(cluster__body=body, year=params["year"])
        .select_related("next_head", "next_deputy")
        .order_by("cluster__sort_key", "pk")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in report_files(years, kind=kind, fmt=fmt, progress=progress):
            archive.writestr(name, content)
    prefix = "bao-cao-tong-ket" if kind == YEAR_END else "bao-cao-so-ket"
    stem = file_stem(body.short_name or body.name, 40)
    return f"{prefix}-cac-cum-khoi-{params['year']}-{stem}.zip", buffer.getvalue()


BUILDERS = {
    "year_package": Builder(year_package, _any_who_sees),
    "province_summary": Builder(province_summary, _visible_years_scope),
    "year_reports": Builder(year_reports, _visible_years_scope),
}
