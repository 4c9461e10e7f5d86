"""What the PDF renderer keeps between documents, and the column widths it states in
the document's head instead of relying on WeasyPrint's (slow) presentational hints."""

import os
import threading
from pathlib import Path

from django.contrib.staticfiles import finders

from core.documents import pdf
from core.documents.pdf import document_html
from tests.core.test_renderers import every_block


def test_the_fonts_and_stylesheet_are_kept_between_documents():
    first = pdf._fonts_and_stylesheet()
    assert pdf._fonts_and_stylesheet() == first


def test_the_stylesheet_is_read_again_when_its_file_changes(tmp_path, monkeypatch):
    copy = tmp_path / "print.css"
    copy.write_bytes(Path(finders.find(pdf.PRINT_CSS)).read_bytes())
    monkeypatch.setattr(pdf.finders, "find", lambda path: str(copy))
    fonts, stylesheet = pdf._fonts_and_stylesheet()
    assert pdf._fonts_and_stylesheet() == (fonts, stylesheet)

    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again_fonts, again_stylesheet = pdf._fonts_and_stylesheet()

    assert again_fonts is fonts
    assert again_stylesheet is not stylesheet


def test_each_thread_has_its_own_fonts():
    """Pango's font maps are not shared between threads."""
    mine = pdf._fonts_and_stylesheet()[0]
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(pdf._fonts_and_stylesheet()[0]))
    thread.start()
    thread.join()
    assert theirs[0] is not mine


def test_the_head_gives_every_column_width_of_the_tables_once():
    html = document_html(every_block())
    assert '<col width="7.143%">' in html
    assert html.count('col[width="7.143%"] { width: 7.143%; }') == 1
    head = html.split("</head>")[0]
    assert "<style>" in head
