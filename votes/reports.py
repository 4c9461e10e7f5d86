"""The votes' section of the year-end report (see ``clusters.reports``).

Each vote of the year whose results are in force (confirmed and not replaced by a
confirmed correction) or counted but not yet confirmed (said so): its title, the rule it
was counted by, the counts, each candidate's votes and the result; then who was elected
head and deputy for next year. Everything comes from the results stored when the vote
closed, so the report says what the minutes said. A year without any counted vote leaves
the section out: the dashboard tells what is missing, the report does not.
"""

from __future__ import annotations

from django.db.models import Q

from clusters.models import ClusterYear, VoteRule
from clusters.reports import YEAR_END, leader_words, report_sections
from core.documents.model import Block, Column, Heading, Paragraph, Row, Table
from core.text import vn_count
from votes.models import Vote
from votes.selectors import in_force_q

Purpose = VoteRule.Purpose


def _percent(value: str | None) -> str:
    return "—" if value is None else value.replace(".", ",")


def _names(results: dict, ids) -> list[str]:
    labels = {c["id"]: c["label"] for c in results["candidates"]}
    return [labels[i] for i in ids if i in labels]


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


def counts_sentence(results: dict) -> str:
    return (
        f"Số đơn vị thành viên: {vn_count(results['eligible'])}; có mặt: "
        f"{vn_count(results['present'])}. Số phiếu phát ra: {vn_count(results['issued'])}; "
        f"thu vào: {vn_count(results['returned'])}; hợp lệ: {vn_count(results['valid'])}; "
        f"không hợp lệ: {vn_count(results['invalid'])}; phiếu trắng: "
        f"{vn_count(results['blank'])}."
    )


def result_sentence(vote: Vote, *, head_word: str, deputy_word: str, next_year: int) -> str:
    results = vote.results
    winners = _names(results, results["winners"])
    tied = _names(results, results["tied"])
    if not results["quorum_met"]:
        return (
            f"Kết quả: không đủ số đơn vị tham gia bỏ phiếu theo quy định (cần "
            f"{vn_count(results['quorum_needed'])} phiếu thu vào); không có kết quả."
        )
    if not winners and not tied:
        return "Kết quả: không có đơn vị nào đạt số phiếu cần thiết."
    parts = []
    if winners:
        if vote.purpose == Purpose.NOMINATION:
            parts.append(f"{_joined(winners)} được suy tôn đề nghị tặng {vote.award_type.name}")
        elif vote.purpose == Purpose.HEAD:
            parts.append(f"{winners[0]} được bầu làm {head_word} năm {next_year}")
        elif vote.purpose == Purpose.DEPUTY:
            parts.append(f"{winners[0]} được bầu làm {deputy_word} năm {next_year}")
        else:
            parts.append(f"{_joined(winners)} được thông qua")
    if tied:
        parts.append(
            f"{_joined(tied)} có số phiếu bằng nhau; Hội nghị quyết định (thường bằng một "
            "lượt bỏ phiếu mới)"
        )
    return f"Kết quả: {'; '.join(parts)}."


def candidate_table(results: dict, *, question: bool) -> Table:
    rows = []
    for index, candidate in enumerate(results["candidates"], start=1):
        if candidate["winner"]:
            outcome = "Thông qua" if question else "Đạt"
        elif candidate["tied"]:
            outcome = "Bằng phiếu"
        else:
            outcome = "Không đạt"
        rows.append(
            Row(
                [
                    str(index),
                    candidate["label"],
                    vn_count(candidate["votes"]),
                    _percent(candidate["percent"]),
                    outcome,
                ]
            )
        )
    return Table(
        [
            Column("TT", width=0.6, align="center"),
            Column("Phương án" if question else "Đơn vị", width=3.4),
            Column("Số phiếu", width=1.1, align="right"),
            Column("Tỷ lệ (%)", width=1.1, align="right"),
            Column("Kết quả", width=1.4),
        ],
        rows,
    )


def vote_blocks(cluster_year: ClusterYear, *, period: str = YEAR_END) -> list[Block]:
    """The year's counted votes, then the head and deputy elected for next year.

    One query however many votes and candidates (the results carry the candidates'
    names as they were when the vote closed).
    """
    votes = list(
        Vote.objects.filter(meeting__cluster_year=cluster_year)
        .filter(in_force_q() | Q(status=Vote.Status.CLOSED))
        .select_related("meeting", "award_type", "rule__rule_set")
        .order_by("meeting__starts_at", "pk")
    )
    if not votes:
        return []
    head_word, deputy_word = leader_words(cluster_year.cluster)
    next_year = cluster_year.year + 1
    blocks: list[Block] = []
    elected = {}
    for index, vote in enumerate(votes, start=1):
        results = vote.results
        blocks.append(Heading(f"{index}. {vote.title}", level=2))
        rule = vote.rule
        blocks.append(Paragraph(f"Nguyên tắc: {rule.describe()} (theo {rule.rule_set.name})."))
        blocks.append(Paragraph(counts_sentence(results)))
        blocks.append(candidate_table(results, question=vote.purpose == Purpose.QUESTION))
        blocks.append(
            Paragraph(
                result_sentence(
                    vote, head_word=head_word, deputy_word=deputy_word, next_year=next_year
                )
            )
        )
        if not vote.is_confirmed:
            blocks.append(Paragraph("Kết quả chưa được xác nhận.", italic=True))
        elif vote.purpose in (Purpose.HEAD, Purpose.DEPUTY) and len(results["winners"]) == 1:
            elected[vote.purpose] = _names(results, results["winners"])[0]
    chosen = [
        f"{elected[purpose]} làm {word}"
        for purpose, word in ((Purpose.HEAD, head_word), (Purpose.DEPUTY, deputy_word))
        if purpose in elected
    ]
    if chosen:
        blocks.append(
            Paragraph(f"Đơn vị được bầu cho năm {next_year}: {', '.join(chosen)}.", bold=True)
        )
    return blocks


report_sections.register(
    "votes",
    title="KẾT QUẢ BỎ PHIẾU",
    kind=YEAR_END,
    order=50,
    build=vote_blocks,
)
