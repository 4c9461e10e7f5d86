"""The award-type catalogue: its two lists kept apart on one page, a body's own award
types added and changed by its staff, the national ones by a superuser only; what
history reads of a type (name, catalogue, level) stays once an award of it is decided."""

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse

from clusters import services
from clusters.forms import AwardRuleForm
from clusters.models import AwardType
from tests.factories.awards import AwardFactory, DecisionFactory, RuleSetFactory, award_type

LIST_URL = reverse("clusters:awardtype-list")
CREATE_URL = reverse("clusters:awardtype-create")

NATIONAL_TITLES = [
    "Cờ thi đua của Chính phủ",
    "Cờ thi đua của UBND tỉnh",
    "Tập thể lao động xuất sắc",
    "Tập thể lao động tiên tiến",
    "Chiến sĩ thi đua toàn quốc",
    "Chiến sĩ thi đua cấp tỉnh",
    "Chiến sĩ thi đua cơ sở",
    "Lao động tiên tiến",
]
NATIONAL_COMMENDATIONS = [
    "Huân chương Lao động hạng Nhất",
    "Huân chương Lao động hạng Nhì",
    "Huân chương Lao động hạng Ba",
    "Bằng khen của Thủ tướng Chính phủ",
    "Bằng khen của UBND tỉnh",
    "Giấy khen",
]


@pytest.fixture
def en_client(staff_client):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return staff_client


def own_type(body, name="Cờ đơn vị dẫn đầu phong trào thi đua", **fields):
    return AwardType.objects.create(
        body=body,
        name=name,
        category=fields.pop("category", "title"),
        recipient=fields.pop("recipient", "collective"),
        level=fields.pop("level", "province"),
        **fields,
    )


def edit_url(award_type):
    return reverse("clusters:awardtype-update", args=[award_type.pk])


def data(**changes):
    """A body's own flag, as its staff fill the form."""
    return {
        "name": "Cờ đơn vị dẫn đầu phong trào thi đua",
        "short_name": "Cờ dẫn đầu",
        "category": "title",
        "level": "province",
        "recipient": "collective",
        "for_households": "",
        "annual": "on",
        "decided_by": "Chủ tịch UBND tỉnh",
        "legal_basis": "Quyết định số 15/2024/QĐ-UBND",
        "criteria": "Tặng đơn vị dẫn đầu phong trào thi đua theo chuyên đề do tỉnh phát động.",
        "order": "3",
        "is_active": "on",
        **changes,
    }


def names(response, category) -> list[str]:
    (catalogue,) = [c for c in response.context["catalogues"] if c["category"] == category]
    return [row["type"].name for row in catalogue["rows"]]


def row_text(html: str, award_type) -> str:
    (row,) = lxml.html.fromstring(html).xpath(f'//tr[@id="award-type-{award_type.pk}"]')
    return " ".join(" ".join(row.itertext()).split())


# --- The page ----------------------------------------------------------------------------


def test_the_two_catalogues_are_two_tables(en_client, body, other_body):
    own = own_type(body, order=3, decided_by="Chủ tịch UBND tỉnh")
    foreign = own_type(other_body, name="Cờ thi đua của tỉnh Lào Cai")
    response = en_client.get(LIST_URL)
    assert response.status_code == 200
    titles = list(NATIONAL_TITLES)
    # Its order is 3, that of Tập thể lao động xuất sắc, and its name sorts first.
    titles.insert(titles.index("Tập thể lao động xuất sắc"), own.name)
    assert names(response, "title") == titles
    assert names(response, "commendation") == NATIONAL_COMMENDATIONS
    html = response.content.decode()
    (titles_table,) = lxml.html.fromstring(html).xpath('//section[@id="catalogue-title"]')
    assert titles_table.xpath(".//h2")[0].text_content() == "Emulation title"
    assert foreign.name not in html
    assert row_text(html, award_type("Bằng khen của UBND tỉnh")) == (
        "Bằng khen của UBND tỉnh Bằng khen tỉnh Ministry, sector or province "
        "Chủ tịch UBND tỉnh Collective or individual and households By occasion "
        "Luật Thi đua, khen thưởng số 06/2022/QH15 — National"
    )
    assert row_text(html, own) == (
        "Cờ đơn vị dẫn đầu phong trào thi đua Ministry, sector or province Chủ tịch UBND tỉnh "
        "Collective Yearly — — Bắc Kạn Edit"
    )
    # Staff change their own award types, not the national ones.
    assert edit_url(own) in html
    assert edit_url(award_type("Giấy khen")) not in html
    assert CREATE_URL in html


