"""The printed documents of a vote: the ballot papers and the count minutes.

``ballots_document`` is the form handed to each voter present (one page each, no name
on it: the ballot is secret); ``count_minutes_document`` is the signed record of the
count (biên bản kiểm phiếu). Both are built once as a ``Document`` and printed by the
one PDF and the one Word renderer. The minutes print the results stored on the vote
when it closed (``votes.results.compute_results``): they never count again.
"""

from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone

from clusters.documents import cluster_header, file_stem, issuer_code
from clusters.models import Cluster, Share, VoteRule
from core.documents import render_docx, render_pdf
from core.documents.model import (
    Block,
    Column,
    Document,
    ListBlock,
    PageBreak,
    Paragraph,
    Row,
    SignatureBlock,
    Table,
    format_document_number,
)
from meetings.documents import minutes_signatures, numbered_sections, place_line, secretary_name
from meetings.models import Attendance
from meetings.selectors import meeting_detail
from votes import selectors
from votes.models import Candidate, Vote

Purpose = VoteRule.Purpose
Base = VoteRule.Base

# Only these votes have counts, hence minutes.
COUNTED = (Vote.Status.CLOSED, Vote.Status.CONFIRMED)

MINUTES_TITLE = "Biên bản kiểm phiếu"
COMMITTEE_TITLE = "Thành viên Ban kiểm phiếu"

# What the rule's base counts, as the minutes name it (the number follows).
BASE_LABELS = {
    Base.ELIGIBLE: "tổng số đơn vị có quyền bỏ phiếu",
    Base.PRESENT: "số đơn vị có mặt",
    Base.VALID: "số phiếu hợp lệ",
}
SELECTION_TEXT = (
    "Khi số đơn vị đạt ngưỡng nhiều hơn số được chọn, chọn theo số phiếu từ cao xuống "
    "thấp; các đơn vị bằng phiếu ở vị trí cuối được ghi nhận là bằng phiếu, không đơn vị "
    "nào trong số đó được công bố là được chọn, Hội nghị quyết định."
)
CLOSING = "Ban kiểm phiếu lập biên bản này và công bố kết quả kiểm phiếu trước Hội nghị./."


# --- Words --------------------------------------------------------------------------------


