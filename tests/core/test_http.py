import io
from urllib.parse import unquote

import pytest
from django.http import FileResponse

from core.http import CONTENT_TYPES, ascii_filename, content_disposition, file_response


def header_params(header: str) -> dict[str, str]:
    disposition, *params = header.split("; ")
    return {"disposition": disposition} | dict(param.split("=", 1) for param in params)


def test_a_generated_pdf_is_shown_inline_under_its_plain_name():
    response = file_response(b"%PDF-1.7", filename="bien-ban-7.pdf", kind="pdf", inline=True)

    assert response.content == b"%PDF-1.7"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bien-ban-7.pdf"'


def test_a_download_is_an_attachment_unless_told_inline():
    response = file_response(b"PK", filename="ket-qua.xlsx", kind="xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua.xlsx"'


def test_a_vietnamese_name_travels_in_utf8_with_a_folded_ascii_fallback():
    name = "Biên bản hội nghị tổng kết Đồng Hới.docx"

    response = file_response(b"PK", filename=name, kind="docx")

    params = header_params(response["Content-Disposition"])
    assert params["disposition"] == "attachment"
    assert params["filename"] == '"bien ban hoi nghi tong ket dong hoi.docx"'
    assert params["filename*"].startswith("UTF-8''")
    assert unquote(params["filename*"].removeprefix("UTF-8''")) == name
    assert response["Content-Disposition"].isascii()


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("zip", "application/zip"),
        ("ics", "text/calendar; charset=utf-8"),
    ],
)
def test_each_kind_has_its_content_type(kind, content_type):
    assert file_response(b"x", filename=f"a.{kind}", kind=kind)["Content-Type"] == content_type


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown file kind 'exe'"):
        file_response(b"MZ", filename="a.exe", kind="exe")


def test_a_stored_file_is_streamed_with_the_type_of_its_extension():
    stored = io.BytesIO(b"\x89PNG photo")
    stored.name = "meetings/3/abc123.png"

    response = file_response(stored, filename="Ảnh hội nghị.PNG", inline=True)

    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == b"\x89PNG photo"
    assert response["Content-Type"] == "image/png"
    assert header_params(response["Content-Disposition"])["filename"] == '"anh hoi nghi.png"'


def test_a_stored_file_of_an_unknown_extension_is_served_as_bytes():
    response = file_response(io.BytesIO(b"?"), filename="ghi-chu.odt")
    assert response["Content-Type"] == "application/octet-stream"


def test_every_accepted_upload_kind_has_a_content_type():
    from core.uploads import ALLOWED_KINDS

    extensions = {extension for group in ALLOWED_KINDS.values() for extension in group}
    assert extensions <= set(CONTENT_TYPES)


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [
        ("bao-cao.pdf", "bao-cao.pdf"),
        ('Báo cáo "đợt 1".pdf', "bao cao dot 1.pdf"),
        ("Kết quả “năm 2024”.xlsx", "ket qua nam 2024.xlsx"),
        ("a\\b\r\nc.pdf", "abc.pdf"),
        ("报告.pdf", "download.pdf"),
        ("", "download"),
    ],
)
def test_the_ascii_fallback_is_safe_inside_quotes(filename, fallback):
    assert ascii_filename(filename) == fallback


def test_a_name_that_would_break_the_header_is_sent_encoded():
    header = content_disposition('x"; filename="evil.exe\r\n.pdf')

    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="x; filename=evil.exe.pdf"; filename*=')
    assert unquote(header.split("filename*=UTF-8''")[1]) == 'x"; filename="evil.exe\r\n.pdf'
