"""The ranking's section of the province summary: who led each cluster's ranking.

Four queries whatever the number of clusters: the sheets, their criteria, the members
(shared with the other sections through ``member_list``'s cache) and the scores; the
rankings are computed in memory by the same code as each cluster's own page.
"""

from clusters.reports import summary_sections
from clusters.selectors import member_list, preload_member_lists
from core.documents.model import Column, Paragraph, Row, Table
from scoring.models import CriteriaSheet, Criterion, Score
from scoring.ranking import compute_ranking, points
from scoring.selectors import counted_scores

PLACES = ("Hạng nhất", "Hạng nhì", "Hạng ba")


def summary_ranking_blocks(cluster_years, *, year):
    if not cluster_years:
        return []
    sheets = {
        sheet.cluster_year_id: sheet
        for sheet in CriteriaSheet.objects.filter(cluster_year__in=cluster_years).exclude(
            status=CriteriaSheet.Status.DRAFT
        )
    }
    criteria: dict[int, list[Criterion]] = {}
    sheet_of_criterion: dict[int, int] = {}
    for criterion in Criterion.objects.filter(sheet__in=sheets.values()).order_by("order", "pk"):
        criteria.setdefault(criterion.sheet_id, []).append(criterion)
        sheet_of_criterion[criterion.pk] = criterion.sheet_id
    # The values a ranking counts, without a join: ~9,000 full scores with their
    # criterion were most of the summary's time.
    scores: dict[int, dict] = {}
    for criterion_id, member_id, score in counted_scores(
        Score.objects.filter(criterion__sheet__in=sheets.values())
    ):
        scores.setdefault(sheet_of_criterion[criterion_id], {})[(criterion_id, member_id)] = score
    preload_member_lists(cluster_years)
    rows, approved = [], 0
    for index, cluster_year in enumerate(cluster_years, start=1):
        sheet = sheets.get(cluster_year.pk)
        name = cluster_year.cluster.name
        if sheet is None:
            rows.append(Row([str(index), name, "Chưa chấm điểm"]))
            continue
        sheet.cluster_year = cluster_year
        ranking = compute_ranking(
            sheet, criteria.get(sheet.pk, []), member_list(cluster_year), scores.get(sheet.pk, {})
        )
        places = [
            f"{standing.unit.name} ({points(standing.total)} điểm)"
            for standing in ranking.top
            if standing.rank is not None
        ]
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
