"""Demo votes from seed 000.

Bắc Kạn, Cụm thi đua các huyện, thành phố, year-end conference of 7/2/2023: the members
"bỏ phiếu thống nhất suy tôn" (voted unanimously) huyện Na Rì for Cờ thi đua của UBND
tỉnh, huyện Chợ Mới and huyện Pác Nặm for Bằng khen của UBND tỉnh, and elected huyện Na
Rì head and huyện Pác Nặm deputy for 2023. Unanimous: every member present (all eight)
voted for each of them on a paper ballot. The two members of the counting committee are
invented (the article names none); each enters the counts, then the vote is closed and
confirmed through the services, as the secretary would.

Idempotent: a vote with the same meeting and title is left as it is. Runs after the
meetings demo (the meeting and its attendance) and does nothing without it; a vote whose
award type or vote rule (both put in by the migrations) is missing is skipped.
"""

from clusters.models import AwardType, VoteRule
from clusters.selectors import vote_rule_in_force
from meetings.models import Meeting
from votes import services
from votes.models import Vote

Purpose = VoteRule.Purpose

TELLERS = [
    {"full_name": "Hoàng Thị Thu Hằng", "position": "Trưởng phòng Nội vụ Thành phố Bắc Kạn"},
    {"full_name": "Lý Văn Thắng", "position": "Trưởng phòng Nội vụ huyện Na Rì"},
]
FLAG = "Cờ thi đua của UBND tỉnh"
CERTIFICATE = "Bằng khen của UBND tỉnh"

# title, purpose, award type, seats, the candidates' short names (all elected unanimously)
VOTES = [
    ("Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh năm 2022",
     Purpose.NOMINATION, FLAG, 1, ["Na Rì"]),
    ("Suy tôn đơn vị đề nghị tặng Bằng khen của UBND tỉnh năm 2022",
     Purpose.NOMINATION, CERTIFICATE, 2, ["Chợ Mới", "Pác Nặm"]),
    ("Bầu Cụm trưởng Cụm thi đua các huyện, thành phố năm 2023",
     Purpose.HEAD, None, 1, ["Na Rì"]),
    ("Bầu Cụm phó Cụm thi đua các huyện, thành phố năm 2023",
     Purpose.DEPUTY, None, 1, ["Pác Nặm"]),
]  # fmt: skip


def seed(data: dict, log=print) -> None:
    districts = data["clusters"]["districts"]
    meeting = (
        Meeting.objects.filter(
            cluster_year__cluster=districts, cluster_year__year=2022, kind=Meeting.Kind.YEAR_END
        )
        .order_by("starts_at", "pk")
        .first()
    )
    if meeting is None:
        return
    members = {m.unit.short_name: m for m in meeting.cluster_year.members.select_related("unit")}
    award_types = {
        a.name: a for a in AwardType.objects.filter(body=None, name__in=[FLAG, CERTIFICATE])
    }
    for title, purpose, award_type, seats, names in VOTES:
        if Vote.objects.filter(meeting=meeting, title=title).exists():
            continue
        award_type = award_types.get(award_type) if award_type else None
        rule = vote_rule_in_force(
            body_id=districts.body_id,
            on=services.vote_date(meeting),
            purpose=purpose,
            award_type_id=award_type.pk if award_type else None,
        )
        if rule is None or (purpose == Purpose.NOMINATION and award_type is None):
            # A database emptied by a test lost what the migrations put in the catalogue.
            log(f"Demo: “{title}” skipped: its award type or vote rule is missing.")
            continue
        _unanimous(
            meeting,
            title=title,
            purpose=purpose,
            award_type=award_type,
            seats=seats,
            candidates=[members[name] for name in names],
        )
    log(f"Demo: {Vote.objects.count()} votes.")


def _unanimous(meeting, *, title, purpose, award_type, seats, candidates) -> Vote:
    vote = services.vote_create(
        meeting=meeting, purpose=purpose, title=title, seats=seats, award_type=award_type
    )
    services.vote_set_candidates(vote=vote, members=candidates)
    services.vote_set_tellers(vote=vote, tellers=TELLERS)
    vote = services.vote_open(vote=vote)
    present = vote.present_count
    ids = list(vote.candidates.order_by("order").values_list("pk", flat=True))
    for teller in vote.tellers.order_by("order"):
        services.tally_enter(
            vote=vote,
            teller=teller,
            votes=dict.fromkeys(ids, present),
            issued=present,
            returned=present,
            not_returned=0,
            valid=present,
            invalid=0,
            blank=0,
        )
    services.vote_close(vote=vote)
    return services.vote_confirm(vote=vote)