def vn_number(value) -> str:
    """1.234 and 66,67: the thousands separator is a dot, the decimal sign a comma."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = f"{value:,}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def vn_percent(percent: str | None) -> str:
    """The stored percentage ("66.67", "100.00") as printed: "66,67%", "100%", "12,5%"."""
    if percent is None:
        return "—"
    value = Decimal(percent)
    if value == value.to_integral_value():
        return f"{vn_number(int(value))}%"
    return f"{vn_number(value.normalize())}%"


def _sentence(text: str) -> str:
    """The text as a sentence: ending with a full stop unless it ends with punctuation."""
    text = " ".join(text.split())
    return text if not text or text[-1] in ".;:!?" else f"{text}."


def _share_text(share: str, percent) -> str:
    if share == Share.MAJORITY:
        return "trên 50%"
    if share == Share.TWO_THIRDS:
        return "từ 2/3 trở lên"
    return f"từ {vn_number(Decimal(percent).normalize())}% trở lên"


def _head_word(cluster: Cluster) -> str:
    return "Khối" if cluster.kind == Cluster.Kind.BLOC else "Cụm"


def purpose_text(vote: Vote) -> str:
    """“Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh”, “Bầu Cụm trưởng năm 2023”."""
    cluster = vote.meeting.cluster_year.cluster
    next_year = vote.meeting.cluster_year.year + 1
    if vote.purpose == Purpose.NOMINATION:
        return f"Suy tôn đơn vị đề nghị tặng {vote.award_type.name}"
    if vote.purpose == Purpose.HEAD:
        return f"Bầu {_head_word(cluster)} trưởng năm {next_year}"
    if vote.purpose == Purpose.DEPUTY:
        return f"Bầu {_head_word(cluster)} phó năm {next_year}"
    return "Biểu quyết"


def _chosen_word(vote: Vote) -> str:
    """What a winner is called in the table: nominated, elected, or chosen."""
    return {
        Purpose.NOMINATION: "Được suy tôn",
        Purpose.HEAD: "Trúng cử",
        Purpose.DEPUTY: "Trúng cử",
    }.get(vote.purpose, "Được chọn")


def _candidate_noun(vote: Vote) -> str:
    return "phương án" if vote.purpose == Purpose.QUESTION else "đơn vị"


def _day(vote: Vote) -> str:
    return f"{timezone.localdate(vote.meeting.starts_at):%d/%m/%Y}"


# --- The count minutes --------------------------------------------------------------------


def rule_blocks(vote: Vote) -> list[Block]:
    """The rule applied: its base, threshold, quorum, how seats are filled, and the
    legal basis of its rule set. Reads ``vote.rule.rule_set``: select it."""
    rule, results = vote.rule, vote.results or {}
    base = BASE_LABELS[rule.base]
    threshold = f"Ngưỡng được chọn: {_share_text(rule.threshold, rule.threshold_percent)} {base}"
    if results:
        threshold += (
            f" ({vn_number(results['base_count'])}), tức ít nhất "
            f"{vn_number(results['needed'])} phiếu"
        )
    if rule.quorum == Share.NONE:
        quorum = "Tỷ lệ phiếu thu về tối thiểu: không quy định"
    else:
        quorum = (
            "Tỷ lệ phiếu thu về tối thiểu: "
            f"{_share_text(rule.quorum, rule.quorum_percent)} tổng số đơn vị có quyền bỏ phiếu"
        )
        if results:
            quorum += (
                f" ({vn_number(results['eligible'])}), tức ít nhất "
                f"{vn_number(results['quorum_needed'])} phiếu thu về"
            )
    rule_set = rule.rule_set
    return [
        ListBlock([f"{threshold};", f"{quorum};", f"{SELECTION_TEXT}"]),
        Paragraph(f"Căn cứ: {rule_set.name}. {_sentence(rule_set.legal_basis)}"),
    ]


def _general_blocks(vote: Vote) -> list[Block]:
    meeting = vote.meeting
    cluster_year = meeting.cluster_year
    items = [
        f"Hội nghị: {meeting.title}, {cluster_year.cluster.name}, năm thi đua {cluster_year.year};",
        f"Thời gian: ngày {_day(vote)};",
    ]
    place = place_line(meeting)
    if place:
        items.append(f"Địa điểm: {place};")
    items += [
        f"Nội dung bỏ phiếu: {vote.title};",
        f"Mục đích: {purpose_text(vote)};",
        f"Số {_candidate_noun(vote)} được chọn tối đa trên một phiếu: {vn_number(vote.seats)}.",
    ]
    blocks: list[Block] = [ListBlock(items)]
    if vote.corrects_id:
        blocks.append(
            Paragraph(
                f"Cuộc bỏ phiếu này thay cho cuộc bỏ phiếu “{vote.corrects.title}” "
                "đã được xác nhận trước đó."
            )
        )
    return blocks


def committee_blocks(tellers) -> list[Block]:
    if not tellers:
        return [Paragraph("Chưa ghi nhận thành viên Ban kiểm phiếu.")]
    items = [f"{t.full_name}{f', {t.position}' if t.position else ''};" for t in tellers]
    items[-1] = items[-1][:-1] + "."
    return [ListBlock(items, ordered=True)]


def count_blocks(results: dict) -> list[Block]:
    """The counts and their reconciliation, from the stored results."""
    n = {
        key: vn_number(results[key])
        for key in ("eligible", "present", "issued", "returned", "not_returned")
        + ("valid", "invalid", "blank")
    }
    counts = ListBlock(
        [
            f"Số đơn vị có quyền bỏ phiếu: {n['eligible']};",
            f"Số đơn vị có mặt: {n['present']};",
            f"Số phiếu phát ra: {n['issued']};",
            f"Số phiếu thu về: {n['returned']};",
            f"Số phiếu không thu về: {n['not_returned']};",
            f"Số phiếu hợp lệ: {n['valid']};",
            f"Số phiếu không hợp lệ: {n['invalid']};",
            f"Số phiếu trắng: {n['blank']}.",
        ]
    )

    def verdict(holds: bool) -> str:
        return "khớp" if holds else "không khớp"

    issued = results["issued"] == results["returned"] + results["not_returned"]
    returned = results["returned"] == results["valid"] + results["invalid"] + results["blank"]
    reconciliation = ListBlock(
        [
            f"Số phiếu phát ra ({n['issued']}) = số phiếu thu về ({n['returned']}) + số phiếu "
            f"không thu về ({n['not_returned']}): {verdict(issued)};",
            f"Số phiếu thu về ({n['returned']}) = số phiếu hợp lệ ({n['valid']}) + số phiếu "
            f"không hợp lệ ({n['invalid']}) + số phiếu trắng ({n['blank']}): "
            f"{verdict(returned)}.",
        ]
    )
    return [counts, Paragraph("Đối chiếu số phiếu:"), reconciliation]


def candidates_table(vote: Vote, results: dict) -> Table:
    """Each candidate's votes and share of the rule's base, in ballot order."""
    chosen = _chosen_word(vote)
    rows = []
    for index, row in enumerate(results["candidates"], start=1):
        outcome = chosen if row["winner"] else "Bằng phiếu" if row["tied"] else ""
        rows.append(
            Row(
                [
                    str(index),
                    row["label"],
                    vn_number(row["votes"]),
                    vn_percent(row["percent"]),
                    "Đạt" if row["threshold_met"] else "Không đạt",
                    outcome,
                ]
            )
        )
    noun = "Phương án" if vote.purpose == Purpose.QUESTION else "Đơn vị"
    return Table(
        [
            Column("TT", width=0.6, align="center"),
            Column(noun, width=3.4),
            Column("Số phiếu", width=1.2, align="center"),
            Column("Tỷ lệ", width=1.2, align="center"),
            Column("Ngưỡng", width=1.4, align="center"),
            Column("Kết quả", width=1.7, align="center"),
        ],
        rows,
    )


def result_blocks(vote: Vote, results: dict) -> list[Block]:
    """Whether the quorum was met, who was chosen, who is tied: the meeting's decision."""
    by_id = {row["id"]: row for row in results["candidates"]}
    base = BASE_LABELS[results["base"]]
    noun = _candidate_noun(vote)
    blocks: list[Block] = []
    if not results["quorum_met"]:
        blocks.append(
            Paragraph(
                f"Số phiếu thu về ({vn_number(results['returned'])}) chưa đạt tỷ lệ tối thiểu "
                f"({vn_number(results['quorum_needed'])} phiếu): kết quả bỏ phiếu không có "
                f"giá trị, không {noun} nào được chọn."
            )
        )
        return blocks

    def described(candidate_id) -> str:
        row = by_id[candidate_id]
        return (
            f"{row['label']} ({vn_number(row['votes'])}/{vn_number(results['base_count'])} "
            f"phiếu, đạt {vn_percent(row['percent'])} {base})"
        )

    if results["winners"]:
        names = "; ".join(described(i) for i in results["winners"])
        blocks.append(Paragraph(f"{_chosen_word(vote)}: {names}."))
    elif not results["tied"]:
        blocks.append(
            Paragraph(
                f"Không có {noun} nào đạt số phiếu cần thiết "
                f"({vn_number(results['needed'])} phiếu)."
            )
        )
    if results["tied"]:
        names = "; ".join(described(i) for i in results["tied"])
        left = results["seats"] - len(results["winners"])
        blocks.append(
            Paragraph(
                f"Bằng phiếu ở vị trí cuối: {names}, cho {vn_number(left)} vị trí còn lại. "
                f"Không {noun} nào trong số này được công bố là được chọn; Hội nghị quyết "
                "định (thường bằng một lần bỏ phiếu mới)."
            )
        )
    return blocks


