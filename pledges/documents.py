"""The pledge printed for signing: PDF and Word, in the official layout."""

from dataclasses import dataclass

from django.utils import translation

from core.documents import (
    DocumentHeader,
    SignatureBlock,
    add_heading_line,
    add_paragraph,
    add_signatures,
    add_table,
    docx_bytes,
    new_docx,
    render_pdf,
)
from core.markup import markdown_blocks
from core.text import format_decimal
from pledges.models import Pledge, Signature, Target
from pledges.selectors import commitment_grid

WIDE_FROM_MEMBERS = 6


@dataclass
class DocumentRow:
    number: str
    name: str
    unit: str
    values: list[str]
    group: str = ""
    numeric: bool = True


def _value(target: Target, row) -> str:
    if row is None:
        return ""
    if target.measure == Target.Measure.TEXT:
        return row.text
    if row.value is None:
        return ""
    if target.measure == Target.Measure.BOOLEAN:
        return "Có" if row.value else "Không"
    return format_decimal(row.value)


def pledge_document_data(pledge: Pledge) -> dict:
    """Everything both documents print (five queries).

    Values are formatted in Vietnamese ("1.234,5") whatever language the reader chose:
    official documents are Vietnamese.
    """
    cluster_year = pledge.cluster_year
    cluster = cluster_year.cluster
    grid = commitment_grid(pledge)
    rows: list[DocumentRow] = []
    with translation.override("vi"):
        for group in grid.groups:
            if group.name:
                rows.append(DocumentRow("", "", "", [], group=f"{group.numeral}. {group.name}"))
            for target in group.targets:
                rows.append(
                    DocumentRow(
                        target.number,
                        target.name,
                        target.unit_label,
                        [_value(target, grid.cell(target.pk, m.pk)) for m in grid.members],
                        numeric=target.measure != Target.Measure.TEXT,
                    )
                )
    signatures = {s.member_id: s for s in Signature.objects.filter(pledge=pledge)}
    blocks = []
    for member in grid.members:
        signature = signatures.get(member.pk)
        blocks.append(
            SignatureBlock(
                capacity="ĐẠI DIỆN",
                title=member.unit.name,
                name=signature.signer_name if signature else "",
                unit=signature.signer_position if signature else "",
            )
        )
    return {
        "pledge": pledge,
        "cluster": cluster,
        "year": cluster_year.year,
        "header": DocumentHeader.for_cluster(cluster, date=pledge.signed_on),
        "title": f"Bản giao ước thi đua năm {cluster_year.year}",
        "members": grid.members,
        "rows": rows,
        "movements": list(pledge.movements.all()),
        "signatures": blocks,
        "landscape": len(grid.members) >= WIDE_FROM_MEMBERS,
    }


def render_pledge_pdf(*, pledge: Pledge) -> bytes:
    return render_pdf("pledges/pdf/pledge.html", pledge_document_data(pledge))


def render_pledge_docx(*, pledge: Pledge) -> bytes:
    data = pledge_document_data(pledge)
    doc = new_docx(
        header=data["header"],
        title=data["title"],
        subtitle=pledge.theme,
        landscape=data["landscape"],
    )
    intro = (
        f"Thực hiện phong trào thi đua yêu nước, các đơn vị thành viên {data['cluster'].name} "
        f"thống nhất ký kết giao ước thi đua năm {data['year']} với các nội dung sau:"
    )
    add_paragraph(doc, intro)
    for kind, text in markdown_blocks(pledge.body):
        if kind == "heading":
            add_heading_line(doc, text)
        elif kind == "item":
            add_paragraph(doc, f"- {text}")
        else:
            add_paragraph(doc, text)
    if data["movements"]:
        add_heading_line(doc, "CÁC PHONG TRÀO THI ĐUA")
        for movement in data["movements"]:
            add_paragraph(
                doc, f"- Phong trào “{movement.name}” ({movement.launched_by} phát động)."
            )
    add_heading_line(doc, "CHỈ TIÊU GIAO ƯỚC THI ĐUA")
    headers = ["STT", "Chỉ tiêu", "ĐVT", *[m.unit.display_name for m in data["members"]]]
    table_rows = []
    for row in data["rows"]:
        if row.group:
            table_rows.append([row.group, "", "", *[""] * len(data["members"])])
        else:
            table_rows.append([row.number, row.name, row.unit, *row.values])
    numeric = set(range(3, 3 + len(data["members"])))
    add_table(doc, headers, table_rows, numeric_columns=numeric)
    add_paragraph(
        doc,
        "Các đơn vị thành viên cam kết thực hiện tốt các nội dung giao ước trên./.",
    )
    add_signatures(doc, data["signatures"])
    return docx_bytes(doc)
