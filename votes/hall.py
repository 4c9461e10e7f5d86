"""The screen for the hall: a read-only page for the projector.

While the vote is open it shows how many ballots came in out of those issued, updated
every few seconds (htmx polls a small fragment), and the QR code of the public ballot
page; never the running result. Once the vote is closed it shows the stored result as a
bar chart with the threshold line, winners marked, in large type.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.charts import wrap_label
from votes import selectors
from votes.models import Vote

POLL_SECONDS = 3

# The chart's geometry, in SVG units (it scales to the screen's width).
WIDTH = 1100
LABEL_WIDTH = 330
BAR_LEFT = LABEL_WIDTH + 10
BAR_SPACE = 400
ROW = 64
BAR = 40
TOP = 36


LABEL_CHARACTERS = 22  # per line of a name, wrapped between words
LINE = 30


@dataclass
class ChartRow:
    label: str
    lines: list[str]
    first_line_y: int
    votes: int
    percent: str
    winner: bool
    tied: bool
    threshold_met: bool
    y: int
    bar_width: float
    text_x: float


def _percent(value) -> str:
    return "—" if value is None else f"{number_format(value, 2)}%"


def result_chart(results: dict) -> dict:
    """The numbers the template draws: one row per candidate, the threshold's x."""
    base = results["base_count"] or 1
    rows, y = [], TOP
    for candidate in results["candidates"]:
        share = min(candidate["votes"] / base, 1)
        width = round(BAR_SPACE * share, 1)
        lines = wrap_label(candidate["label"], LABEL_CHARACTERS)
        if candidate["winner"]:
            lines[0] = f"✔ {lines[0]}"
        # The name's lines centred on the bar; a long name makes its row taller.
        first_line_y = y + BAR // 2 + 9 - (len(lines) - 1) * LINE // 2
        top_gap = max(0, y - (first_line_y - 22))
        y += top_gap
        first_line_y += top_gap
        rows.append(
            ChartRow(
                label=candidate["label"],
                lines=lines,
                first_line_y=first_line_y,
                votes=candidate["votes"],
                percent=_percent(candidate["percent"]),
                winner=candidate["winner"],
                tied=candidate["tied"],
                threshold_met=candidate["threshold_met"],
                y=y,
                bar_width=width,
                text_x=BAR_LEFT + width + 12,
            )
        )
        y += max(ROW, (len(lines) - 1) * LINE + ROW - BAR // 2)
    threshold_x = round(BAR_LEFT + BAR_SPACE * min(results["needed"] / base, 1), 1)
    height = y + 8
    return {
        "rows": rows,
        "threshold_x": threshold_x,
        "height": height,
        "width": WIDTH,
        "bar_left": BAR_LEFT,
        "bar_height": BAR,
        "label_x": LABEL_WIDTH,
        "line": LINE,
        "bar_text_dy": BAR // 2 + 9,
        "description": _(
            "Votes of each candidate out of %(base)s; %(needed)s votes needed to be elected."
        )
        % {"base": results["base_count"], "needed": results["needed"]},
    }


def _received(vote: Vote) -> dict:
    if not vote.electronic:
        return {"electronic": False}
    counts = vote.codes.aggregate(issued=Count("pk"), received=Count("pk", filter=Q(used=True)))
    return {"electronic": True, **counts}


def screen(request, pk):
    vote = selectors.vote_or_404(request.user, pk)
    meeting = vote.meeting
    context = {
        "vote": vote,
        "meeting": meeting,
        "cluster": meeting.cluster_year.cluster,
        "ballot_url": request.build_absolute_uri(reverse("votes:public-ballot")),
        "poll_seconds": POLL_SECONDS,
        **_received(vote),
    }
    if vote.results and vote.status in (Vote.Status.CLOSED, Vote.Status.CONFIRMED):
        context["chart"] = result_chart(vote.results)
        context["results"] = vote.results
    return render(request, "votes/hall_screen.html", context)


def screen_count(request, pk):
    """The ballots received, polled by the screen; once the vote has closed it asks the
    screen to reload and show the result."""
    vote = selectors.vote_or_404(request.user, pk)
    if vote.status != Vote.Status.OPEN:
        response = render(request, "votes/includes/_hall_count.html", {"vote": vote})
        response.headers["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "votes/includes/_hall_count.html",
        {"vote": vote, "poll_seconds": POLL_SECONDS, **_received(vote)},
    )
