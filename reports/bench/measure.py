"""Measuring the pages, documents and Excel round trips on the benchmark's data set.

Pages are requested in-process through Django's test ``Client`` (logged in with
``force_login``), in interleaved rounds (every page once per round, the order turned by
one each round) so that a slow spell of a shared machine falls on every page alike;
the first rounds are a warm-up. Query counts come from one more request per page under
``CaptureQueriesContext``, outside the timed rounds (capturing costs time too).
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from clusters.models import Person, Unit
from pledges.models import Period, Target
from reports.bench.data import BenchData
from scoring.models import Level


class PageFailed(Exception):
    """A measured page answered other than 200: its figures would mean nothing."""


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    as_admin: bool = False


def _middle(queryset) -> str:
    """The address of the page halfway down a list (paged by key: ``core.pagination``)."""
    count = queryset.count()
    middle = queryset.order_by("sort_key", "pk").values_list("pk", flat=True)[count // 2]
    return f"?after={middle}&from={count // 2 + 2}"


def main_pages(data: BenchData) -> list[Page]:
    """Every main page of the product, on the bench's 12-member year where it matters."""
    people = _middle(Person.objects.filter(body=data.body))
    units = _middle(Unit.objects.filter(body=data.body))
    pledge, period = data.pledge.pk, data.year_end.pk
    search = reverse("reports:search")
    return [
        Page("dashboard", reverse("reports:dashboard")),
        Page("cluster_list", reverse("clusters:cluster-list")),
        Page("cluster_year_list", reverse("clusters:clusteryear-list")),
        Page("cluster_year", reverse("clusters:clusteryear-detail", args=[data.cluster_year.pk])),
        Page("unit_list", reverse("clusters:unit-list")),
        Page("unit_list_deep", reverse("clusters:unit-list") + units),
        Page("people_list", reverse("clusters:person-list")),
        Page("people_list_deep", reverse("clusters:person-list") + people),
        Page("people_list_last", reverse("clusters:person-list") + "?last=1"),
        Page("people_search", reverse("clusters:person-list") + "?q=nguyen+van"),
        Page("search_broad", search + "?q=nguyen+van"),
        Page("search_selective", search + "?q=luc+thi+thu+thuy"),
        Page("search_short_ly_ma", search + "?q=ly+ma"),
        Page("search_short_na_ri", search + "?q=na+ri"),
        Page("pledge", reverse("pledges:pledge-detail", args=[pledge])),
        Page("pledge_targets", reverse("pledges:pledge-targets", args=[pledge])),
        Page("pledge_commitments", reverse("pledges:pledge-commitments", args=[pledge])),
        Page("pledge_registrations", reverse("pledges:pledge-registrations", args=[pledge])),
        Page("pledge_signatures", reverse("pledges:pledge-signatures", args=[pledge])),
        Page("results_grid", reverse("pledges:period-results", args=[period])),
        Page(
            "expectations_grid",
            reverse("pledges:period-expectations", args=[data.mid_year.pk]),
        ),
        Page("heat_table", reverse("pledges:period-detail", args=[period])),
        Page("meeting_list", reverse("meetings:meeting-list")),
        Page("meeting", reverse("meetings:meeting-detail", args=[data.meeting.pk])),
        Page("exemplar_list", reverse("meetings:exemplar-list")),
        Page(
            "scoring_grid",
            reverse("scoring:criteriasheet-scores", args=[data.sheet.pk, Level.CLUSTER.value]),
        ),
        Page("ranking", reverse("scoring:criteriasheet-results", args=[data.sheet.pk])),
        Page("unit_history", reverse("clusters:unit-detail", args=[data.unit.pk])),
        Page("person", reverse("clusters:person-detail", args=[data.person.pk])),
        Page(
            "province_summary",
            reverse("reports:summary") + f"?body={data.body.pk}&year={data.cluster_year.year}",
        ),
        Page("audit_log", reverse("reports:audit-log")),
        Page("pledge_history", reverse("pledges:pledge-history", args=[pledge])),
    ]


def baseline_pages() -> list[Page]:
    changelist = reverse("bench_admin:clusters_person_changelist")
    return [
        Page("admin_changelist", changelist, as_admin=True),
        # The admin searches the names as typed, with their diacritics.
        Page("admin_search", changelist + "?" + urlencode({"q": "Nguyễn Văn"}), as_admin=True),
        Page("floor", reverse("bench-floor")),
    ]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, page: Page):
    response = client.get(page.url, secure=True)
    if response.status_code != 200:
        raise PageFailed(f"{page.name}: GET {page.url} answered {response.status_code}")
    return response


