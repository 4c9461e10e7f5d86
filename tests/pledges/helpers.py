"""Small readers of rendered pages and responses, shared by the pledge tests."""

import re

import lxml.html
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode())


def text_of(element) -> str:
    """The element's text, one space between the texts of its parts (cells, spans)."""
    return " ".join(" ".join(element.itertext()).split())


def element_text(response, element_id: str) -> str:
    """The text of the element with ``element_id``, spaces collapsed."""
    return text_of(page(response).get_element_by_id(element_id))


def form_data(response, form_xpath: str = "//main//form[@method='post'][.//table]") -> dict:
    """What the browser posts back for the form when the user saves it unchanged."""
    form = page(response).xpath(form_xpath)[0]
    data = {}
    for element in form.xpath(".//input | .//select | .//textarea"):
        name, kind = element.get("name"), element.get("type")
        if not name or name == "csrfmiddlewaretoken" or kind in ("submit", "file"):
            continue
        if element.tag == "select":
            chosen = element.xpath(".//option[@selected]")
            data[name] = chosen[0].get("value") if chosen else ""
        elif kind == "checkbox":
            if element.get("checked") is not None:
                data[name] = element.get("value") or "on"
        elif element.tag == "textarea":
            data[name] = element.text or ""
        else:
            data[name] = element.get("value") or ""
    return data


def input_named(response, name: str):
    """The one form control called ``name``."""
    found = page(response).xpath(f"//*[@name='{name}']")
    assert len(found) == 1, f"{len(found)} controls named {name}"
    return found[0]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _heat_table(response, table_id: str):
    return page(response).get_element_by_id(table_id)


def _target_name(row) -> str:
    """The target's name in a heat table row: no number, unit or share badge."""
    header = row.xpath("./th")[0]
    for badge in header.xpath(".//span[contains(@class, 'heat-share')]"):
        badge.drop_tree()
    name = text_of(header)
    return re.sub(r" \([^)]*\)$", "", re.sub(r"^[\d.]+ ", "", name))


def heat_statuses(response, table_id: str = "heat-table") -> dict[str, list[str]]:
    """{target name: [data-status of each member column]} of a progress heat table."""
    rows = {}
    for row in _heat_table(response, table_id).xpath("./tbody/tr[td[@data-status]]"):
        rows[_target_name(row)] = [
            cell.get("data-status") for cell in row.xpath("./td[@data-status]")
        ]
    return rows


MEMBER_COLUMNS = "[position() > 1][not(contains(@class, 'heat-total'))]"


def heat_header(response, table_id: str = "heat-table") -> list[str]:
    """The members heading the columns (the cluster's total column left out)."""
    cells = _heat_table(response, table_id).xpath(f"./thead/tr/th{MEMBER_COLUMNS}")
    return [text_of(cell) for cell in cells]


def heat_footer(response, table_id: str = "heat-table") -> list[str]:
    cells = _heat_table(response, table_id).xpath(f"./tfoot/tr/th{MEMBER_COLUMNS}")
    return [text_of(cell) for cell in cells]


def heat_totals(response, table_id: str = "heat-table") -> dict[str, str]:
    """{target name: text of the cluster's total cell} of a progress heat table."""
    rows = {}
    for row in _heat_table(response, table_id).xpath("./tbody/tr[td[@data-status]]"):
        rows[_target_name(row)] = text_of(row.xpath("./td[contains(@class, 'heat-total')]")[0])
    return rows


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return len(queries), response
