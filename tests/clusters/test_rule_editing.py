"""Staff edit the vote rules in the product: their body's rule sets and vote rules, a
superuser the national ones; a rule a held vote followed never changes (a copy as a new
rule set from a later date does), and one body's rule sets never overlap."""

import datetime

import pytest
from django.urls import reverse

from clusters.models import RuleSet, Share, VoteRule
from tests.votes import conftest as vote_fixtures
from tests.votes.helpers import ballots, closed, open_vote
from votes import services as vote_services

# The Bắc Kạn cluster's 2022 year and its year-end meeting of 7/2/2023, as the votes'
# tests build them.
year_2022 = vote_fixtures.year_2022
members = vote_fixtures.members
year_end = vote_fixtures.year_end
flag = vote_fixtures.flag

Purpose = VoteRule.Purpose
LIST_URL = reverse("clusters:ruleset-list")
CREATE_URL = reverse("clusters:ruleset-create")


def edit_url(rule_set):
    return reverse("clusters:ruleset-update", args=[rule_set.pk])


def rule_url(rule):
    return reverse("clusters:voterule-update", args=[rule.pk])


def make_rule_set(body, name="Quy chế Bắc Kạn", start=datetime.date(2023, 1, 1), end=None):  # noqa: B008 (an immutable date)
    rule_set = RuleSet.objects.create(
        body=body,
        name=name,
        legal_basis=f"Quyết định về {name}",
        effective_from=start,
        effective_to=end,
    )
    VoteRule.objects.create(
        rule_set=rule_set, purpose=Purpose.HEAD, base="present", threshold=Share.TWO_THIRDS
    )
    return rule_set


RULE_DATA = {
    "purpose": "head",
    "award_type": "",
    "base": "present",
    "threshold": "two_thirds",
    "threshold_percent": "",
    "quorum": "percent",
    "quorum_percent": "60",
    "selection": "highest",
}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Making rules that votes then follow ---------------------------------------------------


def test_staff_make_a_rule_set_with_a_rule_that_a_later_vote_follows(staff_client, body, year_end):
    response = staff_client.post(
        CREATE_URL,
        {
            "body": body.pk,
            "name": "Quy chế thi đua, khen thưởng tỉnh Bắc Kạn",
            "legal_basis": "Quyết định số 12/2022/QĐ-UBND ngày 30/12/2022 của UBND tỉnh",
            "effective_from": "01/01/2023",
            "effective_to": "",
        },
    )
    rule_set = RuleSet.objects.get(body=body)
    assert response.status_code == 302
    assert response.url == edit_url(rule_set)
    assert (rule_set.effective_from, rule_set.effective_to) == (datetime.date(2023, 1, 1), None)
    response = staff_client.post(reverse("clusters:voterule-create", args=[rule_set.pk]), RULE_DATA)
    assert response.status_code == 302
    rule = VoteRule.objects.get(rule_set=rule_set)
    assert (rule.purpose, rule.base, rule.threshold, rule.quorum, str(rule.quorum_percent)) == (
        "head", "present", "two_thirds", "percent", "60.00"
    )  # fmt: skip

    # The meeting of 7/2/2023 falls after the rule set took effect.
    vote = vote_services.vote_create(meeting=year_end, purpose=Purpose.HEAD, title="Bầu")
    assert vote.rule == rule
    html = staff_client.get(vote.get_absolute_url()).content.decode()
    assert (
        '<p class="mb-1">Từ 2/3 trở lên số đơn vị có mặt; số lượng tối thiểu tham gia: từ '
        "60 % trở lên tổng số đơn vị có quyền bỏ phiếu</p>"
    ) in html
    assert (
        "Quy chế thi đua, khen thưởng tỉnh Bắc Kạn: Quyết định số 12/2022/QĐ-UBND ngày "
        "30/12/2022 của UBND tỉnh"
    ) in html


