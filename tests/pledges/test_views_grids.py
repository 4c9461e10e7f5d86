"""The spreadsheet pages: commitments, results, one member with evidence, registrations,
signatures, and the progress heat table of a period."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters.models import AwardType
from pledges import services
from pledges.models import Commitment, Registration, Result, Signature
from pledges.services import Cell
from tests.pledges.conftest import (
    CAMPAIGN,
    COMMITTED,
    FULL_YEAR_FOOTER,
    FULL_YEAR_HEAT,
    MID_YEAR,
    MID_YEAR_FOOTER,
    MID_YEAR_HEAT,
    REPORTED,
    keyed,
    logged_in,
)
from tests.pledges.helpers import (
    element_text,
    form_data,
    heat_footer,
    heat_header,
    heat_statuses,
    heat_totals,
    input_named,
    messages_of,
    page,
    text_of,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def cell(targets, members, target: str, member: str) -> str:
    return f"c-{targets[target].pk}-{members[member].pk}"


def commitments_url(pledge) -> str:
    return reverse("pledges:pledge-commitments", args=[pledge.pk])


def results_url(period) -> str:
    return reverse("pledges:period-results", args=[period.pk])


def stored(model, **filters) -> dict:
    return {
        (row.target.name, row.member.unit.short_name): (row.value, row.text)
        for row in model.objects.filter(**filters).select_related("target", "member__unit")
    }


# --- Commitments ----------------------------------------------------------------------------------


def test_the_commitment_grid_shows_stored_values_the_vietnamese_way(
    staff_client, pledge, targets, members, commitments
):
    response = staff_client.get(commitments_url(pledge))
    assert response.status_code == 200
    headers = [text_of(th) for th in page(response).xpath("//table[@id='grid']/thead/tr/th")]
    assert headers == ["Chỉ tiêu", "Na Rì", "Pác Nặm", "Ba Bể"]

    def value(target, member):
        return input_named(response, cell(targets, members, target, member)).get("value")

    assert value("budget", "Na Rì") == "1.234,5"
    assert value("growth", "Pác Nặm") == "8,8"
    assert value("campaign", "Ba Bể") == CAMPAIGN
    chosen = input_named(response, cell(targets, members, "recruitment", "Pác Nặm"))
    assert chosen.xpath("./option[@selected]")[0].text == "Không"


def test_a_bad_cell_keeps_every_typed_value_and_saves_nothing(
    staff_client, pledge, targets, members, commitments
):
    url = commitments_url(pledge)
    data = form_data(staff_client.get(url))
    typed = {
        cell(targets, members, "budget", "Na Rì"): "1.500",
        cell(targets, members, "budget", "Ba Bể"): "abc",
        cell(targets, members, "growth", "Pác Nặm"): "9,25",
        cell(targets, members, "campaign", "Ba Bể"): "Chuyển đổi số toàn diện",
    }
    data.update(typed)
    before, history = stored(Commitment), Commitment.history.count()

    response = staff_client.post(url, data)

    assert response.status_code == 200
    for name, text in typed.items():
        assert input_named(response, name).get("value") == text
    bad = input_named(response, cell(targets, members, "budget", "Ba Bể"))
    assert "is-invalid" in bad.get("class").split()
    assert bad.get("title") == "“abc” không phải là số."
    good = input_named(response, cell(targets, members, "budget", "Na Rì"))
    assert "is-invalid" not in good.get("class").split()
    assert element_text(response, "grid-errors") == (
        "Chưa lưu dữ liệu nào. Hãy sửa các ô được đánh dấu đỏ; mọi số liệu bạn đã nhập vẫn được "
        "giữ. Ba Bể — 1.1 Thu ngân sách nhà nước trên địa bàn: “abc” không phải là số."
    )
    assert stored(Commitment) == before
    assert Commitment.history.count() == history


def test_numbers_typed_the_vietnamese_way_are_saved(staff_client, pledge, targets, members):
    url = commitments_url(pledge)
    data = form_data(staff_client.get(url))
    data[cell(targets, members, "budget", "Na Rì")] = "1.234,5"
    data[cell(targets, members, "budget", "Ba Bể")] = "18.568"
    response = staff_client.post(url, data)
    assert (response.status_code, response.url) == (302, url)
    assert messages_of(response) == ["Đã lưu: 2 ô thay đổi."]
    assert stored(Commitment) == {
        ("Thu ngân sách nhà nước trên địa bàn", "Na Rì"): (Decimal("1234.5"), ""),
        ("Thu ngân sách nhà nước trên địa bàn", "Ba Bể"): (Decimal("18568"), ""),
    }
    again = staff_client.get(url)
    assert input_named(again, cell(targets, members, "budget", "Ba Bể")).get("value") == "18.568"


def test_saving_the_grid_unchanged_writes_nothing(
    staff_client, pledge, targets, members, commitments
):
    url = commitments_url(pledge)
    data = form_data(staff_client.get(url))
    history = Commitment.history.count()
    response = staff_client.post(url, data)
    assert messages_of(response) == ["Đã lưu: 0 ô thay đổi."]
    assert Commitment.history.count() == history


def test_cells_of_another_pledge_or_unit_in_the_post_are_ignored(
    staff_client, pledge, targets, members, commitments, neighbour_pledge, foreign_pledge
):
    url = commitments_url(pledge)
    data = form_data(staff_client.get(url))
    data[cell(targets, members, "budget", "Pác Nặm")] = "50"
    data[f"c-{neighbour_pledge['target'].pk}-{members['Na Rì'].pk}"] = "99"
    data[f"c-{targets['budget'].pk}-{neighbour_pledge['member'].pk}"] = "99"
    data[f"c-{foreign_pledge['target'].pk}-{foreign_pledge['member'].pk}"] = "99"
    response = staff_client.post(url, data)
    assert messages_of(response) == ["Đã lưu: 1 ô thay đổi."]
    assert not Commitment.objects.filter(value=99).exists()
    assert not Commitment.objects.exclude(target__pledge=pledge).exists()
    assert Commitment.objects.get(
        target=targets["budget"], member=members["Pác Nặm"]
    ).value == Decimal("50")


def test_a_pledge_without_targets_asks_for_them_first(staff_client, pledge):
    response = staff_client.get(commitments_url(pledge))
    assert "Hãy nhập chỉ tiêu trước." in text_of(page(response).xpath("//main")[0])


# --- Results --------------------------------------------------------------------------------------


def test_the_secretary_types_results_and_the_heat_table_judges_them(
    secretary_client, pledge, targets, members, commitments, mid_year
):
    url = results_url(mid_year)
    data = form_data(secretary_client.get(url))
    data[cell(targets, members, "budget", "Na Rì")] = "1.300"
    data[cell(targets, members, "accidents", "Pác Nặm")] = "3"
    data[cell(targets, members, "recruitment", "Ba Bể")] = "0"
    data[cell(targets, members, "campaign", "Na Rì")] = REPORTED
    response = secretary_client.post(url, data)
    assert (response.status_code, response.url) == (302, url)
    assert messages_of(response) == ["Đã lưu: 4 ô thay đổi."]
    assert stored(Result, period=mid_year) == {
        ("Thu ngân sách nhà nước trên địa bàn", "Na Rì"): (Decimal("1300"), ""),
        ("Số vụ tai nạn giao thông", "Pác Nặm"): (Decimal("3"), ""),
        ("Hoàn thành chỉ tiêu tuyển quân", "Ba Bể"): (Decimal("0"), ""),
        ("Phong trào thi đua theo chuyên đề được phát động", "Na Rì"): (None, REPORTED),
    }
    heat = heat_statuses(secretary_client.get(mid_year.get_absolute_url()))
    assert heat["Thu ngân sách nhà nước trên địa bàn"] == [
        "exceeded",
        "not_reported",
        "not_reported",
    ]
    # By 30/6, 2 of Pác Nặm's 4 accidents a year are allowed; recruitment is still open.
    assert heat["Số vụ tai nạn giao thông"] == ["not_reported", "not_met", "not_reported"]
    assert heat["Hoàn thành chỉ tiêu tuyển quân"] == ["not_reported", "not_reported", "in_progress"]


def test_a_bad_result_cell_saves_nothing(staff_client, targets, members, commitments, mid_year):
    url = results_url(mid_year)
    data = form_data(staff_client.get(url))
    data[cell(targets, members, "budget", "Na Rì")] = "1.300"
    data[cell(targets, members, "growth", "Ba Bể")] = "9,5 phần trăm"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert input_named(response, cell(targets, members, "budget", "Na Rì")).get("value") == "1.300"
    assert "is-invalid" in input_named(response, cell(targets, members, "growth", "Ba Bể")).get(
        "class"
    )
    assert not Result.objects.exists()


# --- The progress heat table ----------------------------------------------------------------------


def test_the_period_page_shows_each_members_attainment(viewer_client, mid_year, mid_year_results):
    response = viewer_client.get(mid_year.get_absolute_url())
    assert response.status_code == 200
    assert heat_header(response) == ["Na Rì", "Pác Nặm", "Ba Bể"]
    assert heat_statuses(response) == MID_YEAR_HEAT
    assert heat_footer(response) == MID_YEAR_FOOTER
    assert element_text(response, "progress-counts") == (
        "Vượt: 3 · Đạt: 4 · Không đạt: 3 · Đang thực hiện: 1 · Chưa báo cáo: 2"
    )
    assert element_text(response, "heat-yardstick") == (
        "So với 50% cam kết cả năm (tính theo tỷ lệ thời gian đến 30/06/2023); "
        "chỉ tiêu tỷ lệ (%) so với mức cam kết."
    )
    budget = page(response).xpath("//table[@id='heat-table']/tbody/tr[td]")[0].xpath("./td")
    assert [text_of(td) for td in budget] == [
        "1.300 211%", "40 178%", "380 200%", "1.720 3/3 đơn vị đạt",
    ]  # fmt: skip
    assert (
        budget[0].get("title") == "Na Rì — cam kết: 1.234,5; phải đạt đến nay (50%): 617,25; Vượt"
    )
    assert budget[1].get("title") == "Pác Nặm — cam kết: 45; phải đạt đến nay (50%): 22,5; Đạt"
    assert heat_totals(response) == {
        "Thu ngân sách nhà nước trên địa bàn": "1.720 3/3 đơn vị đạt",
        "Tốc độ tăng giá trị sản xuất": "8,75% 2/3 đơn vị đạt",
        "Số vụ tai nạn giao thông": "15 0/3 đơn vị đạt",
        "Hoàn thành chỉ tiêu tuyển quân": "2/3 có 2/3 đơn vị đạt",
        "Phong trào thi đua theo chuyên đề được phát động": "không đánh giá",
    }


def test_budget_revenue_at_55_2_percent_of_the_plan_on_30_june_is_met(
    viewer_client, mid_year, targets, members, commitments
):
    services.commitments_save(
        pledge=mid_year.pledge,
        cells=keyed({("budget", "Ba Bể"): Cell(Decimal("1000"))}, targets, members),
    )
    services.results_save(
        period=mid_year,
        cells=keyed({("budget", "Ba Bể"): Cell(Decimal("552"))}, targets, members),
    )
    response = viewer_client.get(mid_year.get_absolute_url())

    budget = page(response).xpath("//table[@id='heat-table']/tbody/tr[td]")[0].xpath("./td")
    assert budget[2].get("data-status") == "met"
    assert text_of(budget[2]) == "552 110%"
    assert budget[2].get("title") == "Ba Bể — cam kết: 1.000; phải đạt đến nay (50%): 500; Đạt"
    assert budget[2].xpath(".//i[@role='img']")[0].get("aria-label") == "Đạt"


def test_the_year_end_page_judges_against_the_whole_year_as_before(
    viewer_client, year_end, targets, members, commitments
):
    services.results_save(period=year_end, cells=keyed(MID_YEAR, targets, members))
    response = viewer_client.get(year_end.get_absolute_url())

    assert heat_statuses(response) == FULL_YEAR_HEAT
    assert heat_footer(response) == FULL_YEAR_FOOTER
    assert element_text(response, "heat-yardstick") == "So với mức cam kết cả năm."
    budget = page(response).xpath("//table[@id='heat-table']/tbody/tr[td]")[0].xpath("./td")
    assert [text_of(td) for td in budget[:3]] == ["1.300 105%", "40 89%", "380 100%"]
    assert budget[0].get("title") == "Na Rì — cam kết: 1.234,5; Vượt"
    assert budget[1].get("title") == "Pác Nặm — cam kết: 45; Không đạt"


def test_a_period_without_results_is_all_not_reported(staff_client, mid_year, commitments):
    statuses = heat_statuses(staff_client.get(mid_year.get_absolute_url()))
    assert statuses["Thu ngân sách nhà nước trên địa bàn"] == ["not_reported"] * 3
    assert statuses["Phong trào thi đua theo chuyên đề được phát động"] == ["not_reported"] * 3


def test_a_target_without_commitments_shows_no_commitment(staff_client, mid_year, targets):
    statuses = heat_statuses(staff_client.get(mid_year.get_absolute_url()))
    assert statuses["Thu ngân sách nhà nước trên địa bàn"] == ["no_commitment"] * 3


# --- One member with evidence ---------------------------------------------------------------------


def member_url(period, member) -> str:
    return reverse("pledges:period-member", args=[period.pk, member.pk])


def test_a_member_reports_with_an_evidence_file_that_staff_can_download(
    secretary_client, staff_client, outsider_client, mid_year, targets, members, commitments
):
    na_ri, budget = members["Na Rì"], targets["budget"]
    url = member_url(mid_year, na_ri)
    data = form_data(secretary_client.get(url), "//main//form")
    data.update(
        {
            f"v-{budget.pk}": "1.300",
            f"evidence-{budget.pk}": "Báo cáo số 125/BC-UBND ngày 05/7/2023",
            f"file-{budget.pk}": SimpleUploadedFile("bao-cao-6-thang.pdf", PDF),
        }
    )
    response = secretary_client.post(url, data)
    assert (response.status_code, response.url) == (302, url)
    assert messages_of(response) == ["Đã lưu: 1 chỉ tiêu thay đổi."]
    result = Result.objects.get(period=mid_year, member=na_ri, target=budget)
    assert (result.value, result.evidence, result.attachment_name) == (
        Decimal("1300"),
        "Báo cáo số 125/BC-UBND ngày 05/7/2023",
        "bao-cao-6-thang.pdf",
    )

    again = secretary_client.get(url)
    link = page(again).xpath("//a[contains(@href, '/attachment/')]")[0]
    assert text_of(link) == "bao-cao-6-thang.pdf"
    download = staff_client.get(link.get("href"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-6-thang.pdf"'
    assert outsider_client.get(link.get("href")).status_code == 404


def test_ticking_remove_the_file_clears_it(secretary_client, mid_year, targets, members):
    na_ri, budget = members["Na Rì"], targets["budget"]
    url = member_url(mid_year, na_ri)
    data = form_data(secretary_client.get(url), "//main//form")
    data.update({f"v-{budget.pk}": "700", f"file-{budget.pk}": SimpleUploadedFile("a.pdf", PDF)})
    secretary_client.post(url, data)
    data = form_data(secretary_client.get(url), "//main//form")
    data[f"file-{budget.pk}-clear"] = "on"
    response = secretary_client.post(url, data)
    assert response.status_code == 302
    result = Result.objects.get(period=mid_year, member=na_ri, target=budget)
    assert (result.value, result.attachment.name, result.attachment_name) == (
        Decimal("700"),
        "",
        "",
    )
    attachment = reverse("pledges:result-attachment", args=[result.pk])
    assert secretary_client.get(attachment).status_code == 404


def test_a_file_that_is_not_evidence_is_refused_and_nothing_saved(
    secretary_client, mid_year, targets, members
):
    na_ri, budget = members["Na Rì"], targets["budget"]
    url = member_url(mid_year, na_ri)
    data = form_data(secretary_client.get(url), "//main//form")
    data.update(
        {
            f"v-{budget.pk}": "700",
            f"file-{budget.pk}": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 60),
        }
    )
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert input_named(response, f"v-{budget.pk}").get("value") == "700"
    assert "Không nhận loại tệp này." in response.content.decode()
    assert not Result.objects.exists()


def test_a_member_of_another_cluster_has_no_results_page(
    staff_client, mid_year, targets, neighbour_pledge
):
    url = member_url(mid_year, neighbour_pledge["member"])
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url, {f"v-{targets['budget'].pk}": "1"}).status_code == 404
    assert not Result.objects.exists()


def test_an_outsider_cannot_download_evidence_even_by_guessing_ids(
    outsider, foreign_pledge, mid_year, targets, members
):
    services.results_save_member(
        period=mid_year,
        member=members["Na Rì"],
        rows={
            targets["budget"].pk: services.EvidenceRow(
                Cell(Decimal("1")), attachment=SimpleUploadedFile("mat.pdf", PDF)
            )
        },
    )
    result = Result.objects.get()
    response = logged_in(outsider).get(reverse("pledges:result-attachment", args=[result.pk]))
    assert response.status_code == 404


# --- Registrations and signatures -----------------------------------------------------------------


def test_the_secretary_records_title_registrations(secretary_client, secretary, pledge, members):
    url = reverse("pledges:pledge-registrations", args=[pledge.pk])
    response = secretary_client.get(url)
    headers = [text_of(th) for th in page(response).xpath("//table[@id='grid']/thead/tr/th")]
    assert headers == [
        "Đơn vị thành viên",
        "Cờ thi đua của Chính phủ",
        "Cờ thi đua của UBND tỉnh",
        "Tập thể lao động xuất sắc",
        "Tập thể lao động tiên tiến",
        "Số tập thể đăng ký",
        "Số cá nhân đăng ký",
        "Người nhập",
    ]
    government = AwardType.objects.get(name="Cờ thi đua của Chính phủ", body=None)
    na_ri = members["Na Rì"]
    data = form_data(response)
    data.update(
        {
            f"t-{na_ri.pk}-{government.pk}": "on",
            f"collectives-{na_ri.pk}": "1.524",
            f"individuals-{na_ri.pk}": "18.568",
        }
    )
    response = secretary_client.post(url, data)
    assert (response.status_code, response.url) == (302, url)
    assert messages_of(response) == ["Đã lưu: 1 đăng ký thay đổi."]
    registration = Registration.objects.get(pledge=pledge)
    entered = text_of(
        page(secretary_client.get(url)).xpath("//table[@id='grid']/tbody/tr[1]/td[last()]")[0]
    )
    assert entered.startswith(secretary.get_full_name())
    assert (
        registration.member,
        list(registration.titles.all()),
        registration.collectives,
        registration.individuals,
    ) == (na_ri, [government], 1524, 18568)
    again = secretary_client.get(url)
    assert input_named(again, f"individuals-{na_ri.pk}").get("value") == "18.568"


def test_the_registration_grid_offers_the_province_s_own_titles_and_no_other_s(
    staff_client, pledge, body, other_body
):
    def title(name, **fields):
        defaults = {"category": "title", "recipient": "collective", "level": "province"}
        return AwardType.objects.create(name=name, **{**defaults, **fields})

    title("Cờ đơn vị dẫn đầu phong trào thi đua", body=body)
    title("Cờ thi đua của tỉnh Lào Cai", body=other_body)
    title("Danh hiệu đã thôi áp dụng", body=body, is_active=False)
    AwardType.objects.create(
        name="Bằng khen của tỉnh", category="commendation", recipient="both", level="province",
        body=body,
    )  # fmt: skip
    url = reverse("pledges:pledge-registrations", args=[pledge.pk])
    headers = [
        text_of(th) for th in page(staff_client.get(url)).xpath("//table[@id='grid']/thead/tr/th")
    ]
    assert headers[1:-3] == [
        "Cờ thi đua của Chính phủ",
        "Cờ thi đua của UBND tỉnh",
        "Tập thể lao động xuất sắc",
        "Tập thể lao động tiên tiến",
        "Cờ đơn vị dẫn đầu phong trào thi đua",
    ]


def test_a_bad_registration_count_saves_nothing(staff_client, pledge, members):
    url = reverse("pledges:pledge-registrations", args=[pledge.pk])
    data = form_data(staff_client.get(url))
    data[f"collectives-{members['Na Rì'].pk}"] = "12"
    data[f"individuals-{members['Ba Bể'].pk}"] = "nhiều"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    bad = input_named(response, f"individuals-{members['Ba Bể'].pk}")
    assert (bad.get("value"), "is-invalid" in bad.get("class")) == ("nhiều", True)
    assert input_named(response, f"collectives-{members['Na Rì'].pk}").get("value") == "12"
    assert not Registration.objects.exists()


def test_the_secretary_records_who_signed(secretary_client, pledge, members):
    url = reverse("pledges:pledge-signatures", args=[pledge.pk])
    data = form_data(secretary_client.get(url))
    na_ri, pac_nam = members["Na Rì"], members["Pác Nặm"]
    data.update(
        {
            f"signed-{na_ri.pk}": "on",
            f"name-{na_ri.pk}": "Nông Văn Nguyên",
            f"position-{na_ri.pk}": "Chủ tịch UBND huyện Na Rì",
            f"date-{na_ri.pk}": "07/02/2023",
            f"signed-{pac_nam.pk}": "on",
        }
    )
    response = secretary_client.post(url, data)
    assert (response.status_code, response.url) == (302, url)
    assert messages_of(response) == ["Đã lưu: 2 chữ ký thay đổi."]
    assert {
        s.member.unit.short_name: (s.signer_name, s.signer_position, s.signed_on.isoformat())
        for s in Signature.objects.select_related("member__unit")
    } == {
        "Na Rì": ("Nông Văn Nguyên", "Chủ tịch UBND huyện Na Rì", "2023-02-07"),
        "Pác Nặm": ("", "", "2023-02-07"),
    }
    again = secretary_client.get(url)
    assert input_named(again, f"date-{na_ri.pk}").get("value") == "07/02/2023"


def test_the_commitment_fixture_fills_every_cell(pledge, commitments, targets, members):
    # A guard for the other tests: 5 targets × 3 members, exactly as COMMITTED says.
    assert stored(Commitment) == {
        (targets[t].name, m): (c.value, c.text) for (t, m), c in COMMITTED.items()
    }
    assert keyed(COMMITTED, targets, members).keys() == {
        (c.target_id, c.member_id) for c in Commitment.objects.all()
    }
