"""Who reaches every URL of meetings/urls.py: the right role, a viewer, an outsider, nobody."""

import pytest
from django.urls import reverse

from clusters.models import Role
from meetings.models import Attachment, Conclusion, Meeting
from tests.factories import ClusterFactory, ClusterYearFactory, RoleFactory, UserFactory
from tests.factories.meetings import AttachmentFactory, ConclusionFactory, at
from tests.meetings.helpers import element_text, messages_of

pytestmark = pytest.mark.django_db

READ = ["meeting-detail", "meeting-minutes-pdf", "meeting-minutes-docx", "meeting-ics"]
EDIT = [
    "meeting-create",
    "meeting-update",
    "meeting-content",
    "meeting-participants",
    "meeting-attendance",
    "meeting-agenda",
    "meeting-conclusions",
    "meeting-exemplars",
]
POST_ONLY = [
    "meeting-held",
    "meeting-approve",
    "meeting-reopen",
    "attachment-upload",
    "attachment-delete",
    "task-done",
]
FILES = ["attachment-download"]
LISTS = ["meeting-list", "exemplar-list"]


@pytest.fixture
def things(meeting, units):
    return {
        "meeting": meeting,
        "attachment": AttachmentFactory(meeting=meeting),
        "task": ConclusionFactory(meeting=meeting, is_task=True, owner=units[0]),
    }


def url_of(name, things) -> str:
    if name in LISTS:
        return reverse(f"meetings:{name}")
    if name == "meeting-create":
        return reverse("meetings:meeting-create", args=[things["meeting"].cluster_year_id])
    if name in ("attachment-download", "attachment-delete"):
        return reverse(f"meetings:{name}", args=[things["attachment"].pk])
    if name == "task-done":
        return reverse("meetings:task-done", args=[things["task"].pk])
    return reverse(f"meetings:{name}", args=[things["meeting"].pk])


def unchanged(things) -> bool:
    meeting = Meeting.objects.get()
    return (
        meeting.status == Meeting.Status.PLANNED
        and meeting.title == things["meeting"].title
        and Attachment.objects.count() == 1
        and Conclusion.objects.get().done_on is None
        and not meeting.participants.exists()
    )


@pytest.mark.parametrize("name", LISTS + READ + FILES + EDIT)
def test_every_page_opens_for_the_clusters_secretary(secretary_client, things, name):
    assert secretary_client.get(url_of(name, things)).status_code == 200


@pytest.mark.parametrize("name", LISTS + READ + FILES)
def test_a_viewer_reads_every_page(viewer_client, things, name):
    assert viewer_client.get(url_of(name, things)).status_code == 200


@pytest.mark.parametrize("name", EDIT)
def test_a_viewer_is_refused_every_editor(viewer_client, things, name):
    url = url_of(name, things)
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {"title": "Đổi tên", "form-TOTAL_FORMS": "0"}).status_code == 403
    assert unchanged(things)


@pytest.mark.parametrize("name", POST_ONLY)
def test_a_viewer_is_refused_every_action(viewer_client, things, name):
    assert viewer_client.post(url_of(name, things)).status_code == 403
    assert unchanged(things)


@pytest.mark.parametrize("name", READ + FILES + EDIT + POST_ONLY)
def test_an_outsider_gets_404_everywhere(outsider_client, things, name):
    url = url_of(name, things)
    if name not in POST_ONLY:
        assert outsider_client.get(url).status_code == 404
    if name in EDIT + POST_ONLY:
        assert outsider_client.post(url).status_code == 404
    assert unchanged(things)


@pytest.mark.parametrize("name", READ + FILES + EDIT + POST_ONLY)
def test_a_secretary_of_another_cluster_of_the_province_gets_404(client_for, body, things, name):
    elsewhere = ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối các sở"))
    user = RoleFactory(
        user=UserFactory(username="thuky.khoi"), body=body, kind=Role.Kind.SECRETARY
    ).user
    elsewhere.secretaries.add(user)
    client = client_for(user)
    url = url_of(name, things)
    if name not in POST_ONLY:
        assert client.get(url).status_code == 404
    if name in EDIT + POST_ONLY:
        assert client.post(url).status_code == 404
    assert unchanged(things)


@pytest.mark.parametrize("name", LISTS + READ + FILES + EDIT + POST_ONLY)
def test_anonymous_visitors_are_sent_to_log_in(client, things, name):
    url = url_of(name, things)
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    assert unchanged(things)


