"""The budgets of ``shared/PERFORMANCE.md`` per measured page, and the verdict of a run.

Every page is held to the budget of its kind: p95 and queries, and for list and search
pages a ratio of its p50 to the p50 of Django's admin changelist measured in the same
run (the one with the same search for a search page: what a Django developer would
ship instead). Ratios of one run are the stable figures on a shared machine; times
drift 15–20 % between runs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    kind: str
    p95_ms: float
    queries: int
    baseline: str | None = None  # the admin page whose p50 this page's p50 is held to
    ratio: float = 0.35


def _list(baseline: str = "admin_changelist") -> Budget:
    return Budget("list", 60, 8, baseline)


BROAD_SEARCH = Budget("search, broad", 60, 8, "admin_search")
NARROW_SEARCH = Budget("search, selective or short", 25, 8, "admin_search")
DETAIL = Budget("detail", 25, 6)
# Pages of several sections (one query each): the dashboard, a cluster year, the grids,
# a meeting, a pledge, a vote, a person's or a unit's history.
COMPOSITE = Budget("composite", 80, 15)
STATISTICS = Budget("statistics", 150, 15)

BUDGETS: dict[str, Budget] = {
    "dashboard": COMPOSITE,
    "cluster_list": _list(),
    "cluster_year_list": _list(),
    "cluster_year": COMPOSITE,
    "unit_list": _list(),
    "unit_list_deep": _list(),
    "people_list": _list(),
    "people_list_deep": _list(),
    "people_list_last": _list(),
    "people_search": BROAD_SEARCH,
    "search_broad": BROAD_SEARCH,
    "search_selective": NARROW_SEARCH,
    "search_short_ly_ma": NARROW_SEARCH,
    "search_short_na_ri": NARROW_SEARCH,
    "pledge": COMPOSITE,
    "pledge_targets": COMPOSITE,
    "pledge_commitments": COMPOSITE,
    "pledge_registrations": COMPOSITE,
    "pledge_signatures": COMPOSITE,
    "results_grid": COMPOSITE,
    "expectations_grid": COMPOSITE,
    "heat_table": COMPOSITE,
    "meeting_list": _list(),
    "meeting": COMPOSITE,
    "exemplar_list": _list(),
    "scoring_grid": COMPOSITE,
    "ranking": COMPOSITE,
    "unit_history": COMPOSITE,
    "person": COMPOSITE,
    "province_summary": STATISTICS,
    "audit_log": _list(),
    "pledge_history": _list(),
    "vote_list": _list(),
    "vote": COMPOSITE,
    "hall_screen": DETAIL,
    "award_list": _list("admin_awards"),
    "award_list_year": _list("admin_awards"),
    "award_list_type": _list("admin_awards"),
    "award_list_level": _list("admin_awards"),
    "award_list_deep": _list("admin_awards"),
    "award_search_broad": Budget("search, broad", 60, 8, "admin_awards_search"),
    "award_search_selective": Budget("search, selective", 25, 8, "admin_awards_search"),
    "decision_list": _list("admin_awards"),
    "decision_search": Budget("search, selective", 25, 8, "admin_awards_search"),
    "unit_awards_merged": COMPOSITE,
    "award_statistics": STATISTICS,
    "award_inbox": _list("admin_awards"),
}


def verdict(name: str, page: dict, baselines: dict) -> tuple[str, str]:
    """(the ratio to the page's baseline, formatted or blank; "ok" or "OVER: …")."""
    budget = BUDGETS.get(name)
    if budget is None:
        return "", "no budget"
    problems = []
    if page["p95_ms"] > budget.p95_ms:
        problems.append(f"p95 > {budget.p95_ms:g} ms")
    if page["queries"] > budget.queries:
        problems.append(f"{page['queries']} queries > {budget.queries}")
    ratio = ""
    if budget.baseline in baselines:
        value = page["p50_ms"] / baselines[budget.baseline]["p50_ms"]
        ratio = f"{value:.2f}"
        if value > budget.ratio:
            problems.append(f"× {budget.baseline} > {budget.ratio}")
    return ratio, ("OVER: " + ", ".join(problems) if problems else "ok")
