"""The review meetings a year still lacks on the dashboard: due dates, texts, links."""

import datetime

import pytest
from django.urls import reverse

from clusters.dashboard import lacks
from clusters.models import ClusterYear
from clusters.selectors import user_scope
from meetings.lacks import meeting_lacks
from meetings.models import Meeting
from tests.factories import ClusterFactory, ClusterYearFactory
from tests.factories.meetings import MeetingFactory, at

pytestmark = pytest.mark.django_db

D = datetime.date
MID, END = Meeting.Kind.MID_YEAR, Meeting.Kind.YEAR_END


def lacks_of(kind, cluster_year, user, today):
    years = list(ClusterYear.objects.select_related("cluster").filter(pk=cluster_year.pk))
    found = meeting_lacks(kind, years, today=today, user=user)
    return [(lack.text, lack.url) for lack in found.get(cluster_year.pk, [])]


def test_the_mid_year_meeting_is_due_once_june_is_over(staff, cluster_year):
    create = reverse("meetings:meeting-create", args=[cluster_year.pk])
    assert lacks_of(MID, cluster_year, staff, D(2023, 6, 30)) == []
    assert lacks_of(MID, cluster_year, staff, D(2023, 7, 1)) == [
        ("Chưa tổ chức hội nghị sơ kết", f"{create}?kind=mid_year")
    ]


def test_the_year_end_meeting_is_due_once_the_year_is_over(staff, cluster_year):
    create = reverse("meetings:meeting-create", args=[cluster_year.pk])
    assert lacks_of(END, cluster_year, staff, D(2023, 12, 31)) == []
    assert lacks_of(END, cluster_year, staff, D(2024, 1, 1)) == [
        ("Chưa tổ chức hội nghị tổng kết", f"{create}?kind=year_end")
    ]


def test_a_planned_meeting_is_named_with_its_date_and_linked(staff, cluster_year):
    meeting = MeetingFactory(cluster_year=cluster_year, kind=MID, starts_at=at(2023, 7, 20, 8))
    url = meeting.get_absolute_url()
    assert lacks_of(MID, cluster_year, staff, D(2023, 7, 10)) == [
        ("Hội nghị sơ kết dự kiến tổ chức ngày 20/07/2023", url)
    ]
    assert lacks_of(MID, cluster_year, staff, D(2023, 7, 21)) == [
        ("Hội nghị sơ kết ngày 20/07/2023 chưa được xác nhận đã tổ chức", url)
    ]


def test_the_date_is_the_vietnamese_day_of_the_meeting(staff, cluster_year):
    # 6:00 on 5/1/2024 in Hà Nội is 23:00 on 4/1 in UTC.
    meeting = MeetingFactory(cluster_year=cluster_year, kind=END, starts_at=at(2024, 1, 5, 6))
    assert lacks_of(END, cluster_year, staff, D(2024, 1, 2)) == [
        ("Hội nghị tổng kết dự kiến tổ chức ngày 05/01/2024", meeting.get_absolute_url())
    ]


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.APPROVED])
def test_a_meeting_that_took_place_clears_the_lack(staff, cluster_year, status):
    MeetingFactory(cluster_year=cluster_year, kind=MID, starts_at=at(2023, 7, 1, 8))
    MeetingFactory(cluster_year=cluster_year, kind=MID, starts_at=at(2023, 7, 20), status=status)
    assert lacks_of(MID, cluster_year, staff, D(2023, 8, 1)) == []


def test_a_meeting_of_another_kind_does_not_count(staff, cluster_year):
    MeetingFactory(
        cluster_year=cluster_year,
        kind=Meeting.Kind.OTHER,
        starts_at=at(2023, 7, 20),
        status=Meeting.Status.HELD,
    )
    MeetingFactory(
        cluster_year=cluster_year, kind=END, starts_at=at(2023, 7, 21), status=Meeting.Status.HELD
    )
    assert [text for text, _url in lacks_of(MID, cluster_year, staff, D(2023, 8, 1))] == [
        "Chưa tổ chức hội nghị sơ kết"
    ]


def test_a_viewer_is_sent_to_the_year_page(viewer, cluster_year):
    assert lacks_of(END, cluster_year, viewer, D(2024, 2, 1)) == [
        ("Chưa tổ chức hội nghị tổng kết", cluster_year.get_absolute_url())
    ]


def test_a_past_year_lacks_both_reviews(staff, cluster_year):
    today = D(2026, 12, 3)
    assert [text for text, _url in lacks_of(MID, cluster_year, staff, today)] == [
        "Chưa tổ chức hội nghị sơ kết"
    ]
    assert [text for text, _url in lacks_of(END, cluster_year, staff, today)] == [
        "Chưa tổ chức hội nghị tổng kết"
    ]


def test_both_checks_share_one_query_for_many_years(
    staff, cluster_year, body, django_assert_num_queries
):
    other = ClusterYearFactory(cluster=ClusterFactory(body=body), year=2023)
    MeetingFactory(
        cluster_year=other, kind=MID, starts_at=at(2023, 7, 5), status=Meeting.Status.HELD
    )
    MeetingFactory(cluster_year=cluster_year, kind=END, starts_at=at(2024, 1, 18))
    years = list(ClusterYear.objects.select_related("cluster").filter(year=2023))
    user_scope(staff)
    today = D(2024, 2, 1)
    with django_assert_num_queries(1):
        mid = meeting_lacks(MID, years, today=today, user=staff)
        end = meeting_lacks(END, years, today=today, user=staff)
    assert [lack.text for lack in mid[cluster_year.pk]] == ["Chưa tổ chức hội nghị sơ kết"]
    assert other.pk not in mid
    assert [lack.text for lack in end[cluster_year.pk]] == [
        "Hội nghị tổng kết ngày 18/01/2024 chưa được xác nhận đã tổ chức"
    ]
    assert [lack.text for lack in end[other.pk]] == ["Chưa tổ chức hội nghị tổng kết"]


def test_the_meetings_take_their_places_in_the_cycle():
    orders = {entry.key: entry.order for entry in lacks}
    assert orders["mid-year-results"] < orders["mid-year-meeting"] < orders["year-end-results"]
    assert orders["year-end-results"] < orders["year-end-meeting"] < orders["scoring"]


def test_the_link_opens_the_new_meeting_form_on_the_kind_that_is_missing(
    staff_client, cluster_year
):
    create = reverse("meetings:meeting-create", args=[cluster_year.pk])
    page = staff_client.get(f"{create}?kind=mid_year").content.decode()
    assert '<option value="mid_year" selected>' in page
    page = staff_client.get(f"{create}?kind=nonsense").content.decode()
    assert '<option value="year_end" selected>' in page