@pytest.mark.parametrize("name", POST_ONLY)
def test_actions_refuse_get(staff_client, things, name):
    assert staff_client.get(url_of(name, things)).status_code == 405
    assert unchanged(things)


def test_the_lists_show_an_outsider_nothing_of_the_province(outsider_client, things):
    for name in LISTS:
        response = outsider_client.get(url_of(name, things))
        assert list(response.context["object_list"]) == []


# --- Creating and editing the meeting ------------------------------------------------------


def test_the_secretary_creates_a_meeting_hosted_by_the_head_by_default(
    secretary_client, cluster_year, units
):
    url = reverse("meetings:meeting-create", args=[cluster_year.pk])
    form = secretary_client.get(url).context["form"]
    assert (form["host"].value(), form["kind"].value()) == (units[0].pk, "year_end")
    response = secretary_client.post(
        url,
        {
            "kind": "mid_year",
            "title": "Sơ kết công tác thi đua 6 tháng đầu năm 2023",
            "starts_at": "14/07/2023 08:00",
            "ends_at": "14/07/2023 11:30",
            "host": units[0].pk,
            "place": "Hội trường UBND huyện Na Rì",
            "minutes_number": "",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert messages_of(response) == [
        "Đã tạo hội nghị “Sơ kết công tác thi đua 6 tháng đầu năm 2023”."
    ]
    assert (meeting.cluster_year, meeting.kind, meeting.status, meeting.host) == (
        cluster_year,
        "mid_year",
        "planned",
        units[0],
    )
    assert (meeting.starts_at, meeting.ends_at) == (at(2023, 7, 14, 8), at(2023, 7, 14, 11, 30))


def test_a_meeting_ending_before_it_starts_is_not_created(secretary_client, cluster_year):
    response = secretary_client.post(
        reverse("meetings:meeting-create", args=[cluster_year.pk]),
        {
            "kind": "mid_year",
            "title": "Sơ kết",
            "starts_at": "14/07/2023 08:00",
            "ends_at": "14/07/2023 07:00",
        },
    )
    assert response.status_code == 200
    assert "Giờ kết thúc không được trước giờ bắt đầu." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_host_of_another_register_posted_by_id_is_404(
    secretary_client, cluster_year, other_cluster
):
    foreign = other_cluster.years.get().members.get().unit
    response = secretary_client.post(
        reverse("meetings:meeting-create", args=[cluster_year.pk]),
        {"kind": "other", "title": "Họp", "starts_at": "14/07/2023 08:00", "host": foreign.pk},
    )
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_the_secretary_edits_the_meeting_and_its_report(secretary_client, meeting):
    response = secretary_client.post(
        reverse("meetings:meeting-update", args=[meeting.pk]),
        {
            "kind": "year_end",
            "title": meeting.title,
            "starts_at": "07/02/2023 14:30",
            "place": "Thành phố Bắc Kạn",
            "minutes_number": "7",
        },
    )
    assert response.status_code == 302
    response = secretary_client.post(
        reverse("meetings:meeting-content", args=[meeting.pk]),
        {"report": "Năm 2022, **các huyện** hoàn thành chỉ tiêu.", "discussion": "- Ý kiến 1"},
    )
    assert messages_of(response)[-1] == "Đã lưu báo cáo và thảo luận."
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at, meeting.host, meeting.minutes_number) == (
        at(2023, 2, 7, 14, 30),
        None,
        None,
        7,
    )
    assert meeting.status == Meeting.Status.PLANNED
    html = secretary_client.get(meeting.get_absolute_url()).content.decode()
    assert "Năm 2022, <strong>các huyện</strong> hoàn thành chỉ tiêu." in html


def test_the_meeting_page_shows_chairs_attendance_and_conclusions(
    viewer_client, approved_meeting, members
):
    response = viewer_client.get(approved_meeting.get_absolute_url())
    assert element_text(response, "chairs") == (
        "Dương Hữu Bường — Chủ tịch UBND Thành phố Bắc Kạn "
        "Nông Văn Nguyên — Chủ tịch UBND huyện Na Rì"
    )
    assert element_text(response, "attendance").startswith("Tham dự 3/3 ")
    assert element_text(response, "conclusion-list") == (
        "Tổ chức thực hiện hiệu quả các phong trào thi đua yêu nước năm 2023. "
        "Hoàn thiện hồ sơ đề nghị tặng Cờ thi đua của UBND tỉnh."
    )
    assert response.context["can_change"] is False
