"""Cross-app reads: the global search. Builds on every app's scoped selectors."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusters import selectors as cluster_selectors
from meetings import selectors as meeting_selectors
from reports.models import ReportText

SEARCH_LIMIT = 20


@dataclass
class SearchSection:
    key: str
    title: str
    rows: list
    has_more: bool


def _section(key: str, title, queryset: QuerySet, query: str, column: str = "search_text"):
    condition = cluster_selectors.search_filter(query, column)
    if condition is None:
        return SearchSection(key, title, [], False)
    rows = list(queryset.filter(condition).order_by("sort_key", "pk")[: SEARCH_LIMIT + 1])
    return SearchSection(key, title, rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT)


def global_search(user, query: str) -> list[SearchSection]:
    """Search everything the user may see, ignoring case and Vietnamese diacritics.

    Each section returns at most ``SEARCH_LIMIT`` rows in Vietnamese order, one query
    per section, each served by a trigram index on PostgreSQL.
    """
    return [
        _section(
            "clusters",
            _("Clusters and blocs"),
            cluster_selectors.clusters_for_user(user),
            query,
        ),
        _section(
            "units",
            _("Units"),
            cluster_selectors.units_for_user(user),
            query,
        ),
        _section(
            "people",
            _("People"),
            cluster_selectors.people_for_user(user),
            query,
        ),
        _section(
            "exemplars",
            _("Exemplary models"),
            meeting_selectors.exemplars_for_user(user),
            query,
        ),
    ]


def exports_for_user(user):
    """A user's own exports: nobody else's files, whatever their role."""
    from reports.models import Export

    return Export.objects.filter(user=user) if user.is_authenticated else Export.objects.none()


def report_texts_of(cluster_year) -> QuerySet:
    """The staff's texts of a cluster year's reports (the year is already scoped)."""
    return ReportText.objects.filter(cluster_year=cluster_year)


def report_text_of(cluster_year, kind: str):
    """The staff's texts of one report, or None when nobody wrote any yet."""
    return report_texts_of(cluster_year).filter(kind=kind).first()
