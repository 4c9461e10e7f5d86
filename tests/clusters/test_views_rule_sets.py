"""The staff's page of rule sets: what votes are counted by."""

import datetime

from django.urls import reverse

from clusters.models import RuleSet, Share, VoteRule

URL = reverse("clusters:ruleset-list")


def _rule_set(body, name, start=datetime.date(2021, 1, 1)):  # noqa: B008 (an immutable date)
    rule_set = RuleSet.objects.create(
        body=body, name=name, legal_basis=f"Quyết định về {name}", effective_from=start
    )
    VoteRule.objects.create(
        rule_set=rule_set, purpose="head", base="present", threshold=Share.TWO_THIRDS
    )
    return rule_set


def test_staff_see_the_national_and_their_own_rule_sets(staff_client, body, other_body):
    _rule_set(body, "Quy chế Bắc Kạn")
    _rule_set(other_body, "Quy chế Lào Cai")
    response = staff_client.get(URL)
    assert response.status_code == 200
    names = [r.name for r in response.context["rule_sets"]]
    assert sorted(names) == ["Quy chế Bắc Kạn", "Quy tắc bỏ phiếu mặc định"]
    html = response.content.decode()
    assert "Quy định mặc định, cần được Sở Nội vụ điều chỉnh theo quy chế của tỉnh" in html
    assert "Quy chế Lào Cai" not in html


def test_secretaries_and_viewers_do_not_see_the_page(secretary_client, viewer_client):
    assert secretary_client.get(URL).status_code == 403
    assert viewer_client.get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_page_keeps_its_queries(staff_client, body, assert_constant_queries):
    # The national default is the first rule set; two of the body's are added.
    def add_two_more():
        _rule_set(body, "Quy chế 2021")
        _rule_set(body, "Quy chế 2023", start=datetime.date(2023, 1, 1))

    _first, second = assert_constant_queries(staff_client, URL, add_two_more=add_two_more)
    assert len(second.context["rule_sets"]) == 3
