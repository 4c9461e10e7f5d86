"""Staff edit what their body's rule sets say of each award type — quota, conditions,
places in the ranking, checklist, deadline, chain — a superuser the national ones; a
rule an award was decided under never changes (a copy as a new rule set from a later
date does), and the copy keeps every award rule."""

import datetime
from decimal import Decimal

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse

from awards.models import Award
from clusters import services
from clusters.models import AwardRule, AwardType, Chain, RuleSet, Stage
from clusters.selectors import award_rule_in_force
from tests.factories.awards import (
    AwardFactory,
    AwardRuleFactory,
    DecisionFactory,
    RuleSetFactory,
    award_type,
)

RULE_SET_NAME = "Quy chế thi đua, khen thưởng tỉnh Bắc Kạn"


@pytest.fixture
def en_client(staff_client):
    """The staff's client reading the pages in English (the msgids), so that the
    assertions on wording hold whatever the Vietnamese translation says."""
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return staff_client


@pytest.fixture
def rule_set(body):
    return RuleSetFactory(
        body=body,
        name=RULE_SET_NAME,
        legal_basis="Quyết định số 15/2024/QĐ-UBND ngày 10/5/2024 của UBND tỉnh Bắc Kạn",
        effective_from=datetime.date(2024, 1, 1),
    )


@pytest.fixture
def flag(db):
    return award_type("Cờ thi đua của UBND tỉnh")


@pytest.fixture
def certificate(db):
    return award_type("Bằng khen của UBND tỉnh")


@pytest.fixture
def flag_rule(rule_set, flag):
    return AwardRuleFactory(
        rule_set=rule_set,
        award_type=flag,
        quota_per_cluster=1,
        requires_vote=True,
        ranking_from=1,
        ranking_to=1,
        deadline_day=31,
        deadline_month=3,
        checklist="Tờ trình\nBiên bản họp bình xét",
    )


def page_url(rule_set):
    return reverse("clusters:ruleset-update", args=[rule_set.pk])


def create_url(rule_set):
    return reverse("clusters:awardrule-create", args=[rule_set.pk])


def edit_url(rule):
    return reverse("clusters:awardrule-update", args=[rule.pk])


def delete_url(rule):
    return reverse("clusters:awardrule-delete", args=[rule.pk])


def data(award, **changes):
    """The form as a user fills it for ``award``: one per cluster, after a vote, the
    first place of the ranking, by 31/3 of the year after."""
    return {
        "award_type": award.pk,
        "chain": "province",
        "quota_per_cluster": "1",
        "quota_percent": "",
        "requires_vote": "on",
        "prerequisite": "",
        "prerequisite_years": "1",
        "initiative_level": "",
        "ranking_from": "1",
        "ranking_to": "1",
        "checklist": "Tờ trình\nBiên bản họp bình xét, suy tôn\nBáo cáo thành tích",
        "deadline_day": "31",
        "deadline_month": "3",
        "deadline_next_year": "on",
        **changes,
    }


