"""Forms posted with the other province's ids in them change nothing of that province.

A grid names its cells by ids (``c-<target>-<member>``); a hostile user can post a
cell of another cluster's grid to their own page. For every form of province A, the
test posts A's form with the fields of the same form of province B that A's has not
(the cells and rows named by B's ids, with new values), then reads B's form again as
B's staff: it must show what it showed before. The forms are found through the URLs,
so a new grid is covered without an edit here.
"""

from django.db import transaction

from clusters.models import Role
from core.grids import SNAPSHOT_NAME
from tests.security.conftest import logged_in
from tests.security.crawl import form_fields, page_forms, patterns

PATTERNS, _ = patterns()
ALWAYS_VOLATILE = (SNAPSHOT_NAME, "loaded_at")


def _forms(client, url) -> list[dict]:
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    return [form_fields(form)[0] for form in page_forms(response.content)]


def _changed(value):
    """Another plausible value: a number for a number, a word for a word."""
    if isinstance(value, list):
        return value
    return "7" if (value or "0").replace(",", "").replace(".", "").isdigit() else "ZZFOREIGN"


def _stable(forms, *readings) -> list[dict]:
    """``forms`` without the fields that differ between two plain readings of the page
    (the moment it was loaded, a signed snapshot)."""
    first, second = readings
    # Signed with the moment of reading: a second's tick between two readings changes them.
    volatile = set(ALWAYS_VOLATILE) | {
        key
        for one, two in zip(first, second, strict=False)
        for key in one.keys() | two.keys()
        if one.get(key) != two.get(key)
    }
    return [{k: v for k, v in form.items() if k not in volatile} for form in forms]


def test_no_form_of_one_province_changes_the_other_ones_data(world, db):
    a = logged_in(world.a.users[Role.Kind.STAFF])
    b = logged_in(world.b.users[Role.Kind.STAFF])
    problems, tried = [], 0
    for pattern in PATTERNS:
        if not pattern.has_objects:
            continue
        for url_a, url_b in zip(pattern.urls(world.a), pattern.urls(world.b), strict=True):
            forms_a, forms_b = _forms(a, url_a), _forms(b, url_b)
            for data_a, data_b in zip(forms_a, forms_b, strict=False):
                foreign = {k: _changed(v) for k, v in data_b.items() if k not in data_a}
                if not foreign:
                    continue
                tried += 1
                again = _forms(b, url_b)  # a second plain reading, to tell volatile fields
                with transaction.atomic():
                    response = a.post(url_a, {**data_a, **foreign})
                    after = _forms(b, url_b)
                    transaction.set_rollback(True)
                if response.status_code >= 500:
                    problems.append(f"POST {url_a} with B's fields answered {response.status_code}")
                if _stable(after, forms_b, again) != _stable(forms_b, forms_b, again):
                    problems.append(f"POST {url_a} with B's fields changed {url_b}")
    assert tried > 5, "no form names its fields by ids: is the check blind?"
    assert problems == [], "\n".join(problems)
