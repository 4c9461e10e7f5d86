"""Every URL of the product, filled with the ids of one side's objects.

The URL patterns are walked from the root resolver, so a URL added later is crawled
without anyone listing it. A path parameter is filled from the model named by the path
segment before it (``pledges/<pk>/`` → Pledge) or from the values a word parameter may
take; a parameter neither table knows makes the crawler fail with the URL's name.
"""

import io
import itertools
import re
import traceback
import zipfile
from dataclasses import dataclass

import lxml.html
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clusters.models import Cluster, ClusterMember, ClusterYear, Person, Unit, UnitSuccession
from clusters.reports import KINDS as REPORT_KINDS
from core.documents.parity import pdf_pages_text
from meetings.models import Attachment, Conclusion, Meeting
from pledges.models import Movement, Period, Pledge, Result
from reports.models import Export
from scoring.models import CriteriaSheet, Level
from votes.models import Vote

# What the crawler does not request, and why. Matched against the URL name (with its
# namespace) or, for a whole included URLconf, the start of its route.
SKIPPED = {
    "admin/": "Django's admin site: superusers only, Django's own permission checks",
    "static/": "static files, served by WhiteNoise, no data",
    "login": "the login page itself (where anonymous requests are sent)",
    "logout": "ends the session the crawler is using",
    "password_change": "Django's password views act on the logged-in user only",
    "password_change_done": "Django's password views act on the logged-in user only",
    "set_language": "Django's language switch, no data",
    "javascript-catalog": "Django's translation catalogue, no data",
}

# The only pages an anonymous visitor may use, and why. Everything else sends an
# anonymous request to the login page.
PUBLIC = {
    "votes:public-ballot": "the public ballot page: a ballot code, not an account, is the "
    "right to vote",
    "votes:public-ballot-done": "the thank-you page after a ballot, no data",
}

# The model a path parameter means, by the path segment before it: ``years/<pk>/`` is a
# cluster year in every app. A new model reachable by URL needs one line here (and an
# object of it in ``tests/security/conftest.py:build_side``).
PATH_MODELS = {
    "units": Unit,
    "successions": UnitSuccession,
    "clusters": Cluster,
    "years": ClusterYear,
    "members": ClusterMember,
    "people": Person,
    "movements": Movement,
    "pledges": Pledge,
    "periods": Period,
    "results": Result,
    "meetings": Meeting,
    "files": Attachment,
    "tasks": Conclusion,
    "criteria-sheets": CriteriaSheet,
    "exports": Export,
    "votes": Vote,
}

# The registers of a body, shared by all its clusters; every other model a URL points
# to belongs to one cluster.
BODY_REGISTERS = {Unit, UnitSuccession, Person, Movement}

# A parameter of this name holds a model's label ("pledges.pledge"), and the ``pk``
# after it an object of that model: the crawler tries every model of ``build_side``.
LABEL = "label"

# The values of a parameter that is a word rather than an id, by its name.
WORD_VALUES = {
    "kind": list(REPORT_KINDS),
    "fmt": ["pdf", "docx", "xlsx"],
    "level": [level.value for level in Level],
}


@dataclass(frozen=True)
class Pattern:
    name: str  # with its namespace, for reverse()
    route: str  # the whole route, e.g. "pledges/<int:pk>/sign/"
    parameters: tuple[tuple[str, str], ...]  # (kwarg, the path segment before it)

    def urls(self, side) -> list[str]:
        """Every URL of the pattern for ``side``'s objects (one per word value)."""
        kwargs = dict(self.parameters)
        if LABEL in kwargs:
            # history/<label>/<pk>/: every model of the side, each with its object.
            return [
                reverse(self.name, kwargs={LABEL: model._meta.label_lower, "pk": obj.pk})
                for model, obj in side.objects.items()
            ]
        choices = []
        for kwarg, segment in self.parameters:
            if kwarg in WORD_VALUES:
                choices.append([(kwarg, value) for value in WORD_VALUES[kwarg]])
            else:
                choices.append([(kwarg, side[PATH_MODELS[segment]].pk)])
        return [reverse(self.name, kwargs=dict(combo)) for combo in itertools.product(*choices)]

    @property
    def only_registers(self) -> bool:
        """Whether every object of the URL is in a body's registers."""
        segments = [s for kwarg, s in self.parameters if kwarg not in WORD_VALUES]
        return all(PATH_MODELS.get(segment) in BODY_REGISTERS for segment in segments)

    @property
    def has_objects(self) -> bool:
        return any(kwarg not in WORD_VALUES for kwarg, _segment in self.parameters)


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if any(route.startswith(skip) for skip in SKIPPED if skip.endswith("/")):
                continue
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = namespace + (entry.name or "")
            if entry.name in SKIPPED or any(route.startswith(s) for s in SKIPPED if "/" in s):
                continue
            yield name, route, entry


def _parameters(route: str) -> list[tuple[str, str]]:
    parameters, segment = [], ""
    for part in route.strip("/").split("/"):
        if part.startswith("<") and part.endswith(">"):
            parameters.append((part[1:-1].split(":")[-1], segment))
        elif "<" in part:
            parameters.append((part[part.index("<") + 1 : part.index(">")].split(":")[-1], part))
        else:
            segment = part
    return parameters


