"""The granted awards' tallies (``GrantedByType``, ``GrantedByPlace``), kept by the
database as awards change.

Triggers on the awards' table add each granted award to its row of each tally and take
it away when it stops counting (it is returned, deleted, or moves to another year, type,
unit, cluster year or kind of recipient). They run whatever writes the awards, raw SQL
and bulk updates included, so the tallies cannot drift from the awards the way counters
kept in Python code would the day a new way of writing appears.

- PostgreSQL: one trigger per statement, reading the statement's changed rows at once
  (transition tables): an import of 2,000 awards adds to each tally in one statement,
  and an update that changes nothing counted (a stage, a name) writes nothing. The
  trigger only adds rows (a key's change, +n or -n): it never updates a row another
  transaction could be updating, so transactions writing awards never wait for each
  other there, nor deadlock. Readers add a key's rows up (they group anyway). Every
  ``COMPACT_EVERY`` rows added, the transaction adding the row past the mark adds each
  key's rows up into one (unless another is doing it: an advisory lock), deleting
  only rows committed before it began, which nobody else writes.
- SQLite: one trigger per row, adding to the key's row (SQLite writes one transaction
  at a time).

Around every run of the migrations the triggers are dropped (``pre_migrate``) and then
installed again (``post_migrate``), the tallies counted again from the awards: a
migration may rebuild a table on SQLite, which drops its triggers or finds them pointing
at a table being replaced, and the triggers installed are always those of this code. On
PostgreSQL, creating the triggers locks the awards' table until the tallies are counted
again, so an award written meanwhile by a running server is counted once.
"""

from __future__ import annotations

from django.db import connections, transaction

from awards.models import Award, GrantedByPlace, GrantedByType

GRANTED = (Award.Status.DECIDED, Award.Status.PRESENTED)
TALLIES = (GrantedByType, GrantedByPlace)

AWARDS = Award._meta.db_table
_GRANTED_SQL = ", ".join(f"'{status}'" for status in GRANTED)
TRIGGERS = {
    "insert": "awards_granted_tally_insert",
    "update": "awards_granted_tally_update",
    "delete": "awards_granted_tally_delete",
}
_FUNCTION = "awards_granted_tally"
_COMPACT = "awards_granted_tally_compact"
# On PostgreSQL the tallies are compacted each time this many rows were added.
COMPACT_EVERY = 5000
# The awards' columns a tally may count by, and what an award without one counts as.
_NONE_IS_0 = {"unit_id", "cluster_year_id"}


def _of(row: str, column: str) -> str:
    """A column of an awards' ``row`` (a table, or a trigger's NEW or OLD) as a key."""
    value = f"{row}.{column}" if row else column
    return f"COALESCE({value}, 0)" if column in _NONE_IS_0 else value


def _postgresql_function() -> str:
    def add(tally, sources: list[tuple[str, str]]) -> str:
        key = ", ".join(tally.KEY)
        changes = " UNION ALL ".join(
            f"SELECT {', '.join(_of('', c) for c in tally.KEY)}, {sign}1 FROM {rows}"
            f" WHERE status IN ({_GRANTED_SQL})"
            for rows, sign in sources
        )
        # Rows whose count does not change are not written at all.
        insert = (
            f"INSERT INTO {tally._meta.db_table} ({key}, count)"
            f" SELECT {key}, SUM(n) FROM ({changes}) AS changes ({key}, n)"
            f" GROUP BY {key} HAVING SUM(n) <> 0"
        )
        if tally is not TALLIES[-1]:
            return insert + ";"
        # The numbers the last tally's new rows took, to know when to compact.
        return (
            f"WITH added AS ({insert} RETURNING id)"
            " SELECT MIN(id), MAX(id) INTO low, high FROM added;"
        )

    def each(sources) -> str:
        return "\n        ".join(add(tally, sources) for tally in TALLIES)

    def compacted(tally) -> str:
        key, table = ", ".join(tally.KEY), tally._meta.db_table
        return (
            f"WITH gone AS (DELETE FROM {table} RETURNING {key}, count)"
            f" INSERT INTO {table} ({key}, count) SELECT {key}, SUM(count) FROM gone"
            f" GROUP BY {key} HAVING SUM(count) <> 0;"
        )

    return f"""
CREATE OR REPLACE FUNCTION {_COMPACT}() RETURNS void LANGUAGE sql AS $$
    {" ".join(compacted(tally) for tally in TALLIES)}
$$;
CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    low bigint;
    high bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        {each([("new_awards", "+")])}
    ELSIF TG_OP = 'DELETE' THEN
        {each([("old_awards", "-")])}
    ELSE
        {each([("new_awards", "+"), ("old_awards", "-")])}
    END IF;
    -- Every {COMPACT_EVERY:,} rows added, the transaction that adds the one past the mark
    -- compacts the tallies, unless another is compacting them.
    IF high / {COMPACT_EVERY} > (low - 1) / {COMPACT_EVERY}
            AND pg_try_advisory_xact_lock(hashtext('{_COMPACT}')) THEN
        PERFORM {_COMPACT}();
    END IF;
    RETURN NULL;
END
$$;
"""


