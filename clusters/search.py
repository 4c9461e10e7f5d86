"""Search over the folded columns every searchable row keeps (``SearchableModel``).

A query matches a row when each of its words starts a word of the row's searched texts
(``na ri`` finds "Huyện Na Rì"; ``yen`` does not find "Huyện"), whatever the case,
the diacritics, the dashes or the quotes. Rows are then ranked in tiers, each in
Vietnamese order: a name equal to the whole query, then names in which every word of
the query starts a word, then the rest (found through a position, a unit, a body…).

The columns keep a space before every word, so PostgreSQL answers the search from a
trigram index, even for a one- or two-letter word (see ``matches``); an exact name is
an equality on a plain index.
"""

from django.db.models import BooleanField, Expression, F, Q

from core.text import search_words


def _terms(query: str) -> list[tuple[str, str]]:
    """What a row must hold for ``query``, as ``(test, text)`` pairs: ``("contains",
    "thuy")`` a substring, ``("starts", " thuy")`` a word's start (see ``matches``)."""
    words = list(dict.fromkeys(search_words(query)))
    terms = []
    for word in words:
        if len(word) < 3:
            terms.append(("contains", f" {word}"))
            continue
        if not any(word != other and word in other for other in words):
            terms.append(("contains", word))
        terms.append(("starts", f" {word}"))
    return terms


def matches(query: str, column: str = "search_text") -> Q | None:
    """Rows in which every word of ``query`` starts a word of ``column``; None for an
    empty query. ``column`` may follow relations (``cluster__search_text``).

    A word of three letters or more is looked up as a substring — its own trigrams,
    which the index answers well — and checked to start a word by ``strpos``, which
    the planner leaves out of the index scan: padded trigrams such as ``"  t"`` sit in
    almost every row and would make the index read most of itself. A shorter word has
    no trigram of its own, so there the padded form `` ly`` is what the index gets.
    A word inside another word of the query ("thu" in "thuy") adds nothing to the
    index's part.

    The start of a word is tested as "not absent" (``NOT (STRPOS(…) = 0)``) rather than
    "found": PostgreSQL guesses a third of rows for a function compared with ``>``, and
    several such guesses multiplied made it think a broad search selective (and sort
    thousands of rows); ``NOT … = 0`` it guesses as keeping nearly all, leaving the
    estimate to the LIKE, which it reads off the column's statistics.
    """
    terms = _terms(query)
    if not terms:
        return None
    return Q(_Matches(F(column), terms))


class _Matches(Expression):
    """The terms of ``matches`` on one column, written as ``matches_sql`` writes them:
    one expression to resolve and compile, where a lookup per term cost a search most
    of its Python time."""

    conditional = True

    def __init__(self, column, terms):
        super().__init__(output_field=BooleanField())
        self.column = column
        self.terms = tuple(terms)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        sql, params = _terms_sql(self.terms, column, connection.vendor)
        # Each term names the column once, then its own text.
        return sql, [value for param in params for value in (*column_params, param)]


def _terms_sql(terms, column: str, vendor: str) -> tuple[str, list]:
    if vendor == "postgresql":
        contains, starts = f"{column}::text LIKE %s", f"NOT (STRPOS({column}, %s) = 0)"
    else:
        contains, starts = rf"{column} LIKE %s ESCAPE '\'", f"NOT (INSTR({column}, %s) = 0)"
    # The words are letters and digits only (``search_words``): nothing to escape.
    sql = " AND ".join(contains if test == "contains" else starts for test, _ in terms)
    params = [f"%{text}%" if test == "contains" else text for test, text in terms]
    return f"({sql})", params


def matches_sql(query: str, column: str, vendor: str) -> tuple[str, list] | None:
    """``matches`` as plain SQL on ``column`` (a quoted ``"table"."column"``), the
    same conditions it writes on PostgreSQL or SQLite: for a query built by hand,
    which costs far less than through the ORM. None for an empty query."""
    terms = _terms(query)
    if not terms:
        return None
    return _terms_sql(terms, column, vendor)


def _column_beside(column: str, name: str) -> str:
    """The column ``name`` beside a search column: (``cluster__search_text``,
    ``name_text``) → ``cluster__name_text``."""
    head, _, last = column.rpartition("__")
    if last != "search_text":
        raise ValueError(f"not a search column: {column}")
    return f"{head}__{name}" if head else name


def tiers(query: str, column: str = "search_text") -> list[Q]:
    """The ranks of a search's matches, best first, for ``core.pagination``: the name or
    the short name equal to the query, then names holding every word at a word's start,
    then the rest.

    Empty for an empty query (no ranking: the list keeps its own order).
    """
    words = search_words(query)
    if not words:
        return []
    whole = " ".join(words)
    exact = Q(**{_column_beside(column, "name_fold"): whole}) | Q(
        **{_column_beside(column, "short_fold"): whole}
    )
    return [exact, matches(query, _column_beside(column, "name_text")), Q()]


def tiers_sql(query: str, table: str, vendor: str) -> tuple[str, list] | None:
    """The rank of a row of ``table`` (quoted) among ``tiers``, as a plain SQL ``CASE``
    (0 the exact name, 1 every word in the name, 2 the rest). None for an empty query."""
    words = search_words(query)
    named = matches_sql(query, f'{table}."name_text"', vendor)
    if named is None:
        return None
    whole = " ".join(words)
    sql = (
        f'CASE WHEN ({table}."name_fold" = %s OR {table}."short_fold" = %s) THEN 0 '
        f"WHEN {named[0]} THEN 1 ELSE 2 END"
    )
    return sql, [whole, whole, *named[1]]
