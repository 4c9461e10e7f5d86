"""File downloads: one response for every generated document and stored file.

The content types live here only. File names are often Vietnamese ("Biên bản hội
nghị.pdf"): the header carries them as RFC 5987 ``filename*=UTF-8''…`` and, for
clients that read only ``filename``, an ASCII fallback with the diacritics folded away.
"""

from typing import IO
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from core.text import fold

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
    "ics": "text/calendar; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
}
UNKNOWN_CONTENT_TYPE = "application/octet-stream"


def file_response(
    content: bytes | IO[bytes],
    *,
    filename: str,
    kind: str | None = None,
    inline: bool = False,
) -> HttpResponse:
    """A download of ``content`` named ``filename``.

    ``content`` is bytes built in memory, or an open stored file, which is streamed.
    ``kind`` is a key of ``CONTENT_TYPES``; without it the file name's extension decides
    (for uploaded files), an unknown one being served as plain bytes. ``inline`` lets the
    browser show the file (a PDF to read, a photo) instead of saving it.
    """
    if kind is None:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        content_type = CONTENT_TYPES.get(extension, UNKNOWN_CONTENT_TYPE)
    elif kind in CONTENT_TYPES:
        content_type = CONTENT_TYPES[kind]
    else:
        raise ValueError(f"Unknown file kind {kind!r}; add it to CONTENT_TYPES.")
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment; filename="bien ban.pdf"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf``.

    A plain ASCII name is sent as it is, with ``filename`` only.
    """
    disposition = "inline" if inline else "attachment"
    fallback = ascii_filename(filename)
    header = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def ascii_filename(filename: str) -> str:
    """The name as plain ASCII safe inside a quoted header value: diacritics folded away
    ("Biên bản.pdf" → "bien ban.pdf"), quotes, backslashes and control characters dropped."""
    if not filename.isascii():
        filename = fold(filename).encode("ascii", "ignore").decode()
    kept = "".join(ch for ch in filename if ch.isprintable() and ch not in '"\\')
    if not kept.rsplit(".", 1)[0].strip():
        extension = kept.rsplit(".", 1)[-1] if "." in kept else ""
        kept = f"download.{extension}" if extension else "download"
    return kept


def client_address(request) -> str:
    """The visitor's address, read behind the proxy the way the login throttle reads it
    (django-axes' ipware settings), so both throttles count the same addresses."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")