def patterns() -> tuple[list[Pattern], list[str]]:
    """(the crawlable patterns, a sentence for each one the crawler cannot fill)."""
    found, unfillable = [], []
    for name, route, _entry in _walk(get_resolver()):
        parameters = _parameters(route)
        unknown = [
            (kwarg, segment)
            for kwarg, segment in parameters
            if kwarg not in WORD_VALUES and segment not in PATH_MODELS
        ]
        if LABEL in dict(parameters):
            unknown = [(k, s) for k, s in unknown if k not in (LABEL, "pk")]
        if not name or unknown:
            unfillable.append(
                f"URL {name or '(unnamed)'} ({route}): cannot fill "
                + ", ".join(f"<{kwarg}> after '{segment}/'" for kwarg, segment in unknown)
                + " — add the model it means to PATH_MODELS (or its values to WORD_VALUES) "
                "in tests/security/crawl.py, and an object of it to build_side in "
                "tests/security/conftest.py"
            )
            continue
        found.append(Pattern(name=name, route=route, parameters=tuple(parameters)))
    return found, unfillable


# --- What changed -----------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """The number of rows of every table of every model (history included), one query."""
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_tables(before: dict, after: dict) -> dict:
    return {
        table: (before[table], after[table]) for table in before if before[table] != after[table]
    }


# --- What a response shows ------------------------------------------------------------


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def readable_text(response, content: bytes) -> str:
    """The text a user can read in the response: the page, or the text inside a PDF,
    an Office file or a ZIP (each member's text, recursively)."""
    return _text_of(response.get("Content-Type", ""), content)


def _text_of(content_type: str, content: bytes) -> str:
    if content.startswith(b"%PDF"):
        try:
            return "\n".join(pdf_pages_text(content))
        except Exception:  # noqa: BLE001 - a tiny uploaded "PDF" need not parse; read its bytes
            return content.decode("latin-1")
    if content.startswith(b"PK"):
        parts = []
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                parts.append(name)
                parts.append(_text_of("", archive.read(name)))
        return "\n".join(parts)
    return content.decode("utf-8", errors="replace")


MARKER_PATTERN = re.compile(r"ZZLEAK[A-Z]")


# --- Requests that leave no trace ---------------------------------------------------------


class _Undo(Exception):
    pass


@dataclass
class Outcome:
    method: str
    url: str
    status: int | None  # None: the view raised
    location: str
    content: bytes
    response: object
    changed: dict
    error: str = ""


def attempt(client, method: str, url: str, data=None, *, before=None) -> Outcome:
    """Make the request, note which tables changed, then undo every change it made.
    ``before``: the row counts before it, when the caller knows them already (every
    attempt leaves them as they were)."""
    before = before or row_counts()
    outcome = None
    try:
        with transaction.atomic():
            try:
                response = getattr(client, method)(url, data or {})
            except Exception as error:  # noqa: BLE001 - a crash is what the test reports
                lines = traceback.format_exception(error)
                outcome = Outcome(method, url, None, "", b"", None, {}, "".join(lines[-3:]))
            else:
                outcome = Outcome(
                    method,
                    url,
                    response.status_code,
                    response.get("Location", ""),
                    body_of(response),
                    response,
                    {},
                )
            outcome.changed = changed_tables(before, row_counts())
            raise _Undo
    except _Undo:
        pass
    return outcome


# --- What a browser would post --------------------------------------------------------


def page_forms(content: bytes) -> list:
    if not content.strip():
        return []
    try:
        document = lxml.html.fromstring(content)
    except Exception:  # noqa: BLE001 - not a page
        return []
    return [
        form
        for form in document.xpath("//main//form")
        if (form.get("method") or "get").lower() == "post"
    ]


def form_fields(form) -> tuple[dict, list[str]]:
    """(what the browser posts when the form is saved unchanged, the names of the
    fields a user types text into)."""
    data: dict[str, list[str] | str] = {}
    text_fields = []
    for element in form.xpath(".//input | .//select | .//textarea"):
        name, kind = element.get("name"), (element.get("type") or "text").lower()
        if not name or name == "csrfmiddlewaretoken" or kind in ("submit", "file", "button"):
            continue
        if element.get("disabled") is not None:
            continue
        if element.tag == "select":
            chosen = element.xpath(".//option[@selected]")
            if not chosen and element.get("required") is not None:
                chosen = element.xpath(".//option[@value != '']")[:1]
            chosen = chosen or element.xpath(".//option")[:1]
            value = chosen[0].get("value") if chosen else ""
            if element.get("multiple") is not None:
                values = [o.get("value") for o in element.xpath(".//option[@selected]")]
                data[name] = values
                continue
            data[name] = value or ""
        elif kind in ("checkbox", "radio"):
            if element.get("checked") is not None:
                if kind == "checkbox" and name in data:
                    existing = data[name]
                    data[name] = [*([existing] if isinstance(existing, str) else existing),
                                  element.get("value") or "on"]  # fmt: skip
                else:
                    data[name] = element.get("value") or "on"
        elif element.tag == "textarea":
            data[name] = (element.text or "").removeprefix("\n")
            text_fields.append(name)
        else:
            data[name] = element.get("value") or ""
            if kind in ("text", "search", "") and element.get("readonly") is None:
                text_fields.append(name)
    return data, text_fields
