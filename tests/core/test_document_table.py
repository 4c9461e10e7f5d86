"""A document's table written by ``{% document_table %}``: the HTML the template it
replaced wrote (the page and the PDF lay out the same markup), escaped, in both
languages, with spans, groups, totals and a caption."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.documents.model import Column, Row, Table
from core.documents.pdf import _block

# documents/_table.html as it was, copied.
OLD = Template("""{% if item.block.caption %}<p class="table-caption">{{ item.block.caption }}</p>{% endif %}
<table class="grid">
  <colgroup>{% for width in item.widths %}<col width="{{ width }}">{% endfor %}</colgroup>
  <thead>
  {% for row in item.head %}
    <tr>{% for cell in row %}<th{% if cell.colspan > 1 %} colspan="{{ cell.colspan }}"{% endif %}{% if cell.rowspan > 1 %} rowspan="{{ cell.rowspan }}"{% endif %}>{{ cell.text }}</th>{% endfor %}</tr>
  {% endfor %}
  </thead>
  <tbody>
  {% for row in item.body %}
    <tr class="row-{{ row.kind }}">{% for cell in row.cells %}<td class="align-{{ cell.align }}"{% if cell.colspan > 1 %} colspan="{{ cell.colspan }}"{% endif %}>{{ cell.text }}</td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
""")  # noqa: E501 (the template, copied as it was)
NEW = Template("{% load thidua %}{% document_table item %}")

TRICKY = "<b>Cụm & \"số 1\"</b> 'A'"


def between_tags(html: str) -> str:
    """The markup without the white space between tags, which neither a browser nor
    WeasyPrint lays out in a table (the template's loops indented each row)."""
    return re.sub(r">\s+<", "><", html).strip()


def tables() -> list[Table]:
    columns = [
        Column("TT", width=0.6, align="center"),
        Column("Đơn vị " + TRICKY, width=3),
        Column("Điểm", width=1, align="right"),
        Column("Xếp loại", width=1.2),
    ]
    rows = [
        Row(["I. Kinh tế – xã hội"], kind="group"),
        Row(["1", "Huyện Na Rì", "95,50", "Xuất sắc"]),
        Row(["2", TRICKY, "90", ""]),
        Row(["3", "Huyện Ba Bể"]),  # padded
        Row([4, Decimal("1234.5"), datetime.date(2023, 2, 7), None]),  # not text
        Row(["", "Tổng cộng", "185,50", ""], kind="total"),
    ]
    return [
        Table(columns, rows, caption="Bảng 1. Kết quả " + TRICKY),
        Table(columns, rows[1:3], header_groups=[("", 1), ("Kết quả " + TRICKY, 2)]),
        Table(columns, [], header_groups=[("Đơn vị", 2)]),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("index", [0, 1, 2])
def test_the_table_is_the_markup_the_template_wrote(language, index):
    item = _block(tables()[index])
    with translation.override(language):
        old = OLD.render(Context({"item": item}))
        new = NEW.render(Context({"item": item}))
    assert between_tags(new) == between_tags(old)
    assert "<b>" not in new and "&lt;b&gt;Cụm &amp; &quot;số 1&quot;&lt;/b&gt; &#x27;A&#x27;" in new