def test_a_percentage_threshold_needs_its_percentage(staff_client, body):
    rule_set = make_rule_set(body)
    response = staff_client.post(
        reverse("clusters:voterule-create", args=[rule_set.pk]),
        {**RULE_DATA, "purpose": "deputy", "threshold": "percent", "threshold_percent": ""},
    )
    assert response.status_code == 200
    assert not VoteRule.objects.filter(rule_set=rule_set, purpose="deputy").exists()


# --- History is not rewritten -----------------------------------------------------------------


@pytest.fixture
def held(body, year_end, members):
    """The body's rule set of 2023, and a head election held under it and closed."""
    rule_set = make_rule_set(body)
    vote = open_vote(
        year_end, purpose=Purpose.HEAD, candidates=[members["Na Rì"], members["Pác Nặm"]]
    )
    vote = closed(vote, votes={"Na Rì": 5, "Pác Nặm": 1}, **ballots(6, 6, 6))
    return rule_set, vote


IN_USE = (
    "Đã có cuộc bỏ phiếu được tổ chức theo quy tắc này: quy tắc không thể thay đổi nữa, "
    "để kết quả của các cuộc bỏ phiếu đó giữ đúng quy tắc đã dùng để kiểm phiếu. Muốn "
    "thay đổi quy tắc, hãy lập bộ quy tắc mới có hiệu lực từ một ngày sau đó (“Sao chép "
    "thành bộ quy tắc mới”)."
)


def test_a_rule_a_held_vote_followed_cannot_change(staff_client, held):
    rule_set, vote = held
    rule = vote.rule
    assert rule.rule_set == rule_set
    shown = staff_client.get(vote.get_absolute_url()).content.decode()
    assert "Từ 2/3 trở lên số đơn vị có mặt" in shown

    page = staff_client.get(rule_url(rule)).content.decode()
    assert IN_USE in page
    assert reverse("clusters:ruleset-copy", args=[rule_set.pk]) in page
    response = staff_client.post(rule_url(rule), {**RULE_DATA, "threshold": "majority"})
    assert response.status_code == 200
    assert IN_USE in response.content.decode()
    rule.refresh_from_db()
    assert (rule.threshold, rule.quorum) == ("two_thirds", "none")
    assert staff_client.get(vote.get_absolute_url()).content.decode().count(
        "Từ 2/3 trở lên số đơn vị có mặt"
    ) == shown.count("Từ 2/3 trở lên số đơn vị có mặt")


def test_a_rule_a_held_vote_followed_cannot_be_deleted(staff_client, held):
    _rule_set, vote = held
    response = staff_client.post(
        reverse("clusters:voterule-delete", args=[vote.rule.pk]), follow=True
    )
    assert messages_of(response) == [IN_USE]
    assert VoteRule.objects.filter(pk=vote.rule.pk).exists()


def test_a_rule_sets_name_and_legal_basis_stay_once_a_vote_was_held(staff_client, held):
    rule_set, _vote = held
    response = staff_client.post(
        edit_url(rule_set),
        {
            "name": "Tên khác",
            "legal_basis": rule_set.legal_basis,
            "effective_from": "01/01/2023",
            "effective_to": "",
        },
    )
    assert response.status_code == 200
    assert IN_USE in response.content.decode()
    assert RuleSet.objects.get(pk=rule_set.pk).name == "Quy chế Bắc Kạn"


