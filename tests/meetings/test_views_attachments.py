"""Photos and documents of a meeting: checked by content, served only to who may see them."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import MAX_ATTACHMENT_BYTES
from meetings import services
from meetings.models import Attachment
from tests.factories.meetings import AttachmentFactory, pdf_bytes, png_bytes
from tests.meetings.helpers import messages_of

pytestmark = pytest.mark.django_db

ADDED = "Đã thêm tệp."
BAD_TYPE = "Không nhận loại tệp này. Chỉ nhận: docx, jpeg, jpg, pdf, png, pptx, webp, xlsx."
NOT_A_PHOTO = "Ảnh phải là tệp JPEG, PNG hoặc WebP."
EXECUTABLE = b"MZ\x90\x00" + b"\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


def upload(client, meeting, name, content, kind, caption=""):
    return client.post(
        reverse("meetings:attachment-upload", args=[meeting.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content), "caption": caption},
    )


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    if not root.exists():
        return []
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def download(client, attachment):
    return client.get(reverse("meetings:attachment-download", args=[attachment.pk]))


def test_a_real_png_is_added_as_a_photo(secretary_client, secretary, meeting):
    content = png_bytes()
    response = upload(secretary_client, meeting, "anh-hoi-nghi.png", content, "photo", "Toàn cảnh")
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url() + "#attachments"
    assert messages_of(response) == [ADDED]
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.original_name, attachment.size, attachment.caption) == (
        "photo",
        "anh-hoi-nghi.png",
        len(content),
        "Toàn cảnh",
    )
    assert attachment.uploaded_by == secretary
    assert stored_files() == [f"meetings/{meeting.pk}/anh-hoi-nghi.png"]
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == content


def test_a_real_pdf_is_added_as_a_document(secretary_client, meeting):
    content = pdf_bytes()
    response = upload(secretary_client, meeting, "Báo cáo tổng kết.pdf", content, "document")
    assert messages_of(response) == [ADDED]
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.original_name) == ("document", "Báo cáo tổng kết.pdf")
    assert stored_files() == [f"meetings/{meeting.pk}/Báo_cáo_tổng_kết.pdf"]


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("photo.png", EXECUTABLE, "photo", BAD_TYPE),
        ("report.pdf", EXECUTABLE, "document", BAD_TYPE),
        ("report.exe", EXECUTABLE, "document", BAD_TYPE),
        ("anh.pdf", png_bytes(), "document", BAD_TYPE),
        ("bao-cao.pdf", pdf_bytes(), "photo", NOT_A_PHOTO),
        ("trong.png", b"", "photo", "Tập tin được gửi là rỗng."),
        (
            "qua-lon.png",
            png_bytes() + bytes(12 * 1024 * 1024),
            "photo",
            "Tệp có dung lượng 12,0\xa0MB, vượt giới hạn 10,0\xa0MB.",
        ),
    ],
    ids=["exe-as-png", "exe-as-pdf", "exe", "png-as-pdf", "pdf-as-photo", "empty", "too-large"],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(
    secretary_client, meeting, name, content, kind, message
):
    response = upload(secretary_client, meeting, name, content, kind)
    assert response.status_code == 302
    assert messages_of(response) == [message]
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_the_service_refuses_an_empty_file_itself(meeting):
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            meeting=meeting, upload=SimpleUploadedFile("trong.png", b""), kind="photo"
        )
    assert caught.value.messages == ["Tệp rỗng."]
    assert stored_files() == []


def test_a_file_one_byte_over_ten_megabytes_is_refused(meeting):
    assert MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            meeting=meeting,
            upload=SimpleUploadedFile(
                "lon.png", png_bytes().ljust(MAX_ATTACHMENT_BYTES + 1, b"\0")
            ),
            kind="photo",
        )
    assert caught.value.messages == ["Tệp có dung lượng 10,0\xa0MB, vượt giới hạn 10,0\xa0MB."]
    assert stored_files() == []


def test_a_photo_is_shown_inline_to_who_may_see_the_meeting(viewer_client, meeting):
    content = png_bytes()
    services.attachment_add(
        meeting=meeting, upload=SimpleUploadedFile("anh.png", content), kind="photo"
    )
    response = download(viewer_client, Attachment.objects.get())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="anh.png"'


def test_a_document_is_downloaded_under_its_original_name(secretary_client, meeting):
    content = pdf_bytes()
    services.attachment_add(
        meeting=meeting, upload=SimpleUploadedFile("bao-cao.pdf", content), kind="document"
    )
    response = download(secretary_client, Attachment.objects.get())
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao.pdf"'


def test_a_vietnamese_file_name_survives_the_download(secretary_client, meeting):
    services.attachment_add(
        meeting=meeting,
        upload=SimpleUploadedFile("Báo cáo tổng kết.pdf", pdf_bytes()),
        kind="document",
    )
    response = download(secretary_client, Attachment.objects.get())
    assert response["Content-Disposition"] == (
        'attachment; filename="bao cao tong ket.pdf"; '
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt.pdf"
    )


def test_an_outsider_cannot_download_the_file(outsider_client, meeting):
    attachment = AttachmentFactory(meeting=meeting)
    assert download(outsider_client, attachment).status_code == 404


def test_the_meeting_page_shows_the_photo_and_the_documents(secretary_client, meeting):
    photo = AttachmentFactory(meeting=meeting, caption="Toàn cảnh hội nghị")
    document = AttachmentFactory(
        meeting=meeting, kind="document", original_name="bao-cao.pdf", caption=""
    )
    html = secretary_client.get(meeting.get_absolute_url()).content.decode()
    photo_url = reverse("meetings:attachment-download", args=[photo.pk])
    assert (
        f'<img class="img-fluid rounded border" src="{photo_url}" alt="Toàn cảnh hội nghị">' in html
    )
    assert reverse("meetings:attachment-download", args=[document.pk]) in html


def test_deleting_removes_the_row_and_after_commit_the_file(
    secretary_client, meeting, django_capture_on_commit_callbacks
):
    services.attachment_add(
        meeting=meeting, upload=SimpleUploadedFile("anh.png", png_bytes()), kind="photo"
    )
    attachment = Attachment.objects.get()
    assert stored_files() == [f"meetings/{meeting.pk}/anh.png"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = secretary_client.post(
            reverse("meetings:attachment-delete", args=[attachment.pk])
        )
    assert response.status_code == 302
    assert messages_of(response) == ["Đã xóa tệp."]
    assert not Attachment.objects.exists()
    assert stored_files() == [f"meetings/{meeting.pk}/anh.png"]  # not before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert stored_files() == []


def test_deleting_with_the_commit_removes_the_file(
    secretary_client, meeting, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(meeting=meeting)
    assert stored_files() == [attachment.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        secretary_client.post(reverse("meetings:attachment-delete", args=[attachment.pk]))
    assert stored_files() == []


def test_an_outsider_cannot_delete_the_file(outsider_client, meeting):
    attachment = AttachmentFactory(meeting=meeting)
    response = outsider_client.post(reverse("meetings:attachment-delete", args=[attachment.pk]))
    assert response.status_code == 404
    assert Attachment.objects.exists()
    assert stored_files() == [attachment.file.name]


def test_a_viewer_cannot_upload_or_delete(viewer_client, meeting):
    attachment = AttachmentFactory(meeting=meeting)
    assert upload(viewer_client, meeting, "anh.png", png_bytes(), "photo").status_code == 403
    response = viewer_client.post(reverse("meetings:attachment-delete", args=[attachment.pk]))
    assert response.status_code == 403
    assert list(Attachment.objects.all()) == [attachment]