def measure_pages(
    pages: list[Page], clients: dict[bool, Client], *, samples: int, warmup: int
) -> dict[str, dict]:
    """{name: {"p50_ms", "p95_ms", "queries"}} for every page, measured interleaved."""
    times: dict[str, list[float]] = {page.name: [] for page in pages}
    for round_number in range(warmup + samples):
        turn = round_number % len(pages)
        for page in pages[turn:] + pages[:turn]:
            client = clients[page.as_admin]
            start = time.perf_counter()
            _get(client, page)
            elapsed = (time.perf_counter() - start) * 1000
            if round_number >= warmup:
                times[page.name].append(elapsed)
    figures = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            _get(clients[page.as_admin], page)
        figures[page.name] = {**percentiles(times[page.name]), "queries": len(queries)}
    return figures


def percentiles(samples: list[float]) -> dict[str, float]:
    if len(samples) < 2:
        value = round(samples[0], 2)
        return {"p50_ms": value, "p95_ms": value}
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2)}


# --- Documents -------------------------------------------------------------------------


def _seconds(build: Callable[[], object], repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        build()
        runs.append(time.perf_counter() - start)
    return round(statistics.median(runs), 3)


def measure_documents(data: BenchData, *, repeats: int) -> dict[str, float]:
    from clusters.reports import YEAR_END
    from core.documents import render_pdf
    from meetings.documents import render_minutes_pdf
    from pledges.documents import render_pledge_pdf
    from reports.documents import report_document
    from reports.packages import year_package

    year = data.cluster_year
    return {
        "pledge_pdf_s": _seconds(lambda: render_pledge_pdf(pledge=data.pledge), repeats),
        "minutes_pdf_s": _seconds(lambda: render_minutes_pdf(meeting=data.meeting), repeats),
        "year_end_pdf_s": _seconds(
            lambda: render_pdf(report_document(cluster_year=year, kind=YEAR_END)), repeats
        ),
        "year_zip_s": _seconds(lambda: year_package(data.staff, year.pk), repeats),
    }


# --- Excel -----------------------------------------------------------------------------


@dataclass
class ExcelRun:
    members: int
    targets: int
    export_s: float
    import_s: float
    changed: int

    @property
    def cells(self) -> int:
        return self.members * self.targets

    @property
    def export_rows_per_s(self) -> float:
        return round(self.cells / self.export_s, 1)

    @property
    def import_rows_per_s(self) -> float:
        return round(self.cells / self.import_s, 1)


def measure_excel(data: BenchData) -> list[ExcelRun]:
    """The results template of 12 members × 20 targets, then × 200 (the year before's
    pledge, given 180 more targets), each downloaded, every cell changed, imported
    through the same parsing and service as the import page (a reused data set has its
    180 already)."""
    have = Target.objects.filter(pledge=data.previous_pledge, order__gte=1000).count()
    extra = [
        Target(
            pledge=data.previous_pledge,
            group="Chỉ tiêu bổ sung",
            order=1000 + index,
            name=f"Chỉ tiêu bổ sung số {index + 1}",
            unit_of_measure="công trình",
        )
        for index in range(have, 180)
    ]
    Target.objects.bulk_create(extra)
    previous_end = Period.objects.get(pledge=data.previous_pledge, kind=Period.Kind.YEAR_END)
    with translation.override(settings.LANGUAGE_CODE):
        return [_excel_round(data.year_end, data.staff), _excel_round(previous_end, data.staff)]


def _excel_round(period: Period, user) -> ExcelRun:
    import openpyxl

    from pledges import excel, selectors, services

    grid = selectors.result_grid(period)
    meta = {"pledge": period.pledge_id, "period": period.pk}
    start = time.perf_counter()
    content = excel.build_workbook(
        grid=grid, kind=excel.RESULTS, title=period.name.upper(), subtitle="", meta=meta
    )
    export_s = time.perf_counter() - start

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[excel.sheet_title(excel.RESULTS)]
    targets = {f"T{target.pk}": target for target in grid.targets}
    for row in range(excel.FIRST_DATA_ROW, excel.FIRST_DATA_ROW + len(grid.targets)):
        target = targets[sheet.cell(row=row, column=1).value]
        for offset in range(len(grid.members)):
            cell = sheet.cell(row=row, column=excel.FIRST_MEMBER_COLUMN + offset)
            cell.value = _changed(target, cell.value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("ket-qua.xlsx", buffer.getvalue())

    start = time.perf_counter()
    result = excel.parse_workbook(upload=upload, grid=grid, kind=excel.RESULTS, meta=meta)
    if not result.ok:
        raise PageFailed(f"Excel import refused: {[str(p) for p in result.problems[:3]]}")
    changed = services.results_save(period=period, cells=result.cells, user=user)
    import_s = time.perf_counter() - start
    return ExcelRun(len(grid.members), len(grid.targets), export_s, import_s, changed)


def _changed(target: Target, value):
    if target.measure == Target.Measure.TEXT:
        return f"{value or ''} (cập nhật)".strip()
    if target.measure == Target.Measure.BOOLEAN:
        return "Không" if value == "Có" else "Có"
    return float(Decimal(str(value or 0)) + 1)
