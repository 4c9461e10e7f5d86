"""User Markdown read as plain blocks for documents."""

from core.markup import markdown_blocks


def test_every_list_marker_gives_the_item_s_text_alone():
    text = "- Một\n* **Hai**\n+ Ba\n1. Bốn\n2) Năm"
    assert markdown_blocks(text) == [
        ("item", "Một"),
        ("item", "Hai"),
        ("item", "Ba"),
        ("item", "Bốn"),
        ("item", "Năm"),
    ]


def test_headings_and_paragraphs_lose_their_marks():
    text = "## Kết quả *nổi bật*\n\nDòng một\ndòng **hai**.\n\nĐoạn sau."
    assert markdown_blocks(text) == [
        ("heading", "Kết quả nổi bật"),
        ("paragraph", "Dòng một dòng hai."),
        ("paragraph", "Đoạn sau."),
    ]
