"""A request larger than the limit is refused from its declared length, before the body
is read, with a page that says how large a file may be."""

import pytest
from django.test import override_settings
from django.urls import reverse

from meetings.models import Attachment

pytestmark = pytest.mark.django_db


class ExplodingInput:
    """A body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the oversized body was read")

    readline = read


@override_settings(MAX_REQUEST_BYTES=1024 * 1024)
def test_an_oversized_upload_is_refused_before_it_is_read(staff_client):
    response = staff_client.generic(
        "POST",
        reverse("reports:summary-export"),
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": ExplodingInput()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert 'id="too-large"' in page
    assert "Dung lượng gửi lên là 200,0\xa0MB; mỗi lần chỉ được gửi tối đa 1,0\xa0MB." in page
    assert Attachment.objects.count() == 0


@override_settings(MAX_REQUEST_BYTES=1024 * 1024)
def test_a_request_within_the_limit_goes_through(staff_client):
    assert staff_client.get(reverse("reports:dashboard")).status_code == 200
