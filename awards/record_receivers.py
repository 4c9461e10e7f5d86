"""The blocks the registers kept beside the awards add to the person and cluster year pages."""

from django.dispatch import receiver

from awards import selectors
from awards.models import ReportedCount
from awards.permissions import can_change_initiatives, can_report_award_counts
from clusters.models import AwardType
from clusters.signals import YearSection, person_sections
from core.text import vn_count


@receiver(person_sections)
def initiatives_section(sender, request, person, **kwargs):
    """The person's recognised initiatives and scientific works (one query)."""
    can_change = can_change_initiatives(request.user, person)
    initiatives = selectors.initiatives_of(person)
    if not initiatives and not can_change:
        return None
    return YearSection(
        order=35,
        template="awards/includes/_initiatives.html",
        context={"person": person, "initiatives": initiatives, "can_change": can_change},
    )


def reported_counts_section(sender, request, cluster_year, **kwargs):
    """What the members reported without listing each award, with the totals per
    period, level and kind (one query)."""
    can_change = can_report_award_counts(request.user, cluster_year)
    counts = selectors.reported_counts_of(cluster_year)
    if not counts and not can_change:
        return None
    return YearSection(
        order=48,
        template="awards/includes/_reported_counts.html",
        wide=True,
        context={"cluster_year": cluster_year, **counts_table(counts), "can_change": can_change},
    )


def counts_table(counts: list[ReportedCount]) -> dict:
    """The rows as shown (numbers written 1.315) and their totals per period, level and
    kind, in the order of the choices."""
    totals: dict[tuple, int] = {}
    for count in counts:
        key = (count.period, count.level, count.kind)
        totals[key] = totals.get(key, 0) + count.count
    order = {
        "period": list(ReportedCount.Period.values),
        "level": list(AwardType.Level.values),
        "kind": list(ReportedCount.Kind.values),
    }
    rows = [
        {
            "unit": count.unit,
            "period": count.get_period_display(),
            "level": count.get_level_display(),
            "kind": count.get_kind_display(),
            "count": vn_count(count.count),
            "note": count.note,
        }
        for count in counts
    ]
    total_rows = [
        {
            "period": ReportedCount.Period(period).label,
            "level": AwardType.Level(level).label,
            "kind": ReportedCount.Kind(kind).label,
            "count": vn_count(total),
        }
        for (period, level, kind), total in sorted(
            totals.items(),
            key=lambda item: (
                order["period"].index(item[0][0]),
                order["level"].index(item[0][1]),
                order["kind"].index(item[0][2]),
            ),
        )
    ]
    return {"rows": rows, "totals": total_rows}
