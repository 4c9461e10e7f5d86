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
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from clusters.models import Person, Unit
from core.runtime import settle
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
    votes = []
    if data.vote is not None:  # a set kept by a run from before the votes has none
        votes = [
            Page("vote_list", reverse("votes:vote-list", args=[data.meeting.pk])),
            Page("vote", reverse("votes:vote-detail", args=[data.vote.pk])),
            Page("hall_screen", reverse("votes:vote-screen", args=[data.vote.pk])),
        ]
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
        *votes,
        *award_pages(data),
    ]


# The award pages (their budgets and baselines: ``reports.bench.budgets``).
AWARD_PAGES = (
    "award_list",
    "award_list_year",
    "award_list_type",
    "award_list_level",
    "award_list_deep",
    "award_search_broad",
    "award_search_selective",
    "decision_list",
    "decision_search",
    "unit_awards_merged",
    "award_statistics",
    "award_inbox",
)
# Pages skipped while their view is not there yet: {name: why}, filled by award_pages.
SKIPPED: dict[str, str] = {}


def _award_page(name: str, url_name: str, query: str = "", args=()) -> Page | None:
    """The page, or ``None`` (noted in ``SKIPPED``) while ``url_name`` is not defined."""
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        SKIPPED[name] = f"{url_name} is not defined yet"
        return None
    return Page(name, url + (f"?{query}" if query else ""))


def award_pages(data: BenchData) -> list[Page]:
    """The award list (whole, by year, type and level, a page deep down by its cursor),
    the search by recipient name, the decisions register (whole and by number), the
    history of a commune formed by the 2025 merger, the statistics and the inbox."""
    from awards.models import Award

    SKIPPED.clear()
    awards = Award.objects.filter(body=data.body)
    if data.merged_unit is None or not awards.exists():  # a set kept before the awards
        SKIPPED["award_*"] = "the kept data set has no awards: build it again"
        return []
    years = data.scale.years
    provincial = (
        awards.filter(award_type__name="Bằng khen của UBND tỉnh").values("award_type").first()
    )
    middle = _award_middle(awards)
    number = urlencode({"q": data.decision_number})
    pages = [
        _award_page("award_list", "awards:award-list"),
        _award_page("award_list_year", "awards:award-list", f"year={years[len(years) // 2]}"),
        _award_page(
            "award_list_type", "awards:award-list", f"award_type={provincial['award_type']}"
        ),
        _award_page("award_list_level", "awards:award-list", "level=province"),
        _award_page("award_list_deep", "awards:award-list", middle),
        _award_page("award_search_broad", "awards:award-list", "q=nguyen+van"),
        _award_page("award_search_selective", "awards:award-list", "q=luc+thi+thu+thuy"),
        _award_page("decision_list", "awards:decision-list"),
        _award_page("decision_search", "awards:decision-list", number),
        _award_page("unit_awards_merged", "clusters:unit-detail", args=[data.merged_unit.pk]),
        _award_page("award_statistics", "awards:statistics"),
        _award_page("award_inbox", "awards:inbox"),
    ]
    return [page for page in pages if page is not None]


def _award_middle(awards) -> str:
    """The address of the page halfway down the award list, in its order (newest year
    first, then by name), reached by its cursor as the list's own links reach it."""
    count = awards.count()
    ordered = awards.order_by("-year", "sort_key", "pk").values_list("pk", flat=True)
    return f"after={ordered[count // 2]}&from={count // 2 + 2}"