def test_an_unused_rule_is_edited_and_deleted(staff_client, body):
    rule_set = make_rule_set(body)
    rule = rule_set.vote_rules.get()
    response = staff_client.post(rule_url(rule), {**RULE_DATA, "base": "valid"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.base, rule.quorum) == ("valid", "percent")
    response = staff_client.post(reverse("clusters:voterule-delete", args=[rule.pk]))
    assert response.status_code == 302
    assert not rule_set.vote_rules.exists()


def test_the_copy_takes_over_from_a_later_date_with_every_rule(staff_client, held, flag):
    rule_set, vote = held
    form = staff_client.get(reverse("clusters:ruleset-copy", args=[rule_set.pk])).context["form"]
    assert (form["name"].value(), form["legal_basis"].value(), form["body"].value()) == (
        "Quy chế Bắc Kạn", "Quyết định về Quy chế Bắc Kạn", rule_set.body_id
    )  # fmt: skip
    VoteRule.objects.create(
        rule_set=rule_set,
        purpose=Purpose.NOMINATION,
        award_type=flag,
        base="eligible",
        threshold=Share.PERCENT,
        threshold_percent=90,
    )
    response = staff_client.post(
        reverse("clusters:ruleset-copy", args=[rule_set.pk]),
        {
            "body": rule_set.body_id,
            "name": "Quy chế Bắc Kạn 2024",
            "legal_basis": "Quyết định số 05/2024/QĐ-UBND",
            "effective_from": "01/01/2024",
        },
    )
    copy = RuleSet.objects.get(name="Quy chế Bắc Kạn 2024")
    assert response.status_code == 302
    assert response.url == edit_url(copy)
    assert (copy.body_id, copy.effective_from, copy.effective_to) == (
        rule_set.body_id, datetime.date(2024, 1, 1), None
    )  # fmt: skip

    def rows(rs):
        return sorted(
            (r.purpose, r.award_type_id, r.base, r.threshold, r.threshold_percent, r.quorum)
            for r in rs.vote_rules.all()
        )

    assert rows(copy) == rows(rule_set)
    assert len(rows(copy)) == 2
    rule_set.refresh_from_db()
    assert rule_set.effective_to == datetime.date(2023, 12, 31)
    vote.refresh_from_db()
    assert vote.rule.rule_set == rule_set
    # The copy's rules are free to change.
    head = copy.vote_rules.get(purpose="head")
    assert staff_client.post(rule_url(head), {**RULE_DATA, "base": "valid"}).status_code == 302


def test_a_copy_cannot_end_the_source_before_a_vote_held_under_it(staff_client, held):
    rule_set, _vote = held  # the vote was held on 7/2/2023
    response = staff_client.post(
        reverse("clusters:ruleset-copy", args=[rule_set.pk]),
        {
            "body": rule_set.body_id,
            "name": "Quy chế mới",
            "legal_basis": "Quyết định mới",
            "effective_from": "01/02/2023",
        },
    )
    assert response.status_code == 200
    assert "07/02/2023" in response.content.decode()
    assert not RuleSet.objects.filter(name="Quy chế mới").exists()
    assert RuleSet.objects.get(pk=rule_set.pk).effective_to is None


def test_staff_copy_the_national_rules_into_their_bodys_own(staff_client, body):
    national = RuleSet.objects.get(body=None)
    response = staff_client.post(
        reverse("clusters:ruleset-copy", args=[national.pk]),
        {
            "body": body.pk,
            "name": "Quy chế Bắc Kạn",
            "legal_basis": "Quyết định của UBND tỉnh",
            "effective_from": "01/01/2023",
        },
    )
    assert response.status_code == 302
    own = RuleSet.objects.get(body=body)
    assert own.vote_rules.count() == national.vote_rules.count() == 4
    assert RuleSet.objects.get(pk=national.pk).effective_to is None


# --- Who may ------------------------------------------------------------------------------


def test_viewers_and_another_bodys_staff_cannot_edit(
    viewer_client, outsider_client, staff_client, body
):
    rule_set = make_rule_set(body)
    rule = rule_set.vote_rules.get()
    national = RuleSet.objects.get(body=None)
    urls = [
        edit_url(rule_set),
        reverse("clusters:ruleset-copy", args=[rule_set.pk]),
        reverse("clusters:voterule-create", args=[rule_set.pk]),
        rule_url(rule),
    ]
    for client in (viewer_client, outsider_client):
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url, RULE_DATA).status_code == 404
        assert client.post(reverse("clusters:voterule-delete", args=[rule.pk])).status_code == 404
    assert viewer_client.get(CREATE_URL).status_code == 403
    # Only a superuser changes the national rules; staff read them.
    assert staff_client.get(edit_url(national)).status_code == 403
    national_rule = national.vote_rules.first()
    assert staff_client.post(rule_url(national_rule), RULE_DATA).status_code == 403
    assert (
        staff_client.post(reverse("clusters:voterule-delete", args=[national_rule.pk])).status_code
        == 403
    )
    assert VoteRule.objects.filter(pk=national_rule.pk).exists()
    rule.refresh_from_db()
    assert rule.base == "present"


