"""User-written text (plain text or Markdown) rendered safely.

Markdown is converted, then every HTML tag outside a short allow-list is stripped by
nh3, so raw HTML typed by a user can never reach a page or a document.
"""

import re

import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip


def render_markdown(text: str):
    """HTML safe to print: Markdown structure kept, anything else removed."""
    import markdown

    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    # Markdown headings start at h1; a document has its own title, so shift them down.
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}))  # noqa: S308 (sanitised by nh3 just above)


_INLINE = re.compile(r"(\*\*|__|\*|_|`)")
_ITEM = re.compile(r"^([-*+]|\d+[.)])\s+")


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """The text as (kind, plain text) blocks for Word: "heading", "item" or "paragraph"."""
    blocks: list[tuple[str, str]] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            blocks.append(("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            flush()
            blocks.append(("heading", _INLINE.sub("", line).lstrip("#").strip()))
        elif _ITEM.match(line):
            flush()
            # Strip the marker before the emphasis marks: "* item" starts with one.
            blocks.append(("item", _INLINE.sub("", _ITEM.sub("", line)).strip()))
        else:
            paragraph.append(_INLINE.sub("", line))
    flush()
    return blocks
