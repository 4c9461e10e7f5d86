"""Cross-app reads: the global search. Builds on every app's scoped selectors."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters import search
from clusters import selectors as cluster_selectors
from clusters.models import Cluster, Person, Unit
from clusters.selectors import user_scope
from core import pagination
from core.pagination import COUNT_CAP, KeysetPaginator
from core.sql import CompiledCache, hole, integer_hole, splice
from core.text import search_words
from meetings import selectors as meeting_selectors
from meetings.models import Exemplar
from pledges import selectors as pledge_selectors
from pledges.models import Movement
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
    model: type[Model]
    # What the user may see of ``model``; it depends on the user's scope alone.
    selector: Callable
    list_url: str  # the URL name of the kind's list, which takes ``?q=``
    column: str = "search_text"
    ordering: tuple = ("sort_key", "pk")
    # A register of hundreds of rows at most (units, clusters, movements, exemplars):
    # every rank read in one query. The people register (100,000) reads "the rest" only
    # when the names leave a section short (core.pagination).
    small: bool = True


SEARCH_KINDS = [
    SearchKind("units", _("Units"), Unit, cluster_selectors.units_for_user, "clusters:unit-list"),
    SearchKind(
        "clusters",
        _("Clusters and blocs"),
        Cluster,
        cluster_selectors.clusters_for_user,
        "clusters:cluster-list",
    ),
    SearchKind(
        "people",
        _("People"),
        Person,
        cluster_selectors.people_for_user,
        "clusters:person-list",
        small=False,
    ),
    SearchKind(
        "movements",
        _("Emulation movements"),
        Movement,
        pledge_selectors.movements_for_user,
        "pledges:movement-list",
    ),
    SearchKind(
        "exemplars",
        _("Exemplary models"),
        Exemplar,
        meeting_selectors.exemplars_for_user,
        "meetings:exemplar-list",
    ),
]


# Each kind's scoped part of ``ranked_ids_query``, compiled by the ORM once per kind,
# database and scope (a kind's selector depends on the user's scope alone): only the
# search's own SQL changes from one search to the next.
_SCOPED_PARTS = CompiledCache()


def _scoped_part(kind: SearchKind, user, connection) -> tuple[str, tuple]:
    def build():
        queryset = kind.selector(user)
        if queryset.model is not kind.model:
            raise ValueError(f"{kind.key}: the selector reads {queryset.model.__name__}")
        return (
            queryset.filter(hole("matches"))
            .order_by()
            .annotate(_id=F("pk"), _tier=integer_hole("tier"), _key=F("sort_key"))
            .values_list("_id", "_tier", "_key")
        )[: COUNT_CAP + 1]

    return _SCOPED_PARTS.get((kind.key, connection.alias, user_scope(user)), build)


def ranked_ids_query(user, query: str) -> tuple[str, list] | None:
    """The one query of ``global_search``: for every kind, rows of ``(kind, id,
    count)``, its best ``SEARCH_LIMIT`` ids best first, each with the kind's matches
    counted up to ``COUNT_CAP + 1``. None for a query without words.

    Each kind's part reads its matches (up to ``COUNT_CAP + 1``, by the search's own
    indexes), ranks them with a ``CASE`` of the tiers and sorts them: the ranking is
    right whenever the matches were all read (``count <= COUNT_CAP``). One plain query
    of ids, rather than a ranked union of whole rows per kind, also spares most of the
    ORM's work, which was most of a selective search's time: the scope comes from each
    kind's selector, compiled once per scope (``_scoped_part``), and the search's
    conditions are written by ``clusters.search`` as SQL.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    parts, params = [], []
    for kind in SEARCH_KINDS:
        if kind.column != "search_text" or list(kind.ordering) != ["sort_key", "pk"]:
            raise ValueError(f"{kind.key}: searched in its own columns, in their order, only")
        table = connection.ops.quote_name(kind.model._meta.db_table)
        condition = search.matches_sql(query, f'{table}."search_text"', connection.vendor)
        tier = search.tiers_sql(query, table, connection.vendor)
        if condition is None or tier is None:
            return None
        sql, part_params = splice(
            *_scoped_part(kind, user, connection), {"matches": condition, "tier": tier}
        )
        # The window counts the rows read, before the order and the limit keep a page.
        parts.append(
            f"SELECT * FROM (SELECT %s, m._id, COUNT(*) OVER () FROM ({sql}) m "
            f"ORDER BY m._tier, m._key, m._id LIMIT {SEARCH_LIMIT}) p{len(parts)}"
        )
        params += [kind.key, *part_params]
    return " UNION ALL ".join(parts), params


def _ranked_ids(user, query: str) -> dict[str, tuple[list[int], int]]:
    """``{kind: (best ids, count)}`` of ``ranked_ids_query``, kinds without a match left
    out."""
    built = ranked_ids_query(user, query)
    if built is None:
        return {}
    found: dict[str, tuple[list[int], int]] = {}
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(*built)
        for key, pk, count in cursor.fetchall():
            found.setdefault(key, ([], count))[0].append(pk)
    return found


def _section(kind: SearchKind, user, query: str, ids: list[int], count: int) -> SearchSection:
    if count <= COUNT_CAP:
        # Every match was ranked: the rows of the ids, in their order.
        by_pk = kind.selector(user).filter(pk__in=ids).order_by().in_bulk()
        rows = [by_pk[pk] for pk in ids if pk in by_pk]
        has_more = count > len(rows)
    else:
        # Many matches: each tier read in the order's index, one page of it.
        tiers = search.tiers(query, kind.column)
        eager = len(tiers) if kind.small else pagination.EAGER_TIERS
        queryset = kind.selector(user).filter(search.matches(query, kind.column))
        paginator = KeysetPaginator(
            queryset, kind.ordering, SEARCH_LIMIT, tiers=tiers, eager=eager, total=count
        )
        rows, has_more = paginator.first_rows()
    return SearchSection(
        key=kind.key,
        title=kind.title,
        rows=rows,
        has_more=has_more,
        count=count,
        list_url=reverse(kind.list_url) + "?" + urlencode({"q": query}),
    )


def global_search(user, query: str) -> list[SearchSection]:
    """Search everything the user may see, ignoring case, diacritics and punctuation.

    Each kind found gives a section of its best ``SEARCH_LIMIT`` rows — a whole name
    equal to the query first, then names holding every word, then the rest, each in
    Vietnamese order (``clusters.search``) — with its count (up to ``COUNT_CAP``). One
    query ranks the ids of every kind, served by the trigram indexes on PostgreSQL; then
    one query per kind found reads its rows. A kind with more than ``COUNT_CAP``
    matches (a broad search of the people) reads its page in the order's index instead
    (``core.pagination``).
    """
    if not search_words(query):
        return []
    found = _ranked_ids(user, query)
    return [
        _section(kind, user, query, *found[kind.key]) for kind in SEARCH_KINDS if kind.key in found
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
