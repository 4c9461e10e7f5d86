"""Counts of awards the members report per period, level and kind, without listing them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services
from awards.models import ReportedCount
from tests.factories import UnitFactory
from tests.factories.awards import ReportedCountFactory

pytestmark = pytest.mark.django_db

YEAR, GRASSROOTS, COLLECTIVE, INDIVIDUAL = "year", "grassroots", "collective", "individual"


def edit_url(cluster_year):
    return reverse("awards:reportedcount-edit", args=[cluster_year.pk])


def formset_data(rows, *, initial=0):
    """POST data of the table: ``rows`` are dicts of the row's fields (strings)."""
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"form-{index}-{name}"] = value
    return data


def row(unit, count, *, period=YEAR, level=GRASSROOTS, kind=COLLECTIVE, note="", id=""):
    return {
        "id": str(id),
        "unit": str(unit.pk),
        "period": period,
        "level": level,
        "kind": kind,
        "count": count,
        "note": note,
    }


def stored(cluster_year):
    return sorted(
        ReportedCount.objects.filter(cluster_year=cluster_year).values_list(
            "unit__name", "period", "level", "kind", "count"
        )
    )


def test_staff_enter_the_counts_typed_the_vietnamese_way(staff_client, cluster_year, units):
    data = formset_data(
        [
            row(units[0], "1.315", note="Chủ tịch UBND huyện tặng Giấy khen"),
            row(units[0], "9.294", kind=INDIVIDUAL),
            row(units[2], "517", level="province", kind="mixed"),
            {"id": "", "unit": "", "period": "", "level": "", "kind": "", "count": "", "note": ""},
        ]
    )
    response = staff_client.post(edit_url(cluster_year), data)
    assert response.status_code == 302, response.context["formset"].errors
    assert response.url.endswith("#reported-counts")
    assert stored(cluster_year) == [
        ("Huyện Na Rì", YEAR, GRASSROOTS, COLLECTIVE, 1315),
        ("Huyện Na Rì", YEAR, GRASSROOTS, INDIVIDUAL, 9294),
        ("Huyện Pác Nặm", YEAR, "province", "mixed", 517),
    ]


def test_the_table_shows_the_stored_counts_to_edit_and_delete(staff_client, cluster_year, units):
    kept = ReportedCountFactory(cluster_year=cluster_year, unit=units[0], count=1315)
    dropped = ReportedCountFactory(cluster_year=cluster_year, unit=units[1], count=12)
    response = staff_client.get(edit_url(cluster_year))
    assert response.status_code == 200
    # In the members' alphabetical order: Ba Bể, then Na Rì.
    assert [form.initial.get("count") for form in response.context["formset"]][:2] == [
        "12",
        "1.315",
    ]
    data = formset_data(
        [
            row(units[0], "1.320", id=kept.pk),
            {**row(units[1], "12", id=dropped.pk), "DELETE": "on"},
        ],
        initial=2,
    )
    response = staff_client.post(edit_url(cluster_year), data)
    assert response.status_code == 302
    assert stored(cluster_year) == [("Huyện Na Rì", YEAR, GRASSROOTS, COLLECTIVE, 1320)]
    assert ReportedCount.objects.get().pk == kept.pk


