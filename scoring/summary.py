"""The ranking's section of the province summary: who led each cluster's ranking.

Four queries whatever the number of clusters: the sheets, their criteria, the members
(shared with the other sections through ``member_list``'s cache) and the scores; the
rankings are computed in memory by the same code as each cluster's own page.

Thirty rankings from ~9,000 scores were most of the summary's time, while the scores
rarely change: each sheet's leaders are kept in the cache under the digest of
everything its ranking is computed from (the sheet's rules, its criteria, its members
and their scores, the language), so the same inputs give the same leaders as before
and any change is ranked afresh, with nothing to invalidate. On PostgreSQL the scores
come as one text per sheet, built by the database: the digest is taken of that text,
and it is read into values only for a sheet not in the cache.
"""

import hashlib
import json
from decimal import Decimal

from django.core.cache import cache
from django.db import connections
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import get_language

from clusters.models import ClusterYear
from clusters.reports import summary_sections
from clusters.selectors import member_list, preload_member_lists
from core.documents.model import Column, Paragraph, Row, Table
from scoring.models import CriteriaSheet, Criterion, Score
from scoring.ranking import compute_ranking, points
from scoring.selectors import CountedScore, counted_scores

PLACES = ("Hạng nhất", "Hạng nhì", "Hạng ba")

# Bumped when the ranking's rules or the leaders' wording change, so that no leaders
# ranked by the old code are served.
RANKING_VERSION = 1
KEEP_SECONDS = 24 * 3600
# The fields of a criterion a ranking reads (``scoring.ranking``).
CRITERION_FIELDS = ("kind", "group", "order", "max_points", "is_veto")


def _score_texts(sheets, sheet_of: dict[int, int]) -> dict[int, str]:
    """{sheet id: its scores as ``criterion:member:counted`` items joined by commas, in
    the order of criterion and member}; a counted value of None is empty. One query;
    ``sheet_of`` maps the criteria already loaded to their sheets."""
    scores = Score.objects.filter(criterion__sheet__in=sheets).order_by()
    if connections[scores.db].vendor == "postgresql":
        from django.contrib.postgres.aggregates import StringAgg

        counted = Coalesce("board_score", "cluster_score", "self_score")
        item = Concat(
            Cast("criterion_id", CharField()),
            Value(":"),
            Cast("member_id", CharField()),
            Value(":"),
            Coalesce(Cast(counted, CharField()), Value("")),
            output_field=CharField(),
        )
        return dict(
            scores.values("criterion__sheet_id")
            .annotate(text=StringAgg(item, ",", order_by=(F("criterion_id"), F("member_id"))))
            .values_list("criterion__sheet_id", "text")
        )
    texts: dict[int, list[str]] = {}
    for criterion_id, member_id, score in sorted(counted_scores(scores), key=lambda r: r[:2]):
        value = "" if score.counted is None else score.counted
        texts.setdefault(sheet_of[criterion_id], []).append(f"{criterion_id}:{member_id}:{value}")
    return {sheet_id: ",".join(items) for sheet_id, items in texts.items()}


def _scores_of(text: str) -> dict:
    """The scores of ``_score_texts``' text as ``compute_ranking`` reads them."""
    scores = {}
    for item in text.split(",") if text else []:
        criterion_id, member_id, value = item.split(":")
        scores[(int(criterion_id), int(member_id))] = CountedScore(
            Decimal(value) if value else None
        )
    return scores


def _leaders(sheet, criteria: list[tuple], members: list, text: str) -> list[str]:
    """The first three places of ``sheet``'s ranking as the summary words them, from the
    cache when the same inputs were ranked before. ``criteria`` are the sheet's
    ``(pk, sheet_id, *CRITERION_FIELDS)`` in their order."""
    inputs = json.dumps(
        [
            RANKING_VERSION,
            get_language(),
            [sheet.pk, sheet.bonus_cap, sheet.deduction_cap, sheet.tie_rule],
            criteria,
            [[m.pk, m.unit_id, m.unit.name, m.unit.sort_key] for m in members],
            text,
        ],
        default=str,
    )
    key = "summary-leaders:" + hashlib.sha256(inputs.encode()).hexdigest()
    places = cache.get(key)
    if places is None:
        rows = [
            Criterion(pk=pk, sheet_id=sheet_id, **dict(zip(CRITERION_FIELDS, values, strict=True)))
            for pk, sheet_id, *values in criteria
        ]
        ranking = compute_ranking(sheet, rows, members, _scores_of(text))
        places = [
            f"{standing.unit.name} ({points(standing.total)} điểm)"
            for standing in ranking.top
            if standing.rank is not None
        ]
        cache.set(key, places, KEEP_SECONDS)
    return places


def _sheets_of(cluster_years) -> list[CriteriaSheet]:
    """The years' criteria sheets: those loaded with the years (``select_related``), or
    one query."""
    field = ClusterYear._meta.get_field("criteria_sheet")
    if all(field.is_cached(cluster_year) for cluster_year in cluster_years):
        cached = (field.get_cached_value(cluster_year) for cluster_year in cluster_years)
        return [sheet for sheet in cached if sheet is not None]
    return list(CriteriaSheet.objects.filter(cluster_year__in=cluster_years))


def summary_ranking_blocks(cluster_years, *, year):
    if not cluster_years:
        return []
    sheets = {
        sheet.cluster_year_id: sheet
        for sheet in _sheets_of(cluster_years)
        if sheet.status != CriteriaSheet.Status.DRAFT
    }
    # What a ranking reads of the criteria, as plain values: the rows are built only for
    # a sheet ranked afresh.
    criteria: dict[int, list[tuple]] = {}
    sheet_of: dict[int, int] = {}
    for values in (
        Criterion.objects.filter(sheet__in=sheets.values())
        .order_by("order", "pk")
        .values_list("pk", "sheet_id", *CRITERION_FIELDS)
    ):
        criteria.setdefault(values[1], []).append(values)
        sheet_of[values[0]] = values[1]
    texts = _score_texts(sheets.values(), sheet_of)
    preload_member_lists(cluster_years)
    rows, approved = [], 0
    for index, cluster_year in enumerate(cluster_years, start=1):
        sheet = sheets.get(cluster_year.pk)
        name = cluster_year.cluster.name
        if sheet is None:
            rows.append(Row([str(index), name, "Chưa chấm điểm"]))
            continue
        sheet.cluster_year = cluster_year
        places = _leaders(
            sheet, criteria.get(sheet.pk, []), member_list(cluster_year), texts.get(sheet.pk, "")
        )
        if sheet.is_approved:
            approved += 1
        else:
            places = [f"{place} — dự thảo" for place in places]
        rows.append(Row([str(index), name, *(places + ["—"] * 3)[:3]]))
    table = Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Cụm, khối thi đua", width=2.4),
            *(Column(place, width=2.4) for place in PLACES),
        ],
        rows,
    )
    return [
        Paragraph(
            f"{approved}/{len(cluster_years)} cụm, khối đã thông qua kết quả chấm điểm, xếp hạng "
            f"thi đua năm {year}. Các đơn vị dẫn đầu:"
        ),
        table,
    ]


summary_sections.register(
    "ranking",
    title="KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA",
    order=40,
    build=summary_ranking_blocks,
)