def row_text(html: str, rule) -> str:
    """The words of the rule's row in the rule set's table, spaces collapsed."""
    (row,) = lxml.html.fromstring(html).xpath(f'//tr[@id="award-rule-{rule.pk}"]')
    return " ".join(" ".join(row.itertext()).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def decided(rule, *, on=datetime.date(2025, 3, 15), **fields):  # noqa: B008 (an immutable date)
    """An award decided on ``on`` under ``rule`` (a unit of the rule set's body)."""
    body = rule.rule_set.body
    return AwardFactory(
        body=body,
        award_type=rule.award_type,
        rule=rule,
        year=on.year - 1,
        decision=DecisionFactory(body=body, signed_on=on),
        **fields,
    )


# --- Making a rule that awards then follow ------------------------------------------------


def test_staff_add_a_rule_that_the_years_awards_then_follow(en_client, body, rule_set, flag):
    response = en_client.post(create_url(rule_set), data(flag))
    rule = AwardRule.objects.get(rule_set=rule_set)
    assert response.status_code == 302
    assert response.url == page_url(rule_set) + "#award-rules"
    assert (
        rule.award_type, rule.chain, rule.quota_per_cluster, rule.quota_percent,
        rule.requires_vote, rule.prerequisite, rule.ranking_from, rule.ranking_to,
    ) == (flag, Chain.PROVINCE, 1, None, True, None, 1, 1)  # fmt: skip
    assert rule.checklist_items() == [
        "Tờ trình",
        "Biên bản họp bình xét, suy tôn",
        "Báo cáo thành tích",
    ]
    assert rule.deadline_for(2024) == datetime.date(2025, 3, 31)
    # An award of 2024 decided in 2025 is judged by it.
    in_force = award_rule_in_force(
        body_id=body.pk, on=datetime.date(2025, 3, 15), award_type_id=flag.pk
    )
    assert in_force == rule

    page = en_client.get(page_url(rule_set)).content.decode()
    assert row_text(page, rule) == (
        "Cờ thi đua của UBND tỉnh Emulation title "
        "Cluster → Ban TĐKT → Council → provincial chairman "
        "At most 1 per cluster and year "
        "A confirmed nomination vote "
        "Place 1 "
        "31/3 of the year after "
        "Tờ trình Biên bản họp bình xét, suy tôn Báo cáo thành tích "
        "Edit Delete"
    )


def test_a_provincial_emulation_fighter_needs_three_years_of_the_grassroots_title(
    en_client, rule_set
):
    provincial = award_type("Chiến sĩ thi đua cấp tỉnh")
    grassroots = award_type("Chiến sĩ thi đua cơ sở")
    response = en_client.post(
        create_url(rule_set),
        data(
            provincial,
            quota_per_cluster="",
            quota_percent="12.5",
            requires_vote="",
            prerequisite=grassroots.pk,
            prerequisite_years="3",
            initiative_level="province",
            ranking_from="",
            ranking_to="",
            deadline_day="15",
            deadline_month="12",
            deadline_next_year="",
            checklist="",
        ),
    )
    assert response.status_code == 302
    rule = AwardRule.objects.get(rule_set=rule_set)
    assert (rule.prerequisite, rule.prerequisite_years, rule.initiative_level) == (
        grassroots, 3, "province"
    )  # fmt: skip
    assert rule.quota_percent == Decimal("12.5")
    assert rule.deadline_for(2024) == datetime.date(2024, 12, 15)
    assert row_text(en_client.get(page_url(rule_set)).content.decode(), rule) == (
        "Chiến sĩ thi đua cấp tỉnh Emulation title "
        "Cluster → Ban TĐKT → Council → provincial chairman "
        "At most 12.5 % of the members "
        "Chiến sĩ thi đua cơ sở in each of the 3 years before "
        "A recognised initiative, province, ministry or sector or wider "
        "— 15/12 of the same year — Edit Delete"
    )


def test_the_percentage_is_typed_the_vietnamese_way(staff_client, rule_set, certificate):
    response = staff_client.post(
        create_url(rule_set),
        data(certificate, quota_percent="12,5", ranking_from="2", ranking_to="3"),
    )
    assert response.status_code == 302
    assert AwardRule.objects.get(rule_set=rule_set).quota_percent == Decimal("12.5")


# --- What is refused, and why ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"deadline_day": "31", "deadline_month": "2"},
            "deadline_day",
            "This day does not exist in that month.",
        ),
        (
            {"deadline_day": "31", "deadline_month": "4"},
            "deadline_day",
            "This day does not exist in that month.",
        ),
        (
            {"deadline_day": "29", "deadline_month": "2"},
            "deadline_day",
            "29/2 comes in leap years only: choose 28/2 or 1/3 so that every year has its "
            "deadline.",
        ),
        ({"deadline_month": "13"}, "deadline_month", "A month is from 1 to 12."),
        (
            {"deadline_month": ""},
            "deadline_month",
            "Give the deadline's day and month, or neither.",
        ),
        (
            {"ranking_from": "3", "ranking_to": "2"},
            "ranking_to",
            "The last place cannot come before the first.",
        ),
        (
            {"ranking_to": ""},
            "ranking_to",
            "Give the first and the last place suggested from the ranking, or neither.",
        ),
        ({"ranking_from": "0"}, "ranking_from", "Places in the ranking start at 1."),
        ({"quota_percent": "150"}, "quota_percent", "A percentage is above 0 and at most 100."),
        ({"quota_percent": "0"}, "quota_percent", "A percentage is above 0 and at most 100."),
        (
            {"quota_per_cluster": "0"},
            "quota_per_cluster",
            "Give at least 1, or leave it empty for no quota.",
        ),
    ],
)
def test_a_rule_that_cannot_hold_is_refused_on_its_field(
    en_client, rule_set, flag, changes, field, message
):
    response = en_client.post(create_url(rule_set), data(flag, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not AwardRule.objects.exists()


def test_only_an_award_for_units_is_suggested_from_the_ranking(en_client, rule_set):
    response = en_client.post(create_url(rule_set), data(award_type("Chiến sĩ thi đua cơ sở")))
    assert response.context["form"].errors["ranking_from"] == [
        "Only an award a member unit may receive is suggested from the ranking."
    ]


def test_an_award_is_not_its_own_prerequisite(en_client, rule_set, flag):
    response = en_client.post(create_url(rule_set), data(flag, prerequisite=flag.pk))
    assert response.context["form"].errors["prerequisite"] == [
        "An award cannot be its own prerequisite."
    ]


def test_a_rule_set_says_once_what_it_says_of_an_award(en_client, rule_set, flag, flag_rule):
    response = en_client.post(create_url(rule_set), data(flag, quota_per_cluster="2"))
    assert response.context["form"].errors["award_type"] == [
        "The rule set already has a rule for this award."
    ]
    assert AwardRule.objects.get().quota_per_cluster == 1


def test_the_services_refuse_what_the_form_would(rule_set, flag):
    """Commands and imports call the services without a form."""
    with pytest.raises(services.ValidationError) as refused:
        services.award_rule_create(
            rule_set=rule_set, award_type=flag, ranking_from=1, deadline_day=31
        )
    assert set(refused.value.message_dict) == {"ranking_to", "deadline_month"}
    assert not AwardRule.objects.exists()


# --- Choices: the national list and the body's own -------------------------------------------


def test_the_choices_are_the_national_list_and_the_bodys_own_in_use(
    staff_client, body, other_body, rule_set
):
    own = AwardType.objects.create(
        body=body, name="Cờ đơn vị dẫn đầu phong trào thi đua", category="title",
        recipient="collective", level="province",
    )  # fmt: skip
    retired = AwardType.objects.create(
        body=body, name="Cờ thi đua cũ", category="title", recipient="collective",
        level="province", is_active=False,
    )  # fmt: skip
    foreign = AwardType.objects.create(
        body=other_body, name="Cờ thi đua của Lào Cai", category="title",
        recipient="collective", level="province",
    )  # fmt: skip
    form = staff_client.get(create_url(rule_set)).context["form"]
    for name in ("award_type", "prerequisite"):
        choices = set(form.fields[name].queryset)
        assert own in choices
        assert award_type("Giấy khen") in choices
        assert retired not in choices
        assert foreign not in choices
    # Another body's award type is not a choice one may post: a 404 like its page.
    assert staff_client.post(create_url(rule_set), data(foreign)).status_code == 404
    assert not AwardRule.objects.exists()
    # A rule naming a type since taken out of use keeps it as a choice.
    rule = AwardRuleFactory(rule_set=rule_set, award_type=retired)
    form = staff_client.get(edit_url(rule)).context["form"]
    assert retired in set(form.fields["award_type"].queryset)


# --- Editing and deleting ------------------------------------------------------------------


def test_an_unused_rule_is_edited_and_deleted(staff_client, rule_set, flag, flag_rule):
    response = staff_client.post(
        edit_url(flag_rule), data(flag, quota_per_cluster="2", chain="state")
    )
    assert response.status_code == 302
    flag_rule.refresh_from_db()
    assert (flag_rule.quota_per_cluster, flag_rule.chain) == (2, "state")
    response = staff_client.post(delete_url(flag_rule))
    assert response.status_code == 302
    assert response.url == page_url(rule_set) + "#award-rules"
    assert not rule_set.award_rules.exists()


def test_the_delete_is_post_only(staff_client, flag_rule):
    assert staff_client.get(delete_url(flag_rule)).status_code == 405
    assert AwardRule.objects.filter(pk=flag_rule.pk).exists()


# --- History is not rewritten ---------------------------------------------------------------


AWARD_IN_USE = (
    "Awards have been decided under this rule: it can no longer change, so that those "
    "decisions keep the rule they were judged by. To change the rules, make a new rule set "
    "effective from a later date (“Copy as a new rule set”)."
)


def test_a_rule_a_decided_award_was_judged_by_never_changes(en_client, rule_set, flag, flag_rule):
    decided(flag_rule)
    page = en_client.get(edit_url(flag_rule)).content.decode()
    assert AWARD_IN_USE in page
    assert reverse("clusters:ruleset-copy", args=[rule_set.pk]) in page

    response = en_client.post(edit_url(flag_rule), data(flag, quota_per_cluster="3"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [AWARD_IN_USE]
    response = en_client.post(delete_url(flag_rule), follow=True)
    assert messages_of(response) == [AWARD_IN_USE]
    flag_rule.refresh_from_db()
    assert flag_rule.quota_per_cluster == 1

    # The rule set's page says so instead of offering to edit it.
    page = en_client.get(page_url(rule_set)).content.decode()
    assert row_text(page, flag_rule).endswith(
        "Awards have been decided under it: it no longer changes."
    )
    assert edit_url(flag_rule) not in page
    assert (
        "Awards have been decided under this rule set: only its end date may still change." in page
    )


@pytest.mark.parametrize("status", [Award.Status.DECIDED, Award.Status.PRESENTED])
def test_decided_and_presented_awards_both_freeze_it(rule_set, flag_rule, status):
    decided(flag_rule, status=status)
    assert services.award_rule_in_use(flag_rule)
    assert services.rule_set_in_use(rule_set)


def test_a_proposal_under_way_keeps_the_rule_from_going_but_not_from_changing(
    en_client, rule_set, flag, certificate, flag_rule
):
    AwardFactory(
        body=rule_set.body,
        award_type=flag,
        rule=flag_rule,
        status=Award.Status.SUBMITTED,
        stage=Stage.BOARD,
        decision=None,
    )
    assert not services.award_rule_in_use(flag_rule)
    assert not services.rule_set_in_use(rule_set)
    response = en_client.post(edit_url(flag_rule), data(flag, quota_per_cluster="2"))
    assert response.status_code == 302
    response = en_client.post(
        edit_url(flag_rule), data(certificate, ranking_from="2", ranking_to="3")
    )
    assert response.context["form"].errors["award_type"] == [
        "Proposals under way follow this rule for its award: add a rule for the other award "
        "instead."
    ]
    response = en_client.post(delete_url(flag_rule), follow=True)
    assert messages_of(response) == [
        "Proposals under way follow this rule: change it instead of deleting it."
    ]
    flag_rule.refresh_from_db()
    assert (flag_rule.award_type, flag_rule.quota_per_cluster) == (flag, 2)


def test_the_rule_sets_name_and_start_stay_once_an_award_was_decided(
    en_client, rule_set, flag_rule
):
    decided(flag_rule, on=datetime.date(2025, 3, 15))
    form = {
        "name": rule_set.name,
        "legal_basis": rule_set.legal_basis,
        "effective_from": "01/01/2024",
        "effective_to": "",
    }
    response = en_client.post(page_url(rule_set), {**form, "name": "Tên khác"})
    assert response.context["form"].non_field_errors() == [
        "Awards have been decided under this rule: it can no longer change, so that those "
        "decisions keep the rule they were judged by. To change the rules, make a new rule "
        "set effective from a later date (“Copy as a new rule set”)."
    ]
    response = en_client.post(page_url(rule_set), {**form, "effective_to": "01/03/2025"})
    assert response.context["form"].errors["effective_to"] == [
        "An award was decided under this rule set on 15/03/2025: it cannot end before that day."
    ]
    response = en_client.post(page_url(rule_set), {**form, "effective_to": "31/12/2025"})
    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert (rule_set.name, rule_set.effective_to) == (RULE_SET_NAME, datetime.date(2025, 12, 31))


def test_the_copy_keeps_every_award_rule_and_takes_over(staff_client, rule_set, flag, flag_rule):
    provincial = award_type("Chiến sĩ thi đua cấp tỉnh")
    AwardRuleFactory(
        rule_set=rule_set,
        award_type=provincial,
        prerequisite=award_type("Chiến sĩ thi đua cơ sở"),
        prerequisite_years=3,
        initiative_level="province",
        quota_percent=Decimal("12.5"),
    )
    award = decided(flag_rule, on=datetime.date(2025, 3, 15))
    response = staff_client.post(
        reverse("clusters:ruleset-copy", args=[rule_set.pk]),
        {
            "body": rule_set.body_id,
            "name": "Quy chế thi đua, khen thưởng năm 2026",
            "legal_basis": "Quyết định số 05/2026/QĐ-UBND",
            "effective_from": "01/01/2026",
        },
    )
    copy = RuleSet.objects.get(name="Quy chế thi đua, khen thưởng năm 2026")
    assert response.status_code == 302

    def rows(rs):
        return [
            tuple(getattr(rule, name) for name in services.AWARD_RULE_FIELDS)
            for rule in rs.award_rules.order_by("pk")
        ]

    assert len(rows(copy)) == 2
    assert rows(copy) == rows(rule_set)
    rule_set.refresh_from_db()
    assert rule_set.effective_to == datetime.date(2025, 12, 31)
    award.refresh_from_db()
    assert award.rule == flag_rule
    # An award decided in 2026 follows the copy, whose rules are free to change.
    flag_copy = copy.award_rules.get(award_type=flag_rule.award_type)
    in_force = award_rule_in_force(
        body_id=rule_set.body_id, on=datetime.date(2026, 3, 1), award_type_id=flag.pk
    )
    assert in_force == flag_copy
    response = staff_client.post(
        edit_url(flag_copy), data(flag_rule.award_type, quota_per_cluster="2")
    )
    assert response.status_code == 302


def test_a_copy_for_another_body_cannot_take_an_award_type_of_the_sources_own(
    superuser_client, body, other_body, rule_set
):
    own = AwardType.objects.create(
        body=body, name="Cờ đơn vị dẫn đầu phong trào thi đua", category="title",
        recipient="collective", level="province",
    )  # fmt: skip
    AwardRuleFactory(rule_set=rule_set, award_type=own)
    superuser_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = superuser_client.post(
        reverse("clusters:ruleset-copy", args=[rule_set.pk]),
        {
            "body": other_body.pk,
            "name": "Quy chế Lào Cai",
            "legal_basis": "Quyết định của UBND tỉnh Lào Cai",
            "effective_from": "01/01/2025",
        },
    )
    assert response.context["form"].errors["body"] == [
        "A rule of this rule set names “Cờ đơn vị dẫn đầu phong trào thi đua”, an award type "
        "of its own body only: copy it for that body, or delete the rule first."
    ]
    assert not RuleSet.objects.filter(name="Quy chế Lào Cai").exists()


# --- Who may -------------------------------------------------------------------------------


def test_outsiders_and_viewers_get_404(viewer_client, outsider_client, flag, rule_set, flag_rule):
    for client in (viewer_client, outsider_client):
        for url in (create_url(rule_set), edit_url(flag_rule)):
            assert client.get(url).status_code == 404
            assert client.post(url, data(flag, quota_per_cluster="5")).status_code == 404
        assert client.post(delete_url(flag_rule)).status_code == 404
        detail = reverse("clusters:ruleset-detail", args=[rule_set.pk])
        assert client.get(detail).status_code == 404
    flag_rule.refresh_from_db()
    assert flag_rule.quota_per_cluster == 1


def test_only_a_superuser_changes_the_national_award_rules(staff_client, superuser_client, flag):
    national = RuleSet.objects.get(body=None)
    rule = AwardRuleFactory(rule_set=national, award_type=flag, quota_per_cluster=1)
    assert staff_client.get(create_url(national)).status_code == 403
    certificate = award_type("Giấy khen")
    assert staff_client.post(create_url(national), data(certificate)).status_code == 403
    assert staff_client.get(edit_url(rule)).status_code == 403
    assert staff_client.post(edit_url(rule), data(flag, quota_per_cluster="4")).status_code == 403
    assert staff_client.post(delete_url(rule)).status_code == 403
    rule.refresh_from_db()
    assert rule.quota_per_cluster == 1
    # Staff read them on the rule set's page.
    page = staff_client.get(reverse("clusters:ruleset-detail", args=[national.pk]))
    assert page.status_code == 200
    assert "Cờ thi đua của UBND tỉnh" in row_text(page.content.decode(), rule)
    assert edit_url(rule) not in page.content.decode()

    response = superuser_client.post(edit_url(rule), data(flag, quota_per_cluster="4"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.quota_per_cluster == 4


def test_the_admin_shows_award_rules_but_never_changes_them(superuser_client, rule_set, flag_rule):
    """The admin would bypass the checks that keep a decided award's rule as it was."""
    decided(flag_rule)
    page = superuser_client.get(f"/admin/clusters/ruleset/{rule_set.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cờ thi đua của UBND tỉnh" in html
    assert 'name="award_rules-0-quota_per_cluster"' not in html
    assert 'name="_save"' not in html
    assert superuser_client.get("/admin/clusters/awardrule/").status_code == 404


# --- Queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["clusters:ruleset-update", "clusters:ruleset-detail"])
def test_the_rule_set_pages_keep_their_queries(
    staff_client, rule_set, flag_rule, assert_constant_queries, name
):
    decided(flag_rule)

    def add_two_more():
        AwardRuleFactory(
            rule_set=rule_set,
            award_type=award_type("Bằng khen của UBND tỉnh"),
            ranking_from=2,
            ranking_to=3,
        )
        decided(
            AwardRuleFactory(
                rule_set=rule_set,
                award_type=award_type("Chiến sĩ thi đua cấp tỉnh"),
                prerequisite=award_type("Chiến sĩ thi đua cơ sở"),
                prerequisite_years=3,
            )
        )

    _first, second = assert_constant_queries(
        staff_client, reverse(name, args=[rule_set.pk]), add_two_more=add_two_more, ceiling=12
    )
    rows = second.context["award_rules"]
    assert [row["rule"].award_type.name for row in rows] == [
        "Cờ thi đua của UBND tỉnh",
        "Chiến sĩ thi đua cấp tỉnh",
        "Bằng khen của UBND tỉnh",
    ]
    assert [row["in_use"] for row in rows] == [True, True, False]


def test_a_deadline_of_29_february_falls_on_28_february_in_a_common_year(rule_set):
    flag = award_type("Cờ thi đua của UBND tỉnh")
    rule = AwardRule(
        rule_set=rule_set,
        award_type=flag,
        deadline_day=29,
        deadline_month=2,
        deadline_next_year=True,
    )
    rule.full_clean(exclude=["chain"])
    assert rule.deadline_for(2023) == datetime.date(2024, 2, 29)
    assert rule.deadline_for(2024) == datetime.date(2025, 2, 28)