def committee_signatures(tellers) -> list[SignatureBlock]:
    return [SignatureBlock(title=COMMITTEE_TITLE, name=teller.full_name) for teller in tellers]


def count_minutes_document(*, vote: Vote) -> Document:
    """The count minutes of a closed or confirmed vote: the meeting, the vote and its
    rule with its legal basis, the counting committee, the counts and their
    reconciliation, each candidate's votes and share, the result; signed by each member
    of the committee, the meeting's secretary and its chair.

    Reads the stored results, never counts again. The same queries however many
    candidates (the tellers, the meeting's host and ``meeting_detail``); reads
    ``vote.meeting.cluster_year.cluster.body`` and ``vote.rule.rule_set``: select them
    (``votes.selectors.votes_for_user`` does).
    """
    if vote.status not in COUNTED or not vote.results:
        raise ValueError("Only a closed or confirmed vote has count minutes.")
    meeting = vote.meeting
    cluster = meeting.cluster_year.cluster
    results = vote.results
    tellers = list(vote.tellers.order_by("order", "pk"))
    detail = meeting_detail(meeting)
    secretary = secretary_name(meeting, detail)
    document = Document(
        header=cluster_header(
            cluster,
            number=format_document_number(None, "BB", issuer_code(cluster)),
            date=timezone.localdate(meeting.starts_at),
        ),
        title=MINUTES_TITLE,
        subtitle=vote.title,
        signatures=[
            *committee_signatures(tellers),
            *minutes_signatures(detail, secretary=secretary),
        ],
        filename=f"bien-ban-kiem-phieu-{vote.pk}",
    )
    document.extend(
        numbered_sections(
            [
                ("CUỘC BỎ PHIẾU", _general_blocks(vote)),
                ("NGUYÊN TẮC BỎ PHIẾU", rule_blocks(vote)),
                ("BAN KIỂM PHIẾU", committee_blocks(tellers)),
                ("SỐ PHIẾU VÀ ĐỐI CHIẾU", count_blocks(results)),
                ("KẾT QUẢ BỎ PHIẾU", [candidates_table(vote, results)]),
                ("KẾT LUẬN", result_blocks(vote, results)),
            ]
        )
    )
    document.closing.append(Paragraph(CLOSING))
    return document


