"""The score grids and the member page: saving, errors in place, stale forms, approval."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from scoring import services
from scoring.models import Level, Score


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read English texts; pages answer in the language of the cookie.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def grid_url(sheet, level="self"):
    return reverse("scoring:criteriasheet-scores", args=[sheet.pk, level])


def cell(criterion, member):
    return f"c-{criterion.pk}-{member.pk}"


def grid_post(response, **cells):
    """The grid's form as the browser would send it, with some cells retyped."""
    form = response.context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data.update(cells)
    return data


def test_the_grid_shows_criteria_by_section_and_members_as_columns(staff_client, sheet, members):
    response = staff_client.get(grid_url(sheet))

    assert response.status_code == 200
    form = response.context["form"]
    assert [section.title for section, _rows in form.rows()] == [
        "I. Thực hiện nhiệm vụ chính trị",
        "II. Công tác thi đua, khen thưởng",
        "Bonus points",
        "Deductions",
    ]
    assert [m.unit.short_name for m in form.grid.members] == ["Na Rì", "Pác Nặm", "Ba Bể"]
    assert len([name for name in form.fields if name.startswith("c-")]) == 7 * 3
    assert form["revision"].value() == 0
    assert 'class="table table-bordered grid-table score-grid js-grid"' in response.content.decode()


