"""Cross-app reads: the global search. Builds on every app's scoped selectors."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters import search
from clusters import selectors as cluster_selectors
from core import pagination
from core.pagination import COUNT_CAP, KeysetPaginator, count_up_to
from meetings import selectors as meeting_selectors
from pledges import selectors as pledge_selectors
from reports.models import ReportText

SEARCH_LIMIT = 20


@dataclass
class SearchSection:
    """One kind of thing found: its best ``SEARCH_LIMIT`` rows, how many there are
    (counted up to ``COUNT_CAP``) and the list page that shows them all."""

    key: str
    title: str
    rows: list
    has_more: bool
    count: int
    list_url: str

    @property
    def count_is_exact(self) -> bool:
        return self.count <= COUNT_CAP

    @property
    def count_cap(self) -> int:
        return COUNT_CAP


@dataclass(frozen=True)
class SearchKind:
    key: str
    title: str
    selector: Callable
    list_url: str  # the URL name of the kind's list, which takes ``?q=``
    column: str = "search_text"
    ordering: tuple = ("sort_key", "pk")
    # A register of hundreds of rows at most (units, clusters, movements, exemplars):
    # every rank read in one query. The people register (100,000) reads "the rest" only
    # when the names leave a section short (core.pagination).
    small: bool = True


SEARCH_KINDS = [
    SearchKind("units", _("Units"), cluster_selectors.units_for_user, "clusters:unit-list"),
    SearchKind(
        "clusters",
        _("Clusters and blocs"),
        cluster_selectors.clusters_for_user,
        "clusters:cluster-list",
    ),
    SearchKind(
        "people",
        _("People"),
        cluster_selectors.people_for_user,
        "clusters:person-list",
        small=False,
    ),
    SearchKind(
        "movements",
        _("Emulation movements"),
        pledge_selectors.movements_for_user,
        "pledges:movement-list",
    ),
    SearchKind(
        "exemplars",
        _("Exemplary models"),
        meeting_selectors.exemplars_for_user,
        "meetings:exemplar-list",
    ),
]


def _section(kind: SearchKind, user, query: str) -> SearchSection | None:
    condition = search.matches(query, kind.column)
    if condition is None:
        return None
    queryset = kind.selector(user).filter(condition)
    tiers = search.tiers(query, kind.column)
    eager = len(tiers) if kind.small else pagination.EAGER_TIERS
    # A big register is counted first: few matches are then read by the search's own
    # indexes and sorted, many by walking the order's index (core.pagination).
    total = None if kind.small else count_up_to(queryset)
    paginator = KeysetPaginator(
        queryset, kind.ordering, SEARCH_LIMIT, tiers=tiers, eager=eager, total=total
    )
    rows, has_more = paginator.first_rows()
    if not rows:
        return None
    if total is None:
        # Counted only when the first rows do not hold them all.
        total = count_up_to(queryset) if has_more else len(rows)
    return SearchSection(
        key=kind.key,
        title=kind.title,
        rows=rows,
        has_more=has_more,
        count=total,
        list_url=reverse(kind.list_url) + "?" + urlencode({"q": query}),
    )


def global_search(user, query: str) -> list[SearchSection]:
    """Search everything the user may see, ignoring case, diacritics and punctuation.

    Each kind found gives a section of its best ``SEARCH_LIMIT`` rows — a whole name
    equal to the query first, then names holding every word, then the rest, each in
    Vietnamese order (``clusters.search``) — with its count. One query per kind, and
    one more to count a kind with more rows than are shown; each served by the trigram
    indexes on PostgreSQL.
    """
    sections = (_section(kind, user, query) for kind in SEARCH_KINDS)
    return [section for section in sections if section is not None]


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
