"""The charts of the scoring results: total points in rank order, points by criteria
group, each member's rank over the years.

Each is drawn once on the server (``core.charts``) from rows already loaded — no query
here — so the results page shows the same SVG the score summary and the year-end report
print. Labels are the members' full names and the groups' titles; only the description
(the chart's accessible name) is worded by the caller, in the page's language or in
Vietnamese for a document.

pygal takes ~20 ms a chart, and the results page draws three on every visit while the
scores rarely change: a drawing is kept in the cache under the digest of everything it
is drawn from (the data, the wording, the language), so the same data gives the same
SVG as before (``core.charts`` draws no random id) and new data is drawn afresh, with
nothing to invalidate.
"""

from core.charts import bar_chart, drawn, line_chart
from scoring.rank_history import RankHistory
from scoring.ranking import Ranking


def totals_chart(ranking: Ranking, *, description: str) -> str:
    """One bar per member in rank order, its total printed after it (95,50); the axis
    runs to the sheet's maximum (further if bonus points pass it)."""
    standings = ranking.standings
    top = max([ranking.max_total, *(standing.total for standing in standings)])
    return drawn(
        bar_chart,
        categories=[standing.unit.name for standing in standings],
        series=[(description, [standing.total for standing in standings])],
        max_value=top,
        decimals=2,
        description=description,
    )


def groups_chart(ranking: Ranking, *, description: str) -> str:
    """One stacked bar per member in rank order, a segment per criteria group (before
    bonus and deductions), the groups named in the legend."""
    standings = ranking.standings
    series = [
        (group.title, [standing.group_points[index] for standing in standings])
        for index, group in enumerate(ranking.groups)
    ]
    return drawn(
        bar_chart,
        categories=[standing.unit.name for standing in standings],
        series=series,
        stacked=True,
        max_value=ranking.max_total,
        decimals=2,
        description=description,
    )


def rank_chart(history: RankHistory, *, description: str) -> str:
    """One line per member unit over the years, rank 1 on top; a year the unit was not
    ranked (not yet a member, or absent) leaves a gap."""
    return drawn(
        line_chart,
        x_labels=[str(year) for year in history.years],
        series=[(line.unit.name, line.ranks) for line in history.lines],
        inverse_y=True,
        integer_y=True,
        description=description,
    )
