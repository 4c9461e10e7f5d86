"""The inboxes of the approval chain: counts per level (the list's header, the tabs, the
dashboard), pages by key, the list's filters, and the same queries for 1 or 3 awards."""

import pytest
from django.test import override_settings
from django.urls import reverse

from awards import selectors
from awards.models import Award, RecipientKind
from clusters.models import Stage
from tests.factories import UnitFactory
from tests.factories.awards import AwardFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("awards:inbox")


def waiting(body, stage, *, name, year=2023, status=None, **fields):
    status = status or (Award.Status.PROPOSED if stage == Stage.CLUSTER else Award.Status.SUBMITTED)
    return AwardFactory(
        body=body,
        year=year,
        stage=stage,
        status=status,
        decision=None,
        unit=UnitFactory(body=body, name=name),
        recipient_name=name,
        **fields,
    )


def tabs(response) -> list[tuple[str, int]]:
    return [(key, count) for key, _label, count in response.context["tabs"]]


def names(response) -> list[str]:
    return [award.recipient_name for award in response.context["object_list"]]


def test_each_level_counts_what_waits_there_and_nothing_else(
    client_for, body, other_body, staff, council_secretary, office, secretary, cluster_year
):
    waiting(body, Stage.CLUSTER, name="Huyện Bạch Thông", cluster_year=cluster_year)
    waiting(body, Stage.CLUSTER, name="Xã Đôn Phong", status=Award.Status.RETURNED)
    waiting(body, Stage.BOARD, name="Xã Nông Thượng")
    waiting(body, Stage.COUNCIL, name="Huyện Chợ Mới")
    waiting(body, Stage.COUNCIL, name="Thành phố Bắc Kạn")
    waiting(body, Stage.AUTHORITY, name="Huyện Ngân Sơn")
    AwardFactory(body=body)  # decided: waits nowhere
    waiting(other_body, Stage.BOARD, name="Huyện Bảo Thắng")  # another province's

    assert selectors.inbox_counts(staff) == {
        Stage.CLUSTER: 2,
        Stage.BOARD: 1,
        Stage.COUNCIL: 2,
        Stage.CENTRE: 0,
        Stage.AUTHORITY: 1,
    }
    assert selectors.inbox_counts(council_secretary) == {Stage.COUNCIL: 2}
    assert selectors.inbox_counts(office) == {Stage.AUTHORITY: 1}
    # The secretary's cluster year holds one of the two proposals not yet sent.
    assert selectors.inbox_counts(secretary) == {Stage.CLUSTER: 1}

    response = client_for(council_secretary).get(INBOX)
    assert tabs(response) == [("council", 2)]
    assert names(response) == ["Huyện Chợ Mới", "Thành phố Bắc Kạn"]
    assert names(client_for(secretary).get(INBOX)) == ["Huyện Bạch Thông"]
    assert client_for(office).get(INBOX).context["page_obj"].total == 1


def test_a_level_reads_in_pages_oldest_year_first_with_the_filters(client_for, body, staff):
    for year, name in [(2023, "Xã Côn Minh"), (2022, "Xã Cư Lễ"), (2021, "Xã Hảo Nghĩa")]:
        waiting(body, Stage.BOARD, name=name, year=year)
    client = client_for(staff)
    with override_settings(PAGE_SIZE=2):
        first = client.get(INBOX, {"stage": "board"})
        assert names(first) == ["Xã Hảo Nghĩa", "Xã Cư Lễ"]
        assert first.context["page_obj"].has_next
        second = client.get(INBOX + "?stage=board&" + first.context["page_obj"].next_query)
        assert names(second) == ["Xã Côn Minh"]
        assert not second.context["page_obj"].has_next
    found = client.get(INBOX, {"stage": "board", "q": "cu le"})
    assert names(found) == ["Xã Cư Lễ"]
    assert found.context["page_obj"].total == 1
    assert names(client.get(INBOX, {"stage": "board", "year": "2021"})) == ["Xã Hảo Nghĩa"]
    # The tab stays on its level when filtering.
    assert 'name="stage" value="board"' in found.content.decode()


def test_the_inbox_reads_the_same_queries_for_one_award_as_for_three(
    staff_client, body, assert_constant_queries
):
    waiting(body, Stage.BOARD, name="Huyện Na Rì")

    def add_two_more():
        waiting(body, Stage.BOARD, name="Huyện Ba Bể")
        waiting(body, Stage.BOARD, name="Huyện Pác Nặm", recipient_kind=RecipientKind.UNIT)

    _first, second = assert_constant_queries(
        staff_client, INBOX + "?stage=board", add_two_more=add_two_more, ceiling=8
    )
    assert names(second) == ["Huyện Ba Bể", "Huyện Na Rì", "Huyện Pác Nặm"]


def test_someone_who_acts_at_no_level_is_refused(viewer, client_for):
    assert client_for(viewer).get(INBOX).status_code == 403
