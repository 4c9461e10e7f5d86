"""The one PDF renderer: a ``Document`` through ``templates/documents/document.html`` and
``static/css/print.css`` into WeasyPrint, in the layout of Decree 30/2020/NĐ-CP.

The template only prints what this module prepares (spans, widths, alignments), so it
never queries and never decides layout. Nothing is fetched over a network: the URL
fetcher reads ``data:`` URLs and files under the static and media folders only.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from core.documents.model import (
    Chart,
    Document,
    Heading,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Table,
    recipient_lines,
    signature_rows,
)

PRINT_CSS = "css/print.css"
TEMPLATE = "documents/document.html"

_SVG = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Elements that run code or pull in foreign content; a chart needs none of them.
_UNSAFE_SVG_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "handler"}


def _allowed_roots() -> list[Path]:
    """Folders a document may embed files from: static files and uploaded media."""
    roots = [settings.STATIC_ROOT, settings.MEDIA_ROOT]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(entry[1] if isinstance(entry, tuple | list) else entry)
    return [Path(root).resolve() for root in roots if root]


class LocalURLFetcher(URLFetcher):
    """Fetches ``data:`` URLs and files under ``roots``; refuses everything else.

    A refusal raises ``ValueError``, which WeasyPrint reports as a warning and skips,
    so a URL typed into a document can neither make the server send a request nor
    embed a server file.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = roots

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file":
            resolved = Path(url2pathname(urlsplit(url).path)).resolve()
            if not any(resolved.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Refusing to read a file outside static/media: {url}")
        elif scheme != "data":
            raise ValueError(f"Refusing to fetch a non-local URL: {url}")
        return super().fetch(url, headers)


def local_url_fetcher() -> LocalURLFetcher:
    """A WeasyPrint URL fetcher that never opens a network connection."""
    return LocalURLFetcher(_allowed_roots())


_prepared = threading.local()


def _fonts_and_stylesheet() -> tuple[FontConfiguration, CSS]:
    """This thread's font configuration and parsed print stylesheet, kept between PDFs.

    A fresh ``FontConfiguration`` per PDF makes Pango look every font up again through
    fontconfig and shape with cold caches; the stylesheet would be parsed again too.
    Both are kept per thread (Pango's font maps are not shared between threads) and the
    stylesheet is parsed again when its file changes.
    """
    path = finders.find(PRINT_CSS)
    changed = Path(path).stat().st_mtime_ns
    cached = getattr(_prepared, "value", None)
    if cached is None or cached[0] != (path, changed):
        fonts = cached[1] if cached is not None else FontConfiguration()
        stylesheet = CSS(filename=path, url_fetcher=local_url_fetcher(), font_config=fonts)
        cached = _prepared.value = ((path, changed), fonts, stylesheet)
    return cached[1], cached[2]


def write_pdf(html: str) -> bytes:
    """HTML (already rendered) with the print stylesheet through WeasyPrint."""
    fonts, stylesheet = _fonts_and_stylesheet()
    document = HTML(string=html, base_url=f"{settings.BASE_DIR}/", url_fetcher=local_url_fetcher())
    # No presentational hints: WeasyPrint's matching of them against every element cost
    # a fifth of a table-heavy document's layout; the <col width="…%"> of our tables get
    # their widths from rules in the document's head instead (``column_widths``).
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


def render_pdf(document: Document) -> bytes:
    """The PDF of ``document``: A4 (landscape when ``document.landscape``), Decree 30 layout.

    Rendered in Vietnamese whatever language is active, as official documents are.
    Needs no request and no database, so it runs in views, tests and tasks alike.
    """
    return write_pdf(document_html(document))


def document_html(document: Document) -> str:
    """The HTML WeasyPrint lays out, for looking at when a PDF surprises."""
    with translation.override("vi"):
        return render_to_string(TEMPLATE, document_context(document))


def document_context(document: Document) -> dict:
    lines = recipient_lines(document.recipients)
    blocks = [_block(block) for block in document.blocks]
    closing = [_block(block) for block in document.closing]
    return {
        "header": document.header,
        "title": document.title.upper(),
        "subtitle": document.subtitle,
        "landscape": document.landscape,
        "blocks": blocks,
        "closing": closing,
        "column_widths": sorted(
            {width for item in blocks + closing for width in item.get("widths", ())}
        ),
        "signature_rows": signature_rows(document.signatures, lines) if document.signatures else [],
        "recipients": lines if not document.signatures else [],
    }


def _block(block) -> dict:
    if isinstance(block, Heading):
        return {"kind": "heading", "block": block}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "block": block}
    if isinstance(block, ListBlock):
        items = [(block.marker_of(index), item) for index, item in enumerate(block.items)]
        return {"kind": "list", "block": block, "entries": items}
    if isinstance(block, Table):
        return {"kind": "table", "block": block, **_table(block)}
    if isinstance(block, Note):
        return {"kind": "note", "block": block}
    if isinstance(block, Chart):
        return {"kind": "chart", "block": block, "svg": clean_svg(block.svg)}
    if isinstance(block, PageBreak):
        return {"kind": "page_break", "block": block}
    raise TypeError(f"Not a document block: {block!r}")


def _table(table: Table) -> dict:
    widths = [f"{share * 100:.3f}%" for share in table.shares()]
    body = []
    for row in table.rows:
        if row.kind == "group":
            text = row.cells[0] if row.cells else ""
            cells = [{"text": text, "colspan": len(table.columns), "align": "left"}]
        else:
            cells = [
                {"text": text, "colspan": 1, "align": column.align}
                for text, column in zip(table.cells_of(row), table.columns, strict=True)
            ]
        body.append({"kind": row.kind, "cells": cells})
    return {"widths": widths, "head": table.head_rows(), "body": body}


@lru_cache(maxsize=32)
def clean_svg(svg: str) -> SafeString:
    """The chart's SVG without scripts, event handlers or links to outside resources.

    Charts come from our own server-side code, but their labels carry user text, so
    the markup is parsed and cleaned rather than trusted. The same chart is cleaned
    once (a page showing it again, e.g. the province summary, costs no parse).
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(svg.strip().encode(), parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"A chart's SVG does not parse: {error}") from error
    if root.tag != f"{{{_SVG}}}svg":
        raise ValueError("A chart must be an <svg> element in the SVG namespace.")
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).localname in _UNSAFE_SVG_ELEMENTS:
            element.getparent().remove(element)
            continue
        for name, value in list(element.attrib.items()):
            if _unsafe_attribute(name, value):
                del element.attrib[name]
    # Labels in the document's font rather than the SVG default (a sans-serif that may
    # not carry Vietnamese).
    if "font-family" not in root.attrib:
        root.set("font-family", "Times New Roman")
    return mark_safe(etree.tostring(root, encoding="unicode"))


def _unsafe_attribute(name: str, value: str) -> bool:
    """Event handlers, and links to anything but a fragment of the chart itself."""
    # The local name of "{namespace}local" or "local" (a chart has some 12,000
    # attributes: no QName object for each).
    if name.rpartition("}")[2][:2].lower() == "on":
        return True
    return name in ("href", _XLINK_HREF) and not value.strip().startswith("#")
