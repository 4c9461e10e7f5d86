"""Small readers of rendered pages, builders of what a browser posts, and the recorded
minutes shared by the meeting tests."""

import lxml.html
from django.contrib.messages import get_messages

from meetings import services
from meetings.models import Participant
from tests.factories.meetings import at

TITLE = "Tổng kết công tác thi đua, khen thưởng năm 2022, triển khai nhiệm vụ năm 2023"
STARTS_AT = at(2023, 2, 7, 14)
CONCLUSIONS = [
    "Tổ chức thực hiện hiệu quả các phong trào thi đua yêu nước năm 2023.",
    "Hoàn thiện hồ sơ đề nghị tặng Cờ thi đua của UBND tỉnh.",
]


def record_minutes(meeting, *, chairs, members, present=None):
    """Chairs, attendance (everyone present unless ``present`` names who) and conclusions."""
    services.participants_save(
        meeting=meeting,
        rows=[{"person": person, "role": Participant.Role.CHAIR} for person in chairs],
    )
    services.attendance_save(
        meeting=meeting,
        rows={
            member.pk: {"present": present is None or name in present}
            for name, member in members.items()
        },
    )
    services.conclusions_save(meeting=meeting, rows=[{"text": text} for text in CONCLUSIONS])


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode())


def text_of(element) -> str:
    """The element's text, one space between the texts of its parts."""
    return " ".join(" ".join(element.itertext()).split())


def element_text(response, element_id: str) -> str:
    return text_of(page(response).get_element_by_id(element_id))


def has_element(response, element_id: str) -> bool:
    return bool(page(response).xpath(f"//*[@id='{element_id}']"))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(response, form_xpath: str = "//main//form[@method='post'][@novalidate]") -> dict:
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
            data[name] = (element.text or "").removeprefix("\n")
        else:
            data[name] = element.get("value") or ""
    return data


def formset_data(rows: list[dict], *, initial: int = 0, blank: int = 0) -> dict:
    """POST data of a section formset (prefix "form"): ``rows`` then ``blank`` empty rows."""
    data = {
        "form-TOTAL_FORMS": str(len(rows) + blank),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"form-{index}-{name}"] = "" if value is None else str(value)
    return data


def row_errors(response) -> list[dict]:
    """Errors of each row of the re-rendered formset."""
    return [dict(form.errors) for form in response.context["formset"].forms]
