"""The template- and call-based document layer, kept until the apps print ``Document``\\s.

Transitional: ``render_pdf_template(template_name, context)`` renders a template extending
``templates/documents/base.html``; ``new_docx`` and the ``add_*`` helpers build a Word
file call by call. Both now lay out through the one PDF and the one Word renderer
(``core.documents.pdf``, ``core.documents.docx``). Delete this module, ``base.html`` and
``sample.html`` once nothing imports it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from core.documents.model import (  # noqa: F401 (re-exported by core.documents)
    BLANK,
    BLANK_NUMBER,
    BLANK_NUMBER_LINE,
    MOTTO,
    NATION,
    TYPE_CODES,
    Column,
    Heading,
    Paragraph,
    Row,
    SignatureBlock,
    SignatureCell,
    SignatureRow,
    Table,
    format_document_number,
    recipient_lines,
    signature_rows,
)
from core.documents.model import DocumentHeader as _DocumentHeader


class DocumentHeader(_DocumentHeader):
    @classmethod
    def for_cluster(cls, cluster, *, number: str = "", date: datetime.date | None = None):
        """Domain knowledge that moves to ``clusters.documents.cluster_header``."""
        return cls(
            parent_body=cluster.body.name,
            issuer=cluster.name,
            number=number,
            place=cluster.body.place,
            date=date,
        )


def render_pdf_template(template_name: str, context: dict) -> bytes:
    """A template extending ``documents/base.html`` to PDF, in Vietnamese."""
    from core.documents.pdf import write_pdf

    lines = recipient_lines(context.get("recipients") or [])
    rows = signature_rows(context.get("signatures") or [], lines)
    with translation.override("vi"):
        html = render_to_string(
            template_name, {**context, "signature_rows": rows, "recipients": lines}
        )
    return write_pdf(html)


def new_docx(*, header, title: str, subtitle: str = "", landscape: bool = False):
    from core.documents import docx as word

    doc = word.new_document(landscape=landscape)
    word.add_header(doc, header)
    word.add_title(doc, title, subtitle)
    return doc


def add_heading_line(doc, text: str) -> None:
    from core.documents import docx as word

    word.add_block(doc, Heading(text))


def add_paragraph(
    doc, text: str, *, bold=False, italic=False, align="justify", indent_first_line=True
) -> None:
    from core.documents import docx as word

    block = Paragraph(text, bold=bold, italic=italic, align=align, indent=indent_first_line)
    word.add_block(doc, block)


def add_table(doc, headers, rows, *, widths_cm=None, numeric_columns=frozenset()):
    from core.documents import docx as word

    columns = [
        Column(
            header,
            width=widths_cm[index] if widths_cm else 1.0,
            align="right" if index in numeric_columns else "left",
        )
        for index, header in enumerate(headers)
    ]
    return word.add_table(doc, Table(columns, [Row([str(cell) for cell in row]) for row in rows]))


def add_recipients(doc, lines: list[str]) -> None:
    from core.documents import docx as word

    word.add_recipients(doc, recipient_lines(lines))


def add_signatures(doc, blocks, *, recipients=None):
    from core.documents import docx as word

    return word.add_signatures(doc, blocks, recipient_lines(recipients) if recipients else None)


def docx_bytes(doc) -> bytes:
    from core.documents import docx as word

    return word.docx_bytes(doc)


# --------------------------------------------------------------------------- Sample

SAMPLE_UNITS = [
    ("Thành phố Bắc Kạn", 18568, Decimal("952.50"), Decimal("948.00")),
    ("Huyện Ba Bể", 12340, Decimal("941.00"), Decimal("936.25")),
    ("Huyện Bạch Thông", 9875, Decimal("938.75"), Decimal("935.50")),
    ("Huyện Chợ Đồn", 14102, Decimal("945.25"), Decimal("940.00")),
    ("Huyện Chợ Mới", 10233, Decimal("936.00"), Decimal("931.75")),
    ("Huyện Na Rì", 11987, Decimal("949.50"), Decimal("946.50")),
    ("Huyện Ngân Sơn", 8456, Decimal("930.25"), Decimal("927.00")),
    ("Huyện Pác Nặm", 7312, Decimal("928.00"), Decimal("925.25")),
]


@dataclass
class _SampleRow:
    index: int
    unit: str
    participants: int
    self_score: Decimal
    cluster_score: Decimal


def sample_context(rows: int = 8) -> dict:
    """Context of ``documents/sample.html``: minutes of a cluster's annual conference."""
    table = [
        _SampleRow(index + 1, *SAMPLE_UNITS[index % len(SAMPLE_UNITS)]) for index in range(rows)
    ]
    return {
        "header": DocumentHeader(
            parent_body="UBND tỉnh Bắc Kạn",
            issuer="Cụm thi đua các huyện, thành phố",
            number=format_document_number(5, "BB", "CTĐ"),
            place="Bắc Kạn",
            date=datetime.date(2023, 2, 7),
        ),
        "rows": table,
        "signatures": [
            SignatureBlock(title="Thư ký", name="Nông Thị Hà"),
            SignatureBlock(capacity="TM. Cụm thi đua", title="Cụm trưởng", name="Dương Hữu Bường"),
        ],
        "recipients": [
            "Các đơn vị thành viên Cụm",
            "Ban Thi đua - Khen thưởng tỉnh",
            "Lưu: VT",
        ],
    }