def test_typed_scores_are_saved_with_vietnamese_decimals(
    staff_client, sheet, criteria, members, settings
):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    url = grid_url(sheet, "cluster")
    page = staff_client.get(url)
    data = grid_post(
        page,
        **{
            cell(criteria["Kinh tế"], members["Na Rì"]): "37,5",
            cell(criteria["Ngân sách"], members["Ba Bể"]): "19",
        },
    )

    response = staff_client.post(url, data, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert len(response.context["messages"]) == 1
    assert sorted(Score.objects.values_list("cluster_score", flat=True)) == [
        Decimal("19"),
        Decimal("37.5"),
    ]
    assert response.context["form"][cell(criteria["Kinh tế"], members["Na Rì"])].value() == "37,5"


def test_one_bad_cell_saves_nothing_and_keeps_every_typed_value(
    staff_client, sheet, criteria, members
):
    url = grid_url(sheet)
    page = staff_client.get(url)
    typed = {
        cell(criteria["Kinh tế"], members["Na Rì"]): "38",
        cell(criteria["Ngân sách"], members["Na Rì"]): "25",  # max 20
        cell(criteria["Phong trào"], members["Ba Bể"]): "abc",
    }

    response = staff_client.post(url, grid_post(page, **typed))

    assert response.status_code == 200
    assert not Score.objects.exists()
    form = response.context["form"]
    for name, value in typed.items():
        assert form[name].value() == value
    assert form.cell_errors() == [
        "Na Rì — 1.2 Ngân sách: At most 20.00 points.",
        "Ba Bể — 2.1 Phong trào: “abc” is not a number.",
    ]
    html = response.content.decode()
    assert "Nothing was saved." in html
    assert 'aria-invalid="true"' in html


def test_two_secretaries_saving_the_same_grid_do_not_overwrite_each_other(
    client_for, staff, secretary, sheet, criteria, members
):
    url = grid_url(sheet, "cluster")
    first, second = client_for(secretary), client_for(staff)
    economy, budget = criteria["Kinh tế"], criteria["Ngân sách"]
    na_ri, ba_be = members["Na Rì"], members["Ba Bể"]
    page_one, page_two = first.get(url), second.get(url)  # both load revision 0

    saved = first.post(url, grid_post(page_one, **{cell(economy, na_ri): "35"}))
    refused = second.post(
        url,
        grid_post(page_two, **{cell(economy, na_ri): "30", cell(budget, ba_be): "18,5"}),
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    score = Score.objects.get()
    assert (score.member, score.criterion, score.cluster_score) == (na_ri, economy, Decimal(35))
    html = refused.content.decode()
    assert "Someone else saved scores of this sheet after you opened the page" in html
    changes = refused.context["form"].stale_changes
    assert [(c.member, c.criterion, c.old, c.new, c.user) for c in changes] == [
        (na_ri, economy, None, Decimal(35), secretary)
    ]
    assert (
        "<li><strong>Na Rì</strong> — Kinh tế: Cluster-verified "
        '<span class="old-value">—</span> → <span class="new-value">35</span> '
        f'<span class="text-muted">({secretary.get_full_name()}, '
    ) in html
    # The second user's entries are still on screen, now at the current revision.
    form = refused.context["form"]
    assert form[cell(economy, na_ri)].value() == "30"
    assert form[cell(budget, ba_be)].value() == "18,5"
    assert form["revision"].value() == "1"
    assert "is-conflict" in html

    again = second.post(url, grid_post(refused))
    assert again.status_code == 302
    assert Score.objects.get(criterion=budget).cluster_score == Decimal("18.5")
    assert Score.objects.get(criterion=economy).cluster_score == Decimal(30)


def test_a_stale_form_takes_others_values_in_cells_the_user_did_not_touch(
    client_for, staff, secretary, sheet, criteria, members
):
    url = grid_url(sheet, "cluster")
    first, second = client_for(secretary), client_for(staff)
    economy, budget = criteria["Kinh tế"], criteria["Ngân sách"]
    na_ri = members["Na Rì"]
    page_one, page_two = first.get(url), second.get(url)
    first.post(url, grid_post(page_one, **{cell(economy, na_ri): "35"}))

    refused = second.post(url, grid_post(page_two, **{cell(budget, na_ri): "20"}))

    form = refused.context["form"]
    assert form[cell(economy, na_ri)].value() == "35"  # not reverted to empty
    assert form[cell(budget, na_ri)].value() == "20"
    second.post(url, grid_post(refused))
    assert {s.criterion.name: s.cluster_score for s in Score.objects.all()} == {
        "Kinh tế": Decimal(35),
        "Ngân sách": Decimal(20),
    }


def test_the_member_page_saves_self_scores_with_evidence(
    secretary_client, sheet, criteria, members
):
    na_ri = members["Na Rì"]
    url = reverse("scoring:criteriasheet-member", args=[sheet.pk, na_ri.pk])
    page = secretary_client.get(url)
    data = grid_post(
        page,
        **{
            f"v-{criteria['Kinh tế'].pk}": "39",
            f"e-{criteria['Kinh tế'].pk}": "Báo cáo số 125/BC-UBND ngày 15/12/2023",
            f"v-{criteria['Kỷ luật'].pk}": "10",
        },
    )

    response = secretary_client.post(url, data)

    assert response.status_code == 302
    assert sorted(
        Score.objects.filter(member=na_ri).values_list("criterion__name", "self_score", "evidence")
    ) == [
        ("Kinh tế", Decimal(39), "Báo cáo số 125/BC-UBND ngày 15/12/2023"),
        ("Kỷ luật", Decimal(10), ""),
    ]


def test_a_member_of_another_cluster_is_not_found(staff_client, sheet, other_cluster):
    other_member = other_cluster.years.get().members.get()
    url = reverse("scoring:criteriasheet-member", args=[sheet.pk, other_member.pk])

    assert staff_client.get(url).status_code == 404


def test_an_unknown_level_is_not_found(staff_client, sheet):
    assert staff_client.get(grid_url(sheet, "province")).status_code == 404


def test_board_scores_are_entered_by_staff_only(secretary_client, staff_client, sheet):
    assert secretary_client.get(grid_url(sheet, "board")).status_code == 403
    assert secretary_client.get(grid_url(sheet, "cluster")).status_code == 200
    assert staff_client.get(grid_url(sheet, "board")).status_code == 200


def test_a_secretary_of_another_year_may_look_but_not_score(client_for, other_secretary, sheet):
    client = client_for(other_secretary)

    assert client.get(sheet.get_absolute_url()).status_code == 200
    assert client.get(grid_url(sheet)).status_code == 403


@pytest.fixture
def approved(sheet, criteria, members, enter, year_end_meeting, secretary):
    enter(sheet, Level.BOARD, {(criteria["Kinh tế"], members["Na Rì"]): 38}, user=secretary)
    services.ranking_approve(sheet=sheet, meeting=year_end_meeting)
    return sheet


def test_after_approval_the_secretary_is_refused(secretary_client, approved, members):
    url = grid_url(approved, "self")

    assert secretary_client.get(url).status_code == 403
    assert secretary_client.post(url, {"revision": approved.revision}).status_code == 403
    member_url = reverse("scoring:criteriasheet-member", args=[approved.pk, members["Na Rì"].pk])
    assert secretary_client.get(member_url).status_code == 403


def test_after_approval_staff_too_are_told_to_reopen_before_changing_a_score(
    staff_client, staff, approved, criteria, members
):
    url = grid_url(approved, "board")
    refused = staff_client.get(url)
    assert refused.status_code == 403
    assert 'id="refusal-reason"' in refused.content.decode()
    name = cell(criteria["Kinh tế"], members["Na Rì"])
    assert staff_client.post(url, {name: "36", "revision": approved.revision}).status_code == 403
    assert Score.objects.get().board_score == Decimal(38)

    reopen = reverse("scoring:criteriasheet-reopen", args=[approved.pk])
    staff_client.post(reopen)  # no reason: refused with a message
    approved.refresh_from_db()
    assert approved.is_approved
    staff_client.post(reopen, {"reason": "Ban TĐKT thẩm định lại hồ sơ"})
    approved.refresh_from_db()
    assert not approved.is_approved

    page = staff_client.get(url)
    saved = staff_client.post(url, grid_post(page, **{name: "36"}))
    assert saved.status_code == 302
    assert Score.objects.get().board_score == Decimal(36)
    history = staff_client.get(
        reverse("scoring:criteriasheet-history", args=[approved.pk])
    ).content.decode()
    assert "Ban TĐKT thẩm định lại hồ sơ" in history


def test_a_posted_cell_of_another_clusters_sheet_is_not_found(
    staff_client, sheet, criteria, other_cluster
):
    from tests.factories.scoring import CriterionFactory

    foreign_member = other_cluster.years.get().members.get()
    foreign_criterion = CriterionFactory()
    url = grid_url(sheet, "board")
    page = staff_client.get(url)

    for name in (
        cell(criteria["Kinh tế"], foreign_member),
        cell(foreign_criterion, foreign_member),
    ):
        response = staff_client.post(url, grid_post(page, **{name: "5"}))
        assert response.status_code == 404
    assert not Score.objects.exists()


def test_a_posted_line_of_another_sheet_on_the_member_page_is_not_found(
    staff_client, sheet, members
):
    from tests.factories.scoring import CriterionFactory

    url = reverse("scoring:criteriasheet-member", args=[sheet.pk, members["Na Rì"].pk])
    page = staff_client.get(url)

    response = staff_client.post(url, grid_post(page, **{f"v-{CriterionFactory().pk}": "5"}))

    assert response.status_code == 404


def test_the_stale_warning_says_when_the_page_was_opened(
    client_for, staff, secretary, sheet, criteria, members
):
    url = grid_url(sheet, "self")
    first, second = client_for(secretary), client_for(staff)
    page_one, page_two = first.get(url), second.get(url)
    first.post(url, grid_post(page_one, **{cell(criteria["Kinh tế"], members["Ba Bể"]): "1"}))
    data = grid_post(page_two, loaded_at="2023-12-05T10:32:00+07:00")

    refused = second.post(url, data)

    assert "Changed since you opened the page at 10:32:" in refused.content.decode()
