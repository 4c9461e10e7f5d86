"""The granted awards' tally (``GrantedTally``), kept by the database as awards change.

Triggers on the awards' table add each granted award to its row of the tally and take
it away when it stops counting (it is returned, deleted, or moves to another year, type,
unit, cluster year or kind of recipient). They run whatever writes the awards, raw SQL
and bulk updates included, so the tally cannot drift from the awards the way counters
kept in Python code would the day a new way of writing appears.

- PostgreSQL: one trigger per statement, reading the statement's changed rows at once
  (transition tables): an import of 2,000 awards adds to the tally in one statement,
  and an update that changes nothing counted (a stage, a name) writes nothing, so it
  waits on no one else's row.
- SQLite: one trigger per row.

``install`` runs after every migration (``post_migrate``). It creates whatever trigger
is missing and then counts the tally again from the awards: the first time, and
whenever a migration rebuilt the awards' table on SQLite (which drops its triggers), so
the tally never misses the awards written while they were missing.
"""

from __future__ import annotations

from django.db import connections, transaction

from awards.models import Award, GrantedTally

GRANTED = (Award.Status.DECIDED, Award.Status.PRESENTED)

AWARDS = Award._meta.db_table
TALLY = GrantedTally._meta.db_table
KEY = "body_id, year, award_type_id, unit_id, cluster_year_id, recipient_kind"
# The key of an award's row of the tally, from a row of the awards' table.
AWARD_KEY = (
    "body_id, year, award_type_id, COALESCE(unit_id, 0), COALESCE(cluster_year_id, 0),"
    " recipient_kind"
)
_GRANTED_SQL = ", ".join(f"'{status}'" for status in GRANTED)
TRIGGERS = {
    "insert": "awards_granted_tally_insert",
    "update": "awards_granted_tally_update",
    "delete": "awards_granted_tally_delete",
}
_FUNCTION = "awards_granted_tally"


def _postgresql_function() -> str:
    def changes(rows: str, sign: str) -> str:
        return f"SELECT {AWARD_KEY}, {sign}1 AS n FROM {rows} WHERE status IN ({_GRANTED_SQL})"

    def add(source: str) -> str:
        # In the key's order, so that two statements lock the rows they share in the
        # same order; rows whose count does not change are not written at all.
        return (
            f"INSERT INTO {TALLY} AS t ({KEY}, count)"
            f" SELECT {KEY}, SUM(n) FROM ({source}) AS changes ({KEY}, n)"
            f" GROUP BY {KEY} HAVING SUM(n) <> 0 ORDER BY {KEY}"
            f" ON CONFLICT ({KEY}) DO UPDATE SET count = t.count + EXCLUDED.count;"
        )

    return f"""
CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {add(changes("new_awards", "+"))}
    ELSIF TG_OP = 'DELETE' THEN
        {add(changes("old_awards", "-"))}
    ELSE
        {add(changes("new_awards", "+") + " UNION ALL " + changes("old_awards", "-"))}
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
    def key_of(row: str) -> list[str]:
        return [
            f"{row}.body_id",
            f"{row}.year",
            f"{row}.award_type_id",
            f"COALESCE({row}.unit_id, 0)",
            f"COALESCE({row}.cluster_year_id, 0)",
            f"{row}.recipient_kind",
        ]

    def add(row: str) -> str:
        return (
            f"INSERT INTO {TALLY} ({KEY}, count) SELECT {', '.join(key_of(row))}, 1"
            f" WHERE {row}.status IN ({_GRANTED_SQL})"
            f" ON CONFLICT ({KEY}) DO UPDATE SET count = count + 1;"
        )

    def take(row: str) -> str:
        matches = " AND ".join(
            f"{column} = {value}"
            for column, value in zip(KEY.split(", "), key_of(row), strict=True)
        )
        return (
            f"UPDATE {TALLY} SET count = count - 1"
            f" WHERE {row}.status IN ({_GRANTED_SQL}) AND {matches};"
        )

    counted = "status, " + KEY
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
    """Count the tally again from the awards (inside the caller's transaction)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TALLY}")  # noqa: S608 (names of this app's tables)
        cursor.execute(
            f"INSERT INTO {TALLY} ({KEY}, count) SELECT {AWARD_KEY}, COUNT(*)"  # noqa: S608
            f" FROM {AWARDS} WHERE status IN ({_GRANTED_SQL}) GROUP BY {AWARD_KEY}"
        )


def install(using: str = "default") -> bool:
    """Create the triggers that are missing, and if any was, count the tally again.
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


def installed(using: str = "default") -> set[str]:
    """The names of the tally's triggers present on the awards' table."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return _installed(cursor, connection.vendor) & set(TRIGGERS.values())


def on_post_migrate(sender, using="default", **kwargs) -> None:
    """After a migration: the triggers, once the awards' and the tally's tables exist."""
    tables = connections[using].introspection.table_names()
    if AWARDS in tables and TALLY in tables:
        install(using)
