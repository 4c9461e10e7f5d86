"""The dashboard: my clusters of a chosen year, what each still lacks, its ranking
leaders, and the meetings coming up."""

from django.shortcuts import render
from django.utils.timezone import localdate

from awards import selectors as award_selectors
from clusters import permissions as cluster_permissions
from clusters import selectors as cluster_selectors
from clusters.dashboard import lacks
from clusters.models import FIRST_YEAR, LAST_YEAR, Stage
from clusters.selectors import leaders_of
from meetings import selectors as meeting_selectors
from scoring import selectors as scoring_selectors


def _year_param(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def dashboard(request):
    """My clusters for the chosen emulation year (the current one by default)."""
    user = request.user
    today = localdate()
    current_year = today.year
    year = _year_param(request, current_year)
    rows = cluster_selectors.dashboard_rows(user, year=year)
    shown = [row["year"] for row in rows if row["is_current"]]
    missing = lacks.of(shown, today=today, user=user)
    leaders = scoring_selectors.ranking_leaders(shown)
    for row in rows:
        cluster_year = row["year"]
        if cluster_year is not None:
            cluster_year.head, cluster_year.deputy = leaders_of(cluster_year)
            row["can_roll_over"] = (
                not row["is_current"]
                and cluster_year.year == year - 1
                and cluster_permissions.can_roll_over_clusteryear(user, cluster_year)
            )
        if row["is_current"]:
            row["lacks"] = missing[cluster_year.pk]
            row["leaders"] = leaders.get(cluster_year.pk, [])
        row["can_add_year"] = cluster_permissions.can_create_clusteryear(user, row["cluster"])
    upcoming, recent = meeting_selectors.calendar_for_user(user, year=year)
    years = cluster_selectors.years_between([row["cluster"] for row in rows], current_year, year)
    return render(
        request,
        "reports/dashboard.html",
        {
            "rows": rows,
            "year": year,
            "years": years,
            "today": today,
            "current_count": sum(1 for row in rows if row["is_current"]),
            "upcoming": upcoming,
            "recent": recent,
            "past_year": year < current_year,
            "award_inbox": [
                (stage, Stage(stage).label, count)
                for stage, count in award_selectors.inbox_counts(user).items()
            ],
        },
    )
