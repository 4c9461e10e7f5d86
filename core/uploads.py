"""Validation of uploaded files by their content, not only their name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# Detected kind → extensions that may carry it.
ALLOWED_KINDS = {
    "pdf": {"pdf"},
    "jpg": {"jpg", "jpeg"},
    "png": {"png"},
    "webp": {"webp"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
}


def detect_kind(head: bytes) -> str | None:
    import filetype

    kind = filetype.guess(head)
    return kind.extension if kind else None


def validate_attachment(upload, *, max_bytes: int | None = None, kinds=None) -> str:
    """Check an uploaded evidence file or photo; return its detected kind.

    Refuses empty files, files over ``max_bytes``, and files whose content is not one
    of the allowed kinds or does not match their extension (a renamed executable).
    """
    kinds = kinds or ALLOWED_KINDS
    max_bytes = max_bytes or MAX_ATTACHMENT_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = detect_kind(head)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    allowed = ", ".join(sorted({ext for exts in kinds.values() for ext in exts}))
    if kind not in kinds or extension not in kinds[kind]:
        raise ValidationError(
            _("This file type is not accepted. Accepted: %(kinds)s."),
            code="bad_type",
            params={"kinds": allowed},
        )
    return kind