def test_a_negative_count_is_refused_and_nothing_saved(staff_client, cluster_year, units):
    data = formset_data([row(units[0], "1.315"), row(units[1], "-3")])
    response = staff_client.post(edit_url(cluster_year), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["count"]
    assert not ReportedCount.objects.exists()


def test_a_unit_outside_the_year_is_refused(staff_client, cluster_year, body):
    stranger = UnitFactory(body=body, name="Huyện Chợ Đồn")
    response = staff_client.post(edit_url(cluster_year), formset_data([row(stranger, "5")]))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["unit"]
    assert not ReportedCount.objects.exists()


def test_the_same_member_period_level_and_kind_twice_is_refused(staff_client, cluster_year, units):
    data = formset_data([row(units[0], "10"), row(units[0], "12")])
    response = staff_client.post(edit_url(cluster_year), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not ReportedCount.objects.exists()


def test_the_service_refuses_a_non_member(cluster_year, body):
    stranger = UnitFactory(body=body, name="Huyện Chợ Đồn")
    with pytest.raises(ValidationError):
        services.reported_counts_save(
            cluster_year=cluster_year,
            rows=[
                {
                    "unit": stranger,
                    "period": YEAR,
                    "level": GRASSROOTS,
                    "kind": COLLECTIVE,
                    "count": 3,
                }
            ],
        )
    assert not ReportedCount.objects.exists()


def test_the_service_refuses_a_count_of_another_year(cluster_year, units, cluster):
    from tests.factories import ClusterYearFactory

    other_year = ClusterYearFactory(cluster=cluster, year=2024)
    foreign = ReportedCountFactory(cluster_year=other_year, unit=units[0], count=4)
    with pytest.raises(ValidationError):
        services.reported_counts_save(cluster_year=cluster_year, rows=[], deleted=[foreign])
    assert ReportedCount.objects.filter(pk=foreign.pk).exists()


def test_the_year_page_shows_the_counts_and_their_totals(staff_client, cluster_year, units):
    ReportedCountFactory(cluster_year=cluster_year, unit=units[0], count=1000)
    ReportedCountFactory(cluster_year=cluster_year, unit=units[1], count=315)
    ReportedCountFactory(cluster_year=cluster_year, unit=units[1], count=9294, kind=INDIVIDUAL)
    # The cluster year page loads its awards block after itself, with the counts in it.
    page = staff_client.get(reverse("clusters:clusteryear-detail", args=[cluster_year.pk]))
    assert reverse("awards:year-awards", args=[cluster_year.pk]) in page.content.decode()
    response = staff_client.get(reverse("awards:year-awards", args=[cluster_year.pk]))
    section = next(
        s.context
        for s in response.context["sections"]
        if s.template == "awards/includes/_reported_counts.html"
    )
    assert [r["count"] for r in section["rows"]] == ["315", "9.294", "1.000"]
    assert [(t["count"]) for t in section["totals"]] == ["1.315", "9.294"]
    html = response.content.decode()
    assert 'id="reported-counts"' in html
    assert "1.315" in html
    assert edit_url(cluster_year) in html


def test_a_viewer_sees_the_counts_but_may_not_edit(viewer_client, cluster_year, units):
    ReportedCountFactory(cluster_year=cluster_year, unit=units[0], count=1315)
    html = viewer_client.get(reverse("awards:year-awards", args=[cluster_year.pk])).content.decode()
    assert "1.315" in html
    assert edit_url(cluster_year) not in html
    assert viewer_client.get(edit_url(cluster_year)).status_code == 403


def test_the_secretary_of_the_year_reports_counts(secretary_client, cluster_year, units):
    response = secretary_client.post(edit_url(cluster_year), formset_data([row(units[1], "7")]))
    assert response.status_code == 302
    assert stored(cluster_year) == [("Huyện Ba Bể", YEAR, GRASSROOTS, COLLECTIVE, 7)]


def test_an_outsider_gets_404(outsider_client, cluster_year, units):
    ReportedCountFactory(cluster_year=cluster_year, unit=units[0], count=4)
    assert outsider_client.get(edit_url(cluster_year)).status_code == 404
    response = outsider_client.post(edit_url(cluster_year), formset_data([row(units[0], "9")]))
    assert response.status_code == 404
    assert stored(cluster_year) == [("Huyện Na Rì", YEAR, GRASSROOTS, COLLECTIVE, 4)]


def test_a_count_of_another_year_cannot_be_edited_by_its_id(
    staff_client, cluster_year, units, cluster
):
    from tests.factories import ClusterYearFactory

    other_year = ClusterYearFactory(cluster=cluster, year=2024)
    foreign = ReportedCountFactory(cluster_year=other_year, unit=units[0], count=4)
    data = formset_data([row(units[0], "9", id=foreign.pk)], initial=1)
    assert staff_client.post(edit_url(cluster_year), data).status_code == 404
    foreign.refresh_from_db()
    assert foreign.count == 4


def test_the_table_costs_the_same_queries_with_1_and_3_counts(
    staff_client, cluster_year, units, assert_constant_queries
):
    ReportedCountFactory(cluster_year=cluster_year, unit=units[0])

    def add_two_more():
        ReportedCountFactory(cluster_year=cluster_year, unit=units[1])
        ReportedCountFactory(cluster_year=cluster_year, unit=units[2])

    _first, second = assert_constant_queries(
        staff_client, edit_url(cluster_year), add_two_more=add_two_more
    )
    assert len(second.context["formset"].forms) == 6


def test_the_year_page_costs_the_same_queries_with_1_and_3_counts(
    staff_client, cluster_year, units, assert_constant_queries
):
    ReportedCountFactory(cluster_year=cluster_year, unit=units[0])

    def add_two_more():
        ReportedCountFactory(cluster_year=cluster_year, unit=units[1])
        ReportedCountFactory(cluster_year=cluster_year, unit=units[2])

    url = reverse("clusters:clusteryear-detail", args=[cluster_year.pk])
    assert_constant_queries(staff_client, url, add_two_more=add_two_more, ceiling=30)