def render_count_minutes_pdf(*, vote: Vote) -> bytes:
    return render_pdf(count_minutes_document(vote=vote))


def render_count_minutes_docx(*, vote: Vote) -> bytes:
    return render_docx(count_minutes_document(vote=vote))


# --- The ballot papers --------------------------------------------------------------------


def ballot_count(vote: Vote) -> int:
    """One ballot per voter: the vote's voter list (frozen when it opened, as set up
    before), else the member units recorded present at the meeting; at least one form."""
    voters = vote.voters.count()
    if not voters:
        voters = Attendance.objects.filter(meeting=vote.meeting, present=True).count()
    return max(voters, 1)


def ballot_title(vote: Vote) -> str:
    if vote.purpose == Purpose.NOMINATION:
        return "Phiếu bầu suy tôn"
    if vote.purpose == Purpose.QUESTION:
        return "Phiếu biểu quyết"
    return "Phiếu bầu"


def _ballot_blocks(vote: Vote, candidates: list[Candidate]) -> list[Block]:
    noun = _candidate_noun(vote)
    seats = vn_number(vote.seats)
    meeting = vote.meeting
    table = Table(
        [
            Column("TT", width=0.7, align="center"),
            Column("Phương án" if vote.purpose == Purpose.QUESTION else "Tên đơn vị", width=5),
            Column("Đánh dấu X", width=1.6, align="center"),
        ],
        [Row([str(index), c.label, ""]) for index, c in enumerate(candidates, start=1)],
    )
    return [
        Paragraph(f"({meeting.title}, ngày {_day(vote)})", italic=True, align="center"),
        Paragraph(f"Mục đích: {purpose_text(vote)}."),
        Paragraph(f"Chọn tối đa {seats} {noun}.", bold=True),
        table,
        Paragraph(
            f"Hướng dẫn: đánh dấu X vào ô của {noun} được chọn, nhiều nhất {seats} ô. "
            f"Phiếu đánh dấu quá {seats} ô, phiếu ghi thêm tên hoặc nội dung khác, phiếu "
            "không do Ban kiểm phiếu phát ra là phiếu không hợp lệ; phiếu không đánh dấu "
            "ô nào là phiếu trắng.",
            italic=True,
        ),
    ]


def ballots_document(*, vote: Vote) -> Document:
    """The ballot papers: the same form once per voter, each on its own page with the
    cluster's header, the question, how many may be chosen, the candidates in ballot
    order with a box to mark, and what makes a ballot invalid. No voter's name: the
    ballot is secret.

    Three queries (voters, perhaps attendance, candidates); reads
    ``vote.meeting.cluster_year.cluster.body``: select it.
    """
    meeting = vote.meeting
    cluster = meeting.cluster_year.cluster
    header = cluster_header(cluster, date=timezone.localdate(meeting.starts_at))
    header.numbered = False
    candidates = selectors.candidates_of(vote)
    document = Document(
        header=header,
        title=ballot_title(vote),
        subtitle=vote.title,
        filename=f"phieu-bau-{vote.pk}",
    )
    for index in range(ballot_count(vote)):
        if index:
            document.add(PageBreak(repeat_heading=True))
        document.extend(_ballot_blocks(vote, candidates))
    return document


def render_ballots_pdf(*, vote: Vote) -> bytes:
    return render_pdf(ballots_document(vote=vote))


# --- The year's documents -----------------------------------------------------------------


def year_count_minutes_documents(cluster_year) -> Iterator[tuple[str, Document]]:
    """The count minutes of every closed or confirmed vote of the year, in the order of
    the meetings and of the votes at each."""
    votes = (
        Vote.objects.filter(meeting__cluster_year=cluster_year, status__in=COUNTED)
        .select_related("meeting__host", "award_type", "rule__rule_set", "corrects")
        .order_by("meeting__starts_at", "meeting_id", "pk")
    )
    for vote in votes:
        vote.meeting.cluster_year = cluster_year
        day = timezone.localdate(vote.meeting.starts_at)
        yield (
            f"{day:%Y-%m-%d}-{vote.pk}-{file_stem(vote.title)}",
            count_minutes_document(vote=vote),
        )