def _postgresql_triggers() -> dict[str, str]:
    referencing = {
        "insert": "NEW TABLE AS new_awards",
        "update": "OLD TABLE AS old_awards NEW TABLE AS new_awards",
        "delete": "OLD TABLE AS old_awards",
    }
    return {
        name: f"CREATE TRIGGER {name} AFTER {event.upper()} ON {AWARDS}"
        f" REFERENCING {referencing[event]} FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
        for event, name in TRIGGERS.items()
    }


def _sqlite_triggers() -> dict[str, str]:
    # SQLite writes one transaction at a time: a row is added to, or created.
    def matches(tally, row: str) -> str:
        return " AND ".join(f"{c} = {_of(row, c)}" for c in tally.KEY)

    def add(row: str) -> str:
        return " ".join(
            f"UPDATE {tally._meta.db_table} SET count = count + 1"
            f" WHERE {row}.status IN ({_GRANTED_SQL}) AND {matches(tally, row)};"
            f" INSERT INTO {tally._meta.db_table} ({', '.join(tally.KEY)}, count)"
            f" SELECT {', '.join(_of(row, c) for c in tally.KEY)}, 1"
            f" WHERE {row}.status IN ({_GRANTED_SQL}) AND NOT EXISTS"
            f" (SELECT 1 FROM {tally._meta.db_table} WHERE {matches(tally, row)});"
            for tally in TALLIES
        )

    def take(row: str) -> str:
        return " ".join(
            f"UPDATE {tally._meta.db_table} SET count = count - 1"
            f" WHERE {row}.status IN ({_GRANTED_SQL}) AND {matches(tally, row)};"
            for tally in TALLIES
        )

    counted = ", ".join(["status", *dict.fromkeys(c for tally in TALLIES for c in tally.KEY)])
    return {
        TRIGGERS["insert"]: f"CREATE TRIGGER {TRIGGERS['insert']} AFTER INSERT ON {AWARDS}"
        f" BEGIN {add('NEW')} END",
        TRIGGERS["update"]: f"CREATE TRIGGER {TRIGGERS['update']}"
        f" AFTER UPDATE OF {counted} ON {AWARDS} BEGIN {take('OLD')} {add('NEW')} END",
        TRIGGERS["delete"]: f"CREATE TRIGGER {TRIGGERS['delete']} AFTER DELETE ON {AWARDS}"
        f" BEGIN {take('OLD')} END",
    }


def _installed(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [AWARDS],
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [AWARDS]
        )
    return {name for (name,) in cursor.fetchall()}


def recount(using: str = "default") -> None:
    """Count the tallies again from the awards (inside the caller's transaction)."""
    with connections[using].cursor() as cursor:
        for tally in TALLIES:
            table, key = tally._meta.db_table, ", ".join(tally.KEY)
            values = ", ".join(_of("", c) for c in tally.KEY)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (this app's tables)
            cursor.execute(
                f"INSERT INTO {table} ({key}, count) SELECT {values}, COUNT(*)"  # noqa: S608
                f" FROM {AWARDS} WHERE status IN ({_GRANTED_SQL}) GROUP BY {values}"
            )


def install(using: str = "default") -> bool:
    """Create the triggers that are missing, and if any was, count the tallies again.
    True when something was installed."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"The granted awards' tally has no triggers for {vendor}.")
    triggers = _postgresql_triggers() if vendor == "postgresql" else _sqlite_triggers()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        missing = [name for name in triggers if name not in _installed(cursor, vendor)]
        if not missing:
            return False
        if vendor == "postgresql":
            cursor.execute(_postgresql_function())
        for name in missing:
            cursor.execute(triggers[name])
        recount(using)
    return True


def compact(using: str = "default") -> None:
    """Add each key's rows of the tallies up into one (PostgreSQL; SQLite keeps one)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(f"SELECT {_COMPACT}()")


def installed(using: str = "default") -> set[str]:
    """The names of the tally's triggers present on the awards' table."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return _installed(cursor, connection.vendor) & set(TRIGGERS.values())


def drop(using: str = "default") -> None:
    """Drop the tallies' triggers (and on PostgreSQL their function), where present."""
    connection = connections[using]
    if AWARDS not in connection.introspection.table_names():
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for name in TRIGGERS.values():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {AWARDS}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
            cursor.execute(f"DROP FUNCTION IF EXISTS {_COMPACT}()")


def on_pre_migrate(sender, using="default", **kwargs) -> None:
    """Before the migrations: no trigger, whatever they rebuild."""
    drop(using)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    """After a migration: the triggers, once the awards' and the tallies' tables exist."""
    tables = set(connections[using].introspection.table_names())
    if {AWARDS, *(tally._meta.db_table for tally in TALLIES)} <= tables:
        install(using)