def test_a_superuser_sees_and_changes_every_list(superuser_client, body, other_body):
    own = own_type(body)
    foreign = own_type(other_body, name="Cờ thi đua của tỉnh Lào Cai")
    html = superuser_client.get(LIST_URL).content.decode()
    for shown in (own, foreign, award_type("Giấy khen")):
        assert edit_url(shown) in html


def test_secretaries_and_viewers_do_not_see_the_page(secretary_client, viewer_client):
    assert secretary_client.get(LIST_URL).status_code == 403
    assert viewer_client.get(LIST_URL).status_code == 403
    assert viewer_client.get(CREATE_URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_page_keeps_its_queries(staff_client, body, assert_constant_queries):
    own_type(body)

    def add_two_more():
        own_type(body, name="Tập thể tiêu biểu xuất sắc")
        own_type(body, name="Giấy khen của Ban Thi đua", category="commendation")

    _first, second = assert_constant_queries(staff_client, LIST_URL, add_two_more=add_two_more)
    assert len(second.context["award_types"]) == len(NATIONAL_TITLES + NATIONAL_COMMENDATIONS) + 3


# --- A body's own award types ----------------------------------------------------------------


def test_staff_add_their_bodys_own_award_type_and_their_rules_may_name_it(
    staff_client, body, other_body
):
    response = staff_client.post(CREATE_URL, data(body=body.pk))
    own = AwardType.objects.get(name="Cờ đơn vị dẫn đầu phong trào thi đua")
    assert response.status_code == 302
    assert response.url == LIST_URL + "#catalogue-title"
    assert (
        own.body, own.category, own.level, own.recipient, own.annual, own.for_households,
        own.decided_by, own.legal_basis, own.order, own.is_active,
    ) == (
        body, "title", "province", "collective", True, False,
        "Chủ tịch UBND tỉnh", "Quyết định số 15/2024/QĐ-UBND", 3, True,
    )  # fmt: skip
    # The body's rule sets offer it; another body's do not.
    mine = RuleSetFactory(body=body)
    theirs = RuleSetFactory(body=other_body)
    offered = staff_client.get(reverse("clusters:awardrule-create", args=[mine.pk])).context["form"]
    assert own in set(offered.fields["award_type"].queryset)
    assert own not in set(AwardRuleForm(user=None, rule_set=theirs).fields["award_type"].queryset)


def test_the_catalogue_is_chosen_from_the_link(staff_client):
    form = staff_client.get(CREATE_URL + "?category=commendation").context["form"]
    assert form["category"].value() == "commendation"


def test_staff_may_not_add_to_another_bodys_list_or_the_national_one(staff_client, other_body):
    assert staff_client.post(CREATE_URL, data(body=other_body.pk)).status_code == 404
    response = staff_client.post(CREATE_URL, data(body=""))
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert not AwardType.objects.filter(name="Cờ đơn vị dẫn đầu phong trào thi đua").exists()


def test_a_name_already_offered_is_refused_whatever_its_case(en_client, body):
    response = en_client.post(CREATE_URL, data(body=body.pk, name="cờ thi đua của  UBND tỉnh"))
    assert response.context["form"].errors["name"] == [
        "The national list already has “Cờ thi đua của UBND tỉnh”."
    ]
    own_type(body)
    shouted = "CỜ ĐƠN VỊ DẪN ĐẦU PHONG TRÀO THI ĐUA"
    response = en_client.post(CREATE_URL, data(body=body.pk, name=shouted))
    assert response.context["form"].errors["name"] == [
        "UBND tỉnh Bắc Kạn already has “Cờ đơn vị dẫn đầu phong trào thi đua” in its own list."
    ]
    assert AwardType.objects.filter(body=body).count() == 1


def test_staff_change_their_own_and_take_it_out_of_use(staff_client, body):
    own = own_type(body)
    response = staff_client.post(
        edit_url(own), data(name="Cờ thi đua dẫn đầu phong trào", is_active="", annual="")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.is_active, own.annual, own.body) == (
        "Cờ thi đua dẫn đầu phong trào", False, False, body
    )  # fmt: skip
    assert "body" not in staff_client.get(edit_url(own)).context["form"].fields


def test_what_history_reads_of_a_type_stays_once_an_award_of_it_is_decided(en_client, body):
    own = own_type(body, decided_by="Chủ tịch UBND tỉnh")
    AwardFactory(body=body, award_type=own, decision=DecisionFactory(body=body))
    message = (
        "Awards of this type have been decided: its name, catalogue and level no longer "
        "change, so that those awards read as they were granted. Add a new award type and "
        "take this one out of use instead."
    )
    assert message in en_client.get(edit_url(own)).content.decode()
    for change in ({"name": "Tên khác"}, {"level": "grassroots"}, {"category": "commendation"}):
        response = en_client.post(edit_url(own), data(**change))
        assert response.context["form"].non_field_errors() == [message]
    # The rest may change: its criteria, who decides it, whether it is still in use.
    response = en_client.post(
        edit_url(own), data(decided_by="Chủ tịch UBND tỉnh Bắc Kạn", is_active="")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.level, own.decided_by, own.is_active) == (
        "Cờ đơn vị dẫn đầu phong trào thi đua", "province", "Chủ tịch UBND tỉnh Bắc Kạn", False
    )  # fmt: skip


def test_the_service_keeps_its_list(body):
    own = services.award_type_save(
        body=body, name="Cờ đơn vị dẫn đầu", category="title", level="province", recipient="both"
    )
    assert own.body == body
    services.award_type_save(award_type=own, body=None, short_name="Cờ dẫn đầu")
    own.refresh_from_db()
    assert (own.body, own.short_name) == (body, "Cờ dẫn đầu")


# --- Who may -------------------------------------------------------------------------------


def test_outsiders_and_viewers_get_404_for_a_bodys_own(viewer_client, outsider_client, body):
    own = own_type(body)
    for client in (viewer_client, outsider_client):
        assert client.get(edit_url(own)).status_code == 404
        assert client.post(edit_url(own), data(name="Tên khác")).status_code == 404
    own.refresh_from_db()
    assert own.name == "Cờ đơn vị dẫn đầu phong trào thi đua"


def test_only_a_superuser_changes_the_national_list(staff_client, superuser_client):
    national = award_type("Tập thể lao động tiên tiến")
    form = {
        **data(name=national.name, level="grassroots", decided_by="Thủ trưởng cơ quan"),
        "criteria": "Đạt tiêu chuẩn theo Điều 27 Luật Thi đua, khen thưởng",
    }
    assert staff_client.get(edit_url(national)).status_code == 403
    assert staff_client.post(edit_url(national), form).status_code == 403
    national.refresh_from_db()
    assert national.criteria == ""
    response = superuser_client.post(edit_url(national), form)
    assert response.status_code == 302
    national.refresh_from_db()
    assert (national.body, national.criteria) == (
        None, "Đạt tiêu chuẩn theo Điều 27 Luật Thi đua, khen thưởng"
    )  # fmt: skip


def test_a_superuser_adds_to_the_national_list(superuser_client):
    response = superuser_client.post(
        CREATE_URL, data(body="", name="Kỷ niệm chương", category="commendation", annual="")
    )
    assert response.status_code == 302
    added = AwardType.objects.get(name="Kỷ niệm chương")
    assert (added.body, added.category, added.annual) == (None, "commendation", False)
