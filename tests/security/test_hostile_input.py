"""Hostile text typed into every form of the product, then shown on every page and in
every file: nothing crashes, pages escape it, spreadsheets keep it as text.

The forms are found by reading the pages of every URL (tests/security/crawl.py) as
province A's staff, so a form added later is covered without an edit here.
"""

import io
from urllib.parse import urljoin

import lxml.html
import openpyxl
import pytest

from clusters.models import Role
from tests.security.conftest import logged_in
from tests.security.crawl import attempt, body_of, form_fields, patterns, readable_text
from tests.security.hostile import (
    FORMULAS,
    GROUPS,
    MARKUP,
    TOO_LONG,
    UNICODE,
    filled,
    forms_of,
)

PATTERNS, _ = patterns()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _urls(world) -> list[str]:
    return [url for pattern in PATTERNS for url in pattern.urls(world.a)]


@pytest.fixture
def staff_client(world):
    client = logged_in(world.a.users[Role.Kind.STAFF])
    client.raise_request_exception = False
    return client


def test_a_too_long_value_is_a_form_error_and_saves_nothing(world, staff_client, db):
    forms = [form for form in forms_of(staff_client, _urls(world)) if form.limited]
    assert len(forms) > 20, "the forms were not found"
    problems = []
    for form in forms:
        data = filled(form, [TOO_LONG], fields=form.limited)
        outcome = attempt(staff_client, "post", form.action, data)
        if outcome.status == 302 and outcome.location == form.page and not outcome.changed:
            continue  # a workflow action refuses with a message on the page it came from
        if outcome.status != 200 or outcome.changed:
            problems.append(f"{form.label}: {outcome.status}, changed {outcome.changed}")
        elif not lxml.html.fromstring(outcome.content).xpath(
            "//*[contains(@class, 'invalid-feedback') or contains(@class, 'errorlist')"
            " or contains(@class, 'alert-danger') or @aria-invalid='true']"
        ):
            problems.append(f"{form.label}: answered 200 without saying what is wrong")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("group", [*GROUPS, "long"])
def test_hostile_text_is_stored_and_shown_safely_everywhere(group, world, staff_client, db):
    """``long``: 10,000 characters in every free-text field without a maximum length."""
    values = GROUPS.get(group, [TOO_LONG])
    saved, problems = 0, []
    forms = forms_of(staff_client, _urls(world))
    # Workflow actions (signing a pledge) close forms; they are typed into last.
    forms.sort(key=lambda form: form.action != form.page)
    for offset, form in enumerate(forms):
        # Read the form again: an earlier save may have changed what it shows.
        fresh = next((f for f in forms_of(staff_client, [form.page]) if f.action == form.action),
                     form)  # fmt: skip
        fields = [name for name in fresh.texts if name not in fresh.limited]
        if group == "long" and not fields:
            continue
        data = filled(fresh, values, offset=offset, fields=fields if group == "long" else None)
        response = staff_client.post(fresh.action, data)
        if response.status_code >= 500:
            problems.append(f"{fresh.label}: saving answered {response.status_code}")
        saved += response.status_code == 302
    assert saved > (8 if group == "long" else 20), f"only {saved} forms took the text"

    escaped_seen = spreadsheet_cells = calendar_seen = 0
    for url in _urls(world):
        response = staff_client.get(url)
        where = f"GET {url}"
        if response.status_code >= 500:
            problems.append(f"{where} answered {response.status_code}")
            continue
        if response.status_code != 200:
            continue
        content = body_of(response)
        kind = response["Content-Type"].split(";")[0]
        if kind == "text/html":
            page = content.decode()
            problems += [
                f"{where} shows {value!r} unescaped" for value in MARKUP[:2] if value in page
            ]
            escaped_seen += ESCAPED_SCRIPT in page
        elif kind == XLSX:
            cells, formulas = _cells(content)
            spreadsheet_cells += sum(
                1 for cell in cells if any(v in str(cell.value) for v in values)
            )
            problems += [
                f"{where}: cell {cell.coordinate} holds the formula {cell.value!r}"
                for cell in formulas
                if any(value.lstrip("=+@") in str(cell.value) for value in FORMULAS)
            ]
            problems += [
                f"{where}: cell {cell.coordinate} {cell.value!r} is {cell.data_type!r}, not text"
                for cell in cells
                if cell.value in FORMULAS and cell.data_type != "s"
            ]
        elif kind == "text/calendar":
            lines = content.decode().splitlines()
            calendar_seen += "evil@example.com" in content.decode()
            problems += [
                f"{where}: a stored text became the calendar line {line!r}"
                for line in lines
                if line.startswith("ATTENDEE:mailto:evil") or line == "BEGIN:VALARM"
            ]
        else:
            readable_text(response, content)  # every file opens
    assert problems == [], "\n".join(problems)
    if group == "markup":
        assert escaped_seen, "no page showed the stored <script> text (escaped)"
    if group == "lines":
        assert calendar_seen, "no calendar file showed the stored line breaks"
    if group == "formulas":
        assert spreadsheet_cells, "no spreadsheet showed the stored formula-like text"


def _cells(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]  # fmt: skip
    return cells, [cell for cell in cells if cell.data_type == "f"]


def _search_forms(client, urls) -> dict[str, tuple[dict, list[str]]]:
    """Every GET form (search box, list filters) by its action: (its fields, the names
    of its text boxes)."""
    found = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for form in lxml.html.fromstring(response.content).xpath("//form"):
            if (form.get("method") or "get").lower() != "get":
                continue
            action = urljoin(url, form.get("action") or url)
            data, _texts = form_fields(form)
            boxes = [
                e.get("name")
                for e in form.xpath(".//input[@name]")
                if (e.get("type") or "text").lower() in ("text", "search")
            ]
            if boxes and action not in found:
                found[action] = (data, boxes)
    return found


def test_hostile_text_in_search_and_filter_boxes_comes_back_escaped(world, staff_client, db):
    forms = _search_forms(staff_client, _urls(world))
    assert len(forms) > 5, "the search and filter forms were not found"
    problems = []
    for action, (data, boxes) in forms.items():
        for value in [*MARKUP, *FORMULAS, *UNICODE, TOO_LONG]:
            response = staff_client.get(action, {**data, **dict.fromkeys(boxes, value)})
            where = f"GET {action} with {value[:40]!r}"
            if response.status_code >= 500:
                problems.append(f"{where} answered {response.status_code}")
            elif response["Content-Type"].startswith("text/html"):
                page = response.content.decode()
                problems += [f"{where} shows {v!r} unescaped" for v in MARKUP[:2] if v in page]
    assert problems == [], "\n".join(problems)
