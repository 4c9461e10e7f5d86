"""Building votes through the services, as the secretary and the committee would."""

from votes import services
from votes.models import Vote

# The cluster's members in 2022 by short name.
NAMES = ["Thành phố Bắc Kạn", "Na Rì", "Ba Bể", "Bạch Thông", "Chợ Mới", "Chợ Đồn", "Pác Nặm"]
TELLERS = [
    {"full_name": "Hoàng Thị Hà", "position": "Chánh Văn phòng UBND huyện Na Rì"},
    {"full_name": "Lý Văn Minh", "position": "Trưởng phòng Nội vụ huyện Pác Nặm"},
]


def open_vote(
    meeting,
    *,
    purpose,
    candidates=(),
    options=(),
    seats=1,
    award_type=None,
    title="Bỏ phiếu",
    electronic=False,
):
    vote = services.vote_create(
        meeting=meeting,
        purpose=purpose,
        title=title,
        seats=seats,
        award_type=award_type,
        electronic=electronic,
    )
    services.vote_set_candidates(vote=vote, members=candidates, options=options)
    services.vote_set_tellers(vote=vote, tellers=TELLERS)
    return services.vote_open(vote=vote)


def enter(vote, teller_index=0, *, votes, **counts):
    """One committee member's entry; ``votes`` maps short names (or options) to votes."""
    by_label = {
        (c.member.unit.short_name if c.member_id else c.text): c.pk
        for c in vote.candidates.select_related("member__unit")
    }
    teller = vote.tellers.order_by("order")[teller_index]
    return services.tally_enter(
        vote=vote, teller=teller, votes={by_label[k]: v for k, v in votes.items()}, **counts
    )


def count_twice(vote, *, votes, **counts):
    enter(vote, 0, votes=votes, **counts)
    enter(vote, 1, votes=votes, **counts)


def closed(vote, *, votes, **counts) -> Vote:
    count_twice(vote, votes=votes, **counts)
    return services.vote_close(vote=vote)


def ballots(issued, returned, valid, invalid=0, blank=0):
    return {
        "issued": issued,
        "returned": returned,
        "not_returned": issued - returned,
        "valid": valid,
        "invalid": invalid,
        "blank": blank,
    }
