"""The expected shares of a period: what part of each full-year commitment the cluster
expects by the period's end, set from the period page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pledges.models import TargetExpectation
from tests.pledges.helpers import (
    element_text,
    form_data,
    heat_statuses,
    input_named,
    messages_of,
    page,
    text_of,
)

pytestmark = pytest.mark.django_db


def expectations_url(period) -> str:
    return reverse("pledges:period-expectations", args=[period.pk])


def field(targets, key: str) -> str:
    return f"share_{targets[key].pk}"


def test_the_period_page_links_to_the_expected_shares_for_the_secretary(
    secretary_client, viewer_client, mid_year, commitments
):
    link = f"//a[@href='{expectations_url(mid_year)}']"
    assert page(secretary_client.get(mid_year.get_absolute_url())).xpath(link)
    assert not page(viewer_client.get(mid_year.get_absolute_url())).xpath(link)


def test_each_judged_target_shows_the_calendars_share_when_none_is_set(
    secretary_client, mid_year, targets
):
    response = secretary_client.get(expectations_url(mid_year))

    assert response.status_code == 200
    assert input_named(response, field(targets, "budget")).get("placeholder") == "50"
    assert input_named(response, field(targets, "growth")).get("placeholder") == "100"
    assert input_named(response, field(targets, "recruitment")).get("value") is None
    assert not page(response).xpath(f"//*[@name='{field(targets, 'campaign')}']")
    assert "Để trống: 50% (theo tỷ lệ thời gian)" in text_of(
        page(response).xpath("//main//form")[0]
    )


def test_the_secretary_expects_the_whole_recruitment_by_mid_year(
    secretary_client, mid_year, mid_year_results, targets
):
    url = expectations_url(mid_year)
    data = {**form_data(secretary_client.get(url), "//main//form[@method='post']")}
    data[field(targets, "recruitment")] = "100"
    data[field(targets, "budget")] = "62,5"
    response = secretary_client.post(url, data)

    assert (response.status_code, response.url) == (302, mid_year.get_absolute_url())
    assert messages_of(response) == [f"Đã lưu mức phải đạt của “{mid_year.name}”."]
    assert dict(
        TargetExpectation.objects.filter(period=mid_year).values_list(
            "target__name", "share_percent"
        )
    ) == {
        "Hoàn thành chỉ tiêu tuyển quân": Decimal("100"),
        "Thu ngân sách nhà nước trên địa bàn": Decimal("62.5"),
    }
    detail = secretary_client.get(mid_year.get_absolute_url())
    assert heat_statuses(detail)["Hoàn thành chỉ tiêu tuyển quân"] == [
        "met", "exceeded", "not_met",
    ]  # fmt: skip
    assert element_text(detail, "heat-yardstick").endswith(
        "Mức đặt riêng cho kỳ này: 1.1 — 62,5%; 3.1 — 100%"
    )
    again = secretary_client.get(url)
    assert input_named(again, field(targets, "budget")).get("value") == "62,5"


def test_emptying_a_share_goes_back_to_the_calendar(secretary_client, mid_year, targets):
    url = expectations_url(mid_year)
    data = form_data(secretary_client.get(url), "//main//form[@method='post']")
    secretary_client.post(url, {**data, field(targets, "budget"): "70"})
    secretary_client.post(url, {**data, field(targets, "budget"): ""})
    assert not TargetExpectation.objects.exists()


def test_a_share_above_a_hundred_percent_saves_nothing(secretary_client, mid_year, targets):
    url = expectations_url(mid_year)
    data = form_data(secretary_client.get(url), "//main//form[@method='post']")
    response = secretary_client.post(
        url, {**data, field(targets, "budget"): "120", field(targets, "recruitment"): "100"}
    )

    assert response.status_code == 200
    assert "is-invalid" in input_named(response, field(targets, "budget")).get("class")
    assert "Mức phải đạt không được quá 100%." in response.content.decode()
    assert not TargetExpectation.objects.exists()


def test_an_outsider_gets_404(outsider_client, mid_year, targets):
    assert outsider_client.get(expectations_url(mid_year)).status_code == 404
    assert outsider_client.post(expectations_url(mid_year), {}).status_code == 404


def test_the_page_runs_the_same_queries_for_one_and_three_targets(
    staff_client, growing, assert_same_queries
):
    url = expectations_url(growing.period)
    _small, large = assert_same_queries(staff_client, url, grow=growing.grow)
    assert len(page(large).xpath("//main//form//input[starts-with(@name, 'share_')]")) == 3