def test_a_superuser_edits_the_national_rules(superuser_client):
    national = RuleSet.objects.get(body=None)
    response = superuser_client.post(
        edit_url(national),
        {
            "name": national.name,
            "legal_basis": "Luật Thi đua, khen thưởng số 06/2022/QH15",
            "effective_from": "01/01/2000",
            "effective_to": "",
        },
    )
    assert response.status_code == 302
    assert RuleSet.objects.get(pk=national.pk).legal_basis.startswith("Luật Thi đua")


def test_the_list_links_to_editing_for_who_may(staff_client, body):
    rule_set = make_rule_set(body)
    national = RuleSet.objects.get(body=None)
    html = staff_client.get(LIST_URL).content.decode()
    assert CREATE_URL in html
    assert edit_url(rule_set) in html
    assert edit_url(national) not in html
    assert reverse("clusters:ruleset-copy", args=[national.pk]) in html


# --- Periods that never overlap ---------------------------------------------------------------


def test_two_rule_sets_of_a_body_may_not_overlap(staff_client, body, other_body):
    make_rule_set(body, start=datetime.date(2023, 1, 1), end=datetime.date(2024, 12, 31))
    data = {
        "body": body.pk,
        "name": "Quy chế 2024",
        "legal_basis": "Quyết định 2024",
        "effective_from": "01/07/2024",
        "effective_to": "",
    }
    response = staff_client.post(CREATE_URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["effective_from"] == [
        "Thời gian hiệu lực trùng với bộ quy tắc “Quy chế Bắc Kạn” (01/01/2023 – 31/12/2024) "
        "của cùng cơ quan: mỗi ngày chỉ một bộ quy tắc của một cơ quan có hiệu lực. Hãy kết "
        "thúc bộ quy tắc đó trước, hoặc chọn thời gian khác."
    ]
    assert not RuleSet.objects.filter(name="Quy chế 2024").exists()
    # From the day after the other ends it is accepted; another body's and the national
    # rule sets do not count.
    make_rule_set(other_body, name="Quy chế Lào Cai", start=datetime.date(2024, 1, 1))
    response = staff_client.post(CREATE_URL, {**data, "effective_from": "01/01/2025"})
    assert response.status_code == 302
    assert RuleSet.objects.get(name="Quy chế 2024").effective_from == datetime.date(2025, 1, 1)


def test_the_rule_set_page_keeps_its_queries(staff_client, body, assert_constant_queries):
    rule_set = make_rule_set(body)

    def add_two_more():
        VoteRule.objects.create(
            rule_set=rule_set, purpose=Purpose.DEPUTY, base="valid", threshold=Share.MAJORITY
        )
        VoteRule.objects.create(
            rule_set=rule_set, purpose=Purpose.QUESTION, base="valid", threshold=Share.MAJORITY
        )

    _first, second = assert_constant_queries(
        staff_client, edit_url(rule_set), add_two_more=add_two_more, ceiling=10
    )
    assert len(second.context["rules"]) == 3


def test_the_admin_shows_rule_sets_but_never_changes_them(superuser_client, held):
    """The admin would bypass the checks that keep a held vote's rule as it was."""
    rule_set, _vote = held
    url = f"/admin/clusters/ruleset/{rule_set.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    name = rule_set.name
    refused = superuser_client.post(url, {"name": "Đổi tên", "legal_basis": "x"})
    assert refused.status_code == 403
    rule_set.refresh_from_db()
    assert rule_set.name == name
    assert superuser_client.get("/admin/clusters/ruleset/add/").status_code == 403
