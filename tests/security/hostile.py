"""The product's forms, found through its URLs, and what a hostile user types into them."""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin

from tests.security.crawl import attempt, form_fields, page_forms

MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR 1=1 --"]
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "@SUM(1)"]
UNICODE = [
    "Na\u200bRì ẩn",  # zero-width space
    "\u202eNa Rì đảo",  # right-to-left override
    "Cờ thi đua 🏆🇻🇳",
    unicodedata.normalize("NFD", "Huyện Na Rì"),
]
# Line breaks a hostile POST can put into a one-line field, to inject a calendar line.
LINES = ["Hội nghị\r\nATTENDEE:mailto:evil@example.com", "Họp\nBEGIN:VALARM"]
TOO_LONG = "x" * 10_000
GROUPS = {"markup": MARKUP, "formulas": FORMULAS, "unicode": UNICODE, "lines": LINES}

_ROW = re.compile(r"^form-(\d+)-")


@dataclass
class Form:
    page: str  # the URL of the page that shows the form
    action: str  # where it posts
    data: dict  # what it posts unchanged
    texts: list[str]  # the fields a user types free text into
    limited: list[str]  # those of them with a maximum length

    @property
    def label(self) -> str:
        return f"{self.page} → {self.action}"


def forms_of(client, urls) -> list[Form]:
    """Every form on the pages at ``urls`` that has a free-text field. A free-text field
    is a textarea or a text input with a maximum length (dates and numbers have none);
    in a formset only the rows that already exist are typed into."""
    found = []
    for url in urls:
        outcome = attempt(client, "get", url)
        if outcome.status != 200:
            continue
        for form in page_forms(outcome.content):
            data, texts = form_fields(form)
            limited = {
                element.get("name")
                for element in form.xpath(".//input[@maxlength] | .//textarea[@maxlength]")
            }
            free = {
                element.get("name")
                for element in form.xpath(".//textarea | .//input[@maxlength]")
                if element.get("inputmode") is None
            }
            texts = [name for name in texts if name in free and _row_exists(name, data)]
            if texts:
                action = urljoin(url, form.get("action") or url)
                limited_texts = [name for name in texts if name in limited]
                found.append(Form(url, action, data, texts, limited_texts))
    return found


def _row_exists(name: str, data: dict) -> bool:
    """Outside a formset, or a filled field of one of its saved rows (an empty field of
    a saved row may be one of two ways to give a value, like a new person's name)."""
    row = _ROW.match(name)
    if row is None:
        return True
    return int(row.group(1)) < int(data.get("form-INITIAL_FORMS") or 0) and bool(data[name])


def filled(form: Form, values: list[str], *, offset: int = 0, fields=None) -> dict:
    """The form's data with its free-text fields given ``values`` in turn."""
    data = dict(form.data)
    for index, name in enumerate(fields if fields is not None else form.texts):
        data[name] = values[(index + offset) % len(values)]
    return data
