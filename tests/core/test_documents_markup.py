"""User Markdown as document blocks: one conversion for the PDF and the Word file."""

from core.documents.markup import markdown_to_blocks
from core.documents.model import Heading, ListBlock, Paragraph


def test_headings_lists_and_paragraphs_become_blocks_in_order():
    text = """# Kết quả

Các đơn vị đã **hoàn thành**
toàn bộ chỉ tiêu.

- Ý kiến một
* Ý kiến _hai_
1. Ý kiến ba

Đoạn cuối."""

    assert markdown_to_blocks(text) == [
        Heading("Kết quả", level=2),
        Paragraph("Các đơn vị đã hoàn thành toàn bộ chỉ tiêu."),
        ListBlock(["Ý kiến một", "Ý kiến hai", "Ý kiến ba"]),
        Paragraph("Đoạn cuối."),
    ]


def test_a_list_prints_the_same_dash_whatever_marker_was_typed():
    (items,) = markdown_to_blocks("* một\n+ hai\n2) ba")

    assert [items.marker_of(index) for index in range(3)] == ["-", "-", "-"]


def test_headings_take_the_level_asked_for_and_empty_text_gives_nothing():
    assert markdown_to_blocks("## Đề xuất", heading_level=3) == [Heading("Đề xuất", level=3)]
    assert markdown_to_blocks("") == []
    assert markdown_to_blocks(None) == []
