"""User Markdown (a pledge's text, a meeting's report and discussion) as document blocks.

One conversion for every document, so the PDF and the Word file print the same words:
a heading becomes a ``Heading``, each run of list items one ``ListBlock`` (the same
"- " marker in both files, whatever marker the user typed), anything else a
``Paragraph``. Inline emphasis is dropped, as ``core.markup.markdown_blocks`` does.
"""

from core.documents.model import Block, Heading, ListBlock, Paragraph
from core.markup import markdown_blocks


def markdown_to_blocks(text: str, *, heading_level: int = 2) -> list[Block]:
    """``text`` (plain text or Markdown) as headings, lists and paragraphs, in order.

    ``heading_level`` is the level of the user's headings: 2 under a section heading of
    the document, 3 when they sit under a numbered sub-heading.
    """
    blocks: list[Block] = []
    for kind, content in markdown_blocks(text):
        # "* item" loses its marker with the emphasis marks and keeps the space after it.
        content = " ".join(content.split())
        if kind == "heading":
            blocks.append(Heading(content, level=heading_level))
        elif kind == "item":
            if blocks and isinstance(blocks[-1], ListBlock):
                blocks[-1].items.append(content)
            else:
                blocks.append(ListBlock([content]))
        else:
            blocks.append(Paragraph(content))
    return blocks
