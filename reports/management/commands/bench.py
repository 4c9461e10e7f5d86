"""``python manage.py bench [--scale province|quick] [--json FILE] [--keep] [--reuse] [--force]
[--samples N] [--only NAME,…]``

Builds the benchmark's data set in the configured database, measures every main page
(p50/p95 and queries) against two baselines measured in the same run — Django's admin
changelist of people and a trivial login-required view — times the documents and the
Excel round trip, casts 200 electronic ballots from concurrent clients (the ``ballots``
entry: the run fails unless every one is counted once), prints a table and optionally
writes the figures as JSON. The data set is deleted at the end unless ``--keep``.
"""

import json
import time
import warnings
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from clusters.models import Cluster, Unit
from reports.bench import data as bench_data
from reports.bench import measure
from reports.bench.budgets import BUDGETS
from reports.bench.budgets import verdict as budget_verdict

# (samples, warm-up rounds, document repeats) per scale; --samples overrides the first.
RUNS = {"quick": (5, 1, 1), "province": (30, 3, 3)}


class Command(BaseCommand):
    help = "Build a data set of the given scale, measure the main pages and documents."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(bench_data.SCALES), default="province")
        parser.add_argument("--json", metavar="FILE", help="Write the figures to FILE as JSON.")
        parser.add_argument("--keep", action="store_true", help="Keep the data set afterwards.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds units or clusters (they are left alone).",
        )
        parser.add_argument("--samples", type=int, help="Timed requests per page (after warm-up).")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Measure the data set an earlier --keep run left, instead of building one.",
        )
        parser.add_argument(
            "--only",
            metavar="NAME,…",
            help="Measure only the pages whose names contain one of these words "
            "(the baselines are always measured); skips the documents and Excel, the "
            "ballots unless one word is 'ballots', and the award import unless a word is "
            "part of 'award_import'.",
        )

    def handle(self, *args, scale, json=None, keep=False, force=False, samples=None, **options):
        if options["reuse"]:
            return self._reuse(json=json, samples=samples, only=options["only"])
        if not force and (Unit.objects.exists() or Cluster.objects.exists()):
            raise CommandError(
                "The database already holds units or clusters: run the benchmark on an empty "
                "database, or pass --force to add its data set beside them."
            )
        old = bench_data.bench_body()
        if old is not None:
            self.stdout.write("Removing the data set of an earlier run…")
            bench_data.remove(old)
        default_samples, warmup, repeats = RUNS[scale]
        samples = samples or default_samples

        started = time.perf_counter()
        data = bench_data.build(bench_data.SCALES[scale], log=self._log)
        build_s = time.perf_counter() - started
        self._log(f"built in {build_s:.1f} s")
        try:
            with connection.cursor() as cursor:
                # Fresh statistics and visibility maps, as a database in use has: its
                # autovacuum vacuums even tables only ever inserted into (PostgreSQL
                # 13+), which index-only scans need. No VACUUM inside a transaction.
                vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
                cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
            figures = self._measure(
                data, samples=samples, warmup=warmup, repeats=repeats, only=options["only"]
            )
        except measure.PageFailed as failure:
            raise CommandError(str(failure)) from failure
        finally:
            if not keep:
                bench_data.remove(data.body)
        figures = {"scale": scale, **figures}
        self._print(figures, build_s)
        if json:
            Path(json).write_text(_json_dumps(figures), encoding="utf-8")
        _check_ballots(figures)

    def _reuse(self, *, json, samples, only) -> None:
        body = bench_data.bench_body()
        if body is None:
            raise CommandError("No kept data set: run once with --keep first.")
        data = bench_data.load(body)
        default_samples, warmup, repeats = RUNS[data.scale.name]
        try:
            figures = self._measure(
                data, samples=samples or default_samples, warmup=warmup, repeats=repeats, only=only
            )
        except measure.PageFailed as failure:
            raise CommandError(str(failure)) from failure
        figures = {"scale": data.scale.name, **figures}
        self._print(figures, 0)
        if json:
            Path(json).write_text(_json_dumps(figures), encoding="utf-8")
        _check_ballots(figures)

    def _log(self, message: str) -> None:
        self.stderr.write(f"  {message}")

    def _measure(self, data, *, samples: int, warmup: int, repeats: int, only=None) -> dict:
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with (
            override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, ROOT_URLCONF="reports.bench.urls"),
            warnings.catch_warnings(),
        ):
            # WhiteNoise warns that static files were not collected: not what is measured.
            warnings.filterwarnings("ignore", "No directory at", UserWarning)
            clients = {False: measure.logged_in(data.staff), True: measure.logged_in(data.admin)}
            pages = measure.main_pages(data)
            if only:
                words = [word.strip() for word in only.split(",") if word.strip()]
                pages = [page for page in pages if any(word in page.name for word in words)]
            baselines = measure.baseline_pages()
            self._log(f"measuring {len(pages) + len(baselines)} pages, {samples} samples each")
            measured = measure.measure_pages(
                pages + baselines, clients, samples=samples, warmup=warmup
            )
            for client in clients.values():
                client.logout()
        figures = {
            "pages": {page.name: measured[page.name] for page in pages},
            "baselines": {page.name: measured[page.name] for page in baselines},
            "skipped": dict(measure.SKIPPED),
            "documents": {},
            "excel": {},
            "ballots": {},
        }
        self.excel_runs = []
        self.award_import_run = None
        if only:
            if "ballots" in [word.strip() for word in only.split(",")]:
                figures["ballots"] = self._ballots(data)
            if any(word.strip() and word.strip() in "award_import" for word in only.split(",")):
                figures["excel"] = self._award_import(data)
            return figures
        self._log("timing the documents")
        figures["documents"] = measure.measure_documents(data, repeats=repeats)
        self._log("timing the Excel round trips")
        self.excel_runs = measure.measure_excel(data)
        largest = self.excel_runs[-1]
        figures["excel"] = {
            "import_rows_per_s": largest.import_rows_per_s,
            "export_rows_per_s": largest.export_rows_per_s,
            **self._award_import(data),
        }
        figures["ballots"] = self._ballots(data)
        return figures

    def _award_import(self, data) -> dict:
        self._log(f"importing a list of {measure.AWARD_IMPORT_ROWS} awards (rolled back)")
        run = self.award_import_run = measure.measure_award_import(data)
        return {
            "award_import_preview_rows_per_s": run.preview_rows_per_s,
            "award_import_rows_per_s": run.confirm_rows_per_s,
        }

    def _ballots(self, data) -> dict:
        self._log(
            f"casting {measure.BALLOTS} electronic ballots from {measure.BALLOT_CLIENTS} clients"
        )
        return measure.measure_ballots(data)

    def _print(self, figures: dict, build_s: float) -> None:
        admin = figures["baselines"]["admin_changelist"]["p50_ms"]
        floor = figures["baselines"]["floor"]["p50_ms"]
        write = self.stdout.write
        write(f"Scale {figures['scale']}: data built in {build_s:.1f} s")
        header = (
            f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'× admin':>8} {'× floor':>8}"
        )
        write(header)
        write("-" * len(header))
        rows = list(figures["pages"].items()) + list(figures["baselines"].items())
        for name, page in rows:
            write(
                f"{name:<24} {page['p50_ms']:>8.1f} {page['p95_ms']:>8.1f} {page['queries']:>8}"
                f" {page['p50_ms'] / admin:>8.2f} {page['p50_ms'] / floor:>8.1f}"
            )
        write("")
        self._print_budgets(figures)
        for name, seconds in figures["documents"].items():
            write(f"{name:<24} {seconds:>8.2f}")
        for run in self.excel_runs:
            write(
                f"excel {run.members} × {run.targets}: export {run.export_rows_per_s:,.0f} cells/s,"
                f" import {run.import_rows_per_s:,.0f} cells/s ({run.changed} changed)"
            )
        run = getattr(self, "award_import_run", None)
        if run is not None:
            write(
                f"award import of {run.rows:,} rows: preview {run.preview_rows_per_s:,.0f} rows/s,"
                f" recording {run.confirm_rows_per_s:,.0f} rows/s, the whole confirmation"
                f" (the kept cells looked up again, then recorded) {run.request_rows_per_s:,.0f}"
                " rows/s"
            )
        ballots = figures.get("ballots")
        if ballots:
            how = (
                f"{ballots['clients']} concurrent clients"
                if ballots["concurrent"]
                else f"{ballots['clients']} clients taking turns (no concurrent writers here)"
            )
            write(
                f"ballots: {ballots['cast']} cast, {ballots['counted']} counted,"
                f" {ballots['ballots_per_s']:,.1f} ballots/s, {ballots['double_use_refused']}"
                f" used codes sent again and refused — {how}"
            )
            for problem in ballots["problems"]:
                write(f"ERROR ballots: {problem}")

    def _print_budgets(self, figures: dict) -> None:
        """Every page against the budget of its kind (PERFORMANCE.md,
        ``reports.bench.budgets``), its ratio to its admin baseline of the same run; the
        pages skipped, and why."""
        write = self.stdout.write
        pages, baselines = figures["pages"], figures["baselines"]
        header = (
            f"{'page':<24} {'kind':<28} {'p95 ≤':>6} {'queries ≤':>9} {'× baseline':>10}  verdict"
        )
        write(header)
        write("-" * len(header))
        for name, page in pages.items():
            budget = BUDGETS.get(name)
            ratio, verdict = budget_verdict(name, page, baselines)
            kind = budget.kind if budget else ""
            limits = f"{budget.p95_ms:>6g} {budget.queries:>9}" if budget else f"{'':>6} {'':>9}"
            write(f"{name:<24} {kind:<28} {limits} {ratio:>10}  {verdict}")
        for name, why in figures.get("skipped", {}).items():
            write(f"skipped {name}: {why}")
        write("")


def _check_ballots(figures: dict) -> None:
    """Fail the run (after its figures are out) when the ballots did not count right."""
    ballots = figures.get("ballots")
    if ballots and not ballots["ok"]:
        raise CommandError("ballots: " + "; ".join(ballots["problems"]))


def _json_dumps(figures: dict) -> str:
    return json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