def baseline_pages() -> list[Page]:
    changelist = reverse("bench_admin:clusters_person_changelist")
    awards = reverse("bench_admin:awards_award_changelist")
    # The admin searches the names as typed, with their diacritics.
    search = "?" + urlencode({"q": "Nguyễn Văn"})
    return [
        Page("admin_changelist", changelist, as_admin=True),
        Page("admin_search", changelist + search, as_admin=True),
        Page("admin_awards", awards, as_admin=True),
        Page("admin_awards_search", awards + search, as_admin=True),
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
    """{name: {"p50_ms", "p95_ms", "queries"}} for every page, measured interleaved, in
    a process settled as a server's worker settles once loaded (``core.runtime``)."""
    settle()
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


# --- Import of historical award lists ---------------------------------------------------

AWARD_IMPORT_ROWS = 2000


@dataclass
class AwardImportRun:
    rows: int
    preview_s: float  # the upload read and resolved (the preview)
    confirm_read_s: float  # the kept cells looked up again with the choices made
    service_s: float  # ``awards.services.awards_import``
    created: int

    @property
    def preview_rows_per_s(self) -> float:
        return round(self.rows / self.preview_s, 1)

    @property
    def confirm_rows_per_s(self) -> float:
        return round(self.rows / self.service_s, 1)

    @property
    def request_rows_per_s(self) -> float:
        """The confirmation as the page does it: read again, then recorded."""
        return round(self.rows / (self.confirm_read_s + self.service_s), 1)


def measure_award_import(data: BenchData, *, rows: int = AWARD_IMPORT_ROWS) -> AwardImportRun:
    """A list of ``rows`` awards on the import's template, made of the data set's own
    people and units (individuals of the register and not, collectives, member units;
    a few of the register's decisions and new ones), read and resolved as the preview
    does (its cells kept as JSON), every ambiguous name answered as a user would, the
    kept cells looked up again as the confirmation does and recorded through
    ``awards.services.awards_import`` — in a transaction rolled back at the end, so a
    kept data set is left as it was."""
    from django.db import transaction

    from awards import imports, services

    book, intended = _award_import_workbook(data, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()

    def upload():
        return SimpleUploadedFile("khen-thuong.xlsx", content)

    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        start = time.perf_counter()
        cells = imports.read_cells(upload())
        result = imports.check_cells(cells, body=data.body)
        kept = cells.as_json()
        preview_s = time.perf_counter() - start
        if result.problems or result.error_rows:
            problems = [str(p) for p in result.problems[:3]]
            problems += [f"{row.number}: {row.errors}" for row in result.error_rows[:3]]
            raise PageFailed(f"award import refused: {problems}")
        choices = {}
        for row in result.choice_rows:
            what = "unit" if row.unit_choices else "person"
            choices[(row.number, what)] = str(intended[row.number][what])
        start = time.perf_counter()
        cells = imports.SheetCells.from_json(kept)
        result = imports.check_cells(cells, body=data.body, choices=choices)
        confirm_read_s = time.perf_counter() - start
        if not result.ok:
            raise PageFailed(f"award import still waits: {len(result.choice_rows)} choices")
        start = time.perf_counter()
        created, _skipped = services.awards_import(
            body=data.body, by=data.staff, rows=[row.service_row() for row in result.rows]
        )
        if connection.vendor == "postgresql":
            # The foreign keys are checked at commit (deferred): check them now, in the
            # time measured, since this transaction is rolled back instead.
            connection.check_constraints()
        service_s = time.perf_counter() - start
        transaction.set_rollback(True)
    if created != len(result.rows):
        raise PageFailed(f"award import: {created} of {len(result.rows)} rows recorded")
    return AwardImportRun(len(result.rows), preview_s, confirm_read_s, service_s, created)


def _award_import_workbook(data: BenchData, rows: int):
    """The filled template and, by sheet row, the unit and person each row means."""
    import datetime

    from openpyxl import load_workbook

    from awards import imports
    from awards.models import Decision, RecipientKind

    book = load_workbook(io.BytesIO(imports.template_workbook(body=data.body)))
    sheet = book[imports.SHEET_TITLE]
    types = imports.award_types_of(data.body)

    def type_for(kind):
        return next(t for t in types if t.allows(kind)).name

    years = data.scale.years
    # New decisions (numbers the register has not), and two of the register's own.
    decisions = [
        (f"{index + 1}/QĐ-KTLS", datetime.date(years[index % len(years)], 12, 10 + index % 15))
        for index in range(18)
    ]
    decisions += [
        (decision.number, decision.signed_on)
        for decision in Decision.objects.filter(body=data.body).order_by("pk")[:2]
    ]
    units = list(Unit.objects.filter(body=data.body).order_by("pk")[:300])
    people = list(
        Person.objects.filter(body=data.body, unit__isnull=False)
        .select_related("unit")
        .order_by("pk")[: rows * 7 // 10]
    )
    plan = []  # (kind, name, position, unit name, unit, person)
    named = set()  # two namesakes of one unit would be the same row
    for person in people:
        if (person.name_fold, person.unit_id) in named:
            continue
        named.add((person.name_fold, person.unit_id))
        plan.append(
            (RecipientKind.INDIVIDUAL, person.full_name, person.position, person.unit.name,
             person.unit, person)
        )  # fmt: skip
    for index in range(rows // 10):
        unit = units[index % len(units)]
        plan.append((RecipientKind.UNIT, "", "", unit.name, unit, None))
        plan.append(
            (RecipientKind.COLLECTIVE, f"Tổ công tác số {index + 1}", "", unit.name, unit, None)
        )
    for index in range(rows - len(plan)):
        plan.append(
            (RecipientKind.INDIVIDUAL, f"Hoàng Thị Nhập {index + 1}", "Cán bộ", "", None, None)
        )
    kind_labels = dict(zip(RecipientKind.values, imports.KIND_LABELS, strict=True))
    columns = {column.key: number for number, column in enumerate(imports.COLUMNS, start=2)}
    intended = {}
    unit_turns: dict[int, int] = {}
    for offset, (kind, name, position, unit_name, unit, person) in enumerate(plan, start=1):
        row = imports.HEADER_ROW + offset
        if kind == RecipientKind.UNIT:
            # A unit is awarded once per decision: its n-th row takes the n-th decision.
            turn = unit_turns[unit.pk] = unit_turns.get(unit.pk, -1) + 1
            number, signed_on = decisions[turn % len(decisions)]
        else:
            number, signed_on = decisions[offset % len(decisions)]
        values = {
            "year": signed_on.year,
            "award_type": type_for(kind),
            "kind": kind_labels[kind],
            "name": name,
            "position": position,
            "unit": unit_name,
            "decision_number": number,
            "decision_date": signed_on.strftime("%d/%m/%Y"),
            "authority": "Chủ tịch UBND tỉnh",
        }
        sheet.cell(row=row, column=1, value=offset)
        for key, value in values.items():
            if value:
                sheet.cell(row=row, column=columns[key], value=value)
        intended[row] = {
            "unit": unit.pk if unit else "",
            "person": person.pk if person else imports.NOT_IN_REGISTER,
        }
    return book, intended


# --- Electronic ballots ----------------------------------------------------------------

BALLOTS = 200
BALLOT_CLIENTS = 8
REUSED_PER_CLIENT = 3  # used codes each client sends again, each to be refused


@dataclass
class _Client:
    """What one voting client did."""

    cast: int = 0
    refused: int = 0  # used codes sent again and refused
    errors: list = field(default_factory=list)


def measure_ballots(
    data: BenchData, *, ballots: int = BALLOTS, clients: int = BALLOT_CLIENTS
) -> dict:
    """``ballots`` electronic ballots cast through the public ballot page by ``clients``
    concurrent anonymous clients, each in a thread of its own with its own database
    connection: every voter opens the ballot from its code (GET, as from the QR code)
    and sends it (POST with the CSRF token, as a browser does); each client also sends
    a few codes it has used again, which must be refused. The vote is then closed
    through ``votes.services.vote_close`` and counted.

    Concurrency needs a database whose writers wait for each other and rows the other
    connections see (``_writers_wait``). Otherwise the same clients take turns in this
    thread: ``concurrent`` says which.
    """
    from django.core.cache import cache
    from django.db import connections
    from django.test.utils import override_settings

    from reports.bench.data import ballot_hall, remove_ballot_hall
    from votes import services
    from votes.models import BallotCode, ElectronicBallot

    concurrent = _writers_wait()
    vote = ballot_hall(data.body, voters=ballots, year=data.cluster_year.year)
    try:
        codes = list(vote.issued_codes)
        candidates = list(vote.candidates.order_by("order").values_list("pk", flat=True))
        shares = [codes[index::clients] for index in range(clients)]
        results = [_Client() for _ in range(clients)]
        ballot_url = reverse("votes:public-ballot")
        done_url = reverse("votes:public-ballot-done")
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]

        def vote_with(index: int, barrier) -> None:
            import random

            rng = random.Random(index)
            outcome = results[index]
            client = Client(enforce_csrf_checks=True)
            origin = {"Origin": "https://testserver"}
            try:
                if barrier is not None:
                    barrier.wait(timeout=60)
                for number, code in enumerate(shares[index]):
                    opened = client.get(ballot_url, {"code": code}, secure=True)
                    if opened.status_code != 200:
                        outcome.errors.append(f"GET {code[:2]}…: {opened.status_code}")
                        continue
                    sent = client.post(
                        ballot_url,
                        {
                            "code": code,
                            "choices": [rng.choice(candidates)] if number % 10 else [],
                            "cast": "1",
                            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
                        },
                        secure=True,
                        headers=origin,
                    )
                    if sent.status_code == 302 and sent["Location"] == done_url:
                        outcome.cast += 1
                    else:
                        outcome.errors.append(f"POST {code[:2]}…: {sent.status_code}")
                for code in shares[index][:REUSED_PER_CLIENT]:
                    again = client.post(
                        ballot_url,
                        {
                            "code": code,
                            "choices": [candidates[0]],
                            "cast": "1",
                            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
                        },
                        secure=True,
                        headers=origin,
                    )
                    # Refused: the page again, saying what is wrong; a cast would redirect.
                    if again.status_code == 200 and b"ballot-error" in again.content:
                        outcome.refused += 1
                    else:
                        outcome.errors.append(f"used code sent again: {again.status_code}")
            except Exception as error:  # noqa: BLE001 - reported, the run then fails
                outcome.errors.append(repr(error))
            finally:
                if concurrent:
                    connections.close_all()

        with override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=hosts,
            ROOT_URLCONF="reports.bench.urls",
            # Only wrong codes count against an address; none is sent, but the run must
            # not depend on it: one address sends every ballot here.
            BALLOT_CODE_FAILURE_RATE="100000/m",
        ):
            cache.clear()
            started = time.perf_counter()
            if concurrent:
                import threading

                barrier = threading.Barrier(clients + 1)
                threads = [
                    threading.Thread(target=vote_with, args=(index, barrier))
                    for index in range(clients)
                ]
                for thread in threads:
                    thread.start()
                barrier.wait(timeout=60)
                started = time.perf_counter()
                for thread in threads:
                    thread.join(timeout=600)
            else:
                for index in range(clients):
                    vote_with(index, None)
            elapsed = time.perf_counter() - started
            cache.clear()
        closed = services.vote_close(vote=vote)
        cast = sum(outcome.cast for outcome in results)
        counted = closed.results["valid"] + closed.results["invalid"] + closed.results["blank"]
        codes_used = BallotCode.objects.filter(vote=vote, used=True).count()
        stored = ElectronicBallot.objects.filter(vote=vote).count()
        resent = sum(min(REUSED_PER_CLIENT, len(share)) for share in shares)
        refused = sum(outcome.refused for outcome in results)
        errors = [error for outcome in results for error in outcome.errors]
        problems = []
        if not cast == counted == codes_used == stored == ballots:
            problems.append(
                f"{ballots} codes: {cast} cast, {counted} counted, {codes_used} codes used, "
                f"{stored} ballots stored"
            )
        if refused != resent:
            problems.append(f"{resent} used codes sent again, only {refused} refused")
        problems += errors[:5]
        return {
            "cast": cast,
            "counted": counted,
            "ballots_per_s": round(cast / elapsed, 1) if elapsed else 0.0,
            "double_use_refused": refused,
            "clients": clients,
            "concurrent": concurrent,
            "ok": not problems,
            "problems": problems,
        }
    finally:
        remove_ballot_hall(data.body)


def _writers_wait() -> bool:
    """Whether concurrent clients can cast ballots here: PostgreSQL, or an SQLite file
    whose transactions begin IMMEDIATE (``?transaction_mode=IMMEDIATE`` in its URL). In
    SQLite's default deferred mode, a transaction that read before it writes fails with
    "database is locked" when another writer is ahead of it, instead of waiting. Never
    inside a transaction (a test's): the other connections would not see the data."""
    if connection.in_atomic_block:
        return False
    if connection.vendor == "postgresql":
        return True
    mode = str(connection.settings_dict.get("OPTIONS", {}).get("transaction_mode", ""))
    return (
        connection.vendor == "sqlite"
        and mode.upper() == "IMMEDIATE"
        and not connection.is_in_memory_db()
    )
