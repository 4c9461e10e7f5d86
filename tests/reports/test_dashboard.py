import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from reports.views import dashboard as dashboard_view
from tests.factories import ClusterFactory, ClusterMemberFactory, ClusterYearFactory, UnitFactory
from tests.reports.test_dashboard_lacks import complete_year

pytestmark = pytest.mark.django_db


NO_PROPOSAL = (
    "Chưa có đề nghị khen thưởng nào từ cuộc bỏ phiếu suy tôn "
    "“Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh”"
)


def cards(response) -> list[tuple[str, int | None, bool]]:
    return [
        (row["cluster"].name, row["year"] and row["year"].year, row["is_current"])
        for row in response.context["rows"]
    ]


def dashboard_html(response) -> str:
    html = response.content.decode()
    start = html.index('id="dashboard-clusters"')
    return html[start:]


def test_the_dashboard_shows_each_cluster_with_the_year_asked(staff_client, cluster_year, body):
    bloc = ClusterFactory(body=body, name="Khối thi đua các sở")
    ClusterYearFactory(cluster=bloc, year=2022)
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    assert response.status_code == 200
    assert response.context["year"] == 2023
    assert cards(response) == [
        ("Cụm thi đua các huyện, thành phố", 2023, True),
        ("Khối thi đua các sở", 2022, False),
    ]
    assert response.context["current_count"] == 1
    html = dashboard_html(response)
    assert "Cụm thi đua các huyện, thành phố" in html
    assert "Huyện Na Rì" in html and "Huyện Pác Nặm" in html
    assert cluster_year.get_absolute_url() in html


def test_the_dashboard_offers_to_roll_last_year_over(staff_client, cluster_year):
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2024})
    assert cards(response) == [("Cụm thi đua các huyện, thành phố", 2023, False)]
    assert response.context["rows"][0]["can_roll_over"] is True
    roll_over = reverse("clusters:clusteryear-roll-over", args=[cluster_year.pk])
    assert roll_over in dashboard_html(response)


def test_a_viewer_is_not_offered_actions(viewer_client, cluster_year):
    response = viewer_client.get(reverse("reports:dashboard"), {"year": 2024})
    row = response.context["rows"][0]
    assert (row["can_roll_over"], row["can_add_year"]) == (False, False)
    assert "/roll-over/" not in dashboard_html(response)


def test_the_dashboard_defaults_to_the_current_year(staff_client, cluster):
    response = staff_client.get(reverse("reports:dashboard"))
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.parametrize("year", ["abc", "1800", "3000", ""])
def test_a_bad_year_falls_back_to_the_current_year(staff_client, cluster, year):
    response = staff_client.get(reverse("reports:dashboard"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_the_year_picker_lists_the_users_years_and_the_current_one(staff_client, cluster_year):
    response = staff_client.get(reverse("reports:dashboard"), {"year": 2023})
    current = timezone.localdate().year
    assert response.context["years"] == sorted({current, 2023}, reverse=True)
    options = re.findall(r'<option value="(\d+)"', response.content.decode())
    assert options == [str(year) for year in response.context["years"]]


def test_a_secretary_sees_only_their_cluster(secretary_client, cluster_year, body):
    ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối thi đua các sở"), year=2023)
    response = secretary_client.get(reverse("reports:dashboard"), {"year": 2023})
    assert cards(response) == [("Cụm thi đua các huyện, thành phố", 2023, True)]


def test_an_outsider_does_not_see_the_bodys_clusters(outsider_client, cluster_year, other_cluster):
    response = outsider_client.get(reverse("reports:dashboard"), {"year": 2023})
    assert cards(response) == [("Khối thi đua các huyện, thị xã", 2023, True)]
    assert "Cụm thi đua các huyện, thành phố" not in dashboard_html(response)


def test_the_dashboard_uses_the_same_queries_for_one_or_three_clusters(
    staff_client, cluster_year, body, assert_constant_queries, monkeypatch
):
    monkeypatch.setattr(dashboard_view, "localdate", lambda: datetime.date(2024, 3, 1))
    # Each current year has everything its checks and its leaders read: a pledge with
    # results, both review meetings and an approved ranking; one of them still lacks
    # something of each app, so every check has work to do.
    complete_year(cluster_year)

    def add_two_more():
        for name, year in (("Khối thi đua các sở", 2023), ("Khối thi đua doanh nghiệp", 2022)):
            cluster_year = ClusterYearFactory(
                cluster=ClusterFactory(body=body, name=name), year=year
            )
            ClusterMemberFactory(
                cluster_year=cluster_year, unit=UnitFactory(body=body), role="head"
            )
            ClusterMemberFactory(cluster_year=cluster_year, unit=UnitFactory(body=body))
            done = complete_year(cluster_year)
            done["periods"][0].results.all()[:1].get().delete()
            Meeting.objects.filter(cluster_year=cluster_year, kind="mid_year").update(
                status="planned"
            )

    # The page itself (7 queries: the session, the user, the scope, the clusters with
    # the span of their years, their years, the years' members, the calendar's two sides
    # read together), the pledges' checks (1), the meetings' (1), the scoring check (1),
    # the votes' (1: the meetings are the meetings' checks' rows), the leaders (2: the
    # members are the page's), the awards' checks (1: the votes are the votes' check's
    # rows) and the proposals waiting at the user's levels (1): 15, a composite page's
    # budget.
    first, second = assert_constant_queries(
        staff_client,
        reverse("reports:dashboard") + "?year=2023",
        add_two_more=add_two_more,
        ceiling=15,
    )
    assert len(cards(first)) == 1
    assert len(cards(second)) == 3
    current = [row for row in second.context["rows"] if row["is_current"]]
    assert {row["cluster"].name: [lack.text for lack in row["lacks"]] for row in current} == {
        # The confirmed nomination of each complete year still waits for its proposals.
        "Cụm thi đua các huyện, thành phố": [NO_PROPOSAL],
        "Khối thi đua các sở": [
            "1/2 đơn vị chưa báo cáo kết quả 6 tháng",
            "Hội nghị sơ kết ngày 14/07/2023 chưa được xác nhận đã tổ chức",
            NO_PROPOSAL,
        ],
    }
    assert [len(row["leaders"]) for row in current] == [3, 2]
