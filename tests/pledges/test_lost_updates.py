"""Two people on the same pledge grid never lose each other's work.

Every grid page (targets, commitments, a period's results, one member's results, title
registrations, signatures) is opened by staff (A) and the secretary (B) at the same
time. Different cells: both are saved. The same cell: B's save stores nothing and shows
both values; B saving again stores B's value. And on PostgreSQL, many saves at the very
same moment all land.
"""

import threading
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from clusters.models import AwardType
from core.grids import SNAPSHOT_NAME
from pledges import services
from pledges.forms import TargetForm
from pledges.models import Commitment, Result
from tests.pledges.helpers import form_data, input_named, page, text_of

pytestmark = pytest.mark.django_db


@dataclass
class GridPage:
    """One grid page and three of its cells: X (both change it), Y (only B changes it),
    Z (only A changes it); the values are typed as a Vietnamese user types them."""

    url: str
    x: str
    y: str
    z: str
    x_by_a: str
    x_by_b: str
    y_by_b: str
    z_by_a: str
    x_label: str
    extra: dict = field(default_factory=dict)  # anything else the save needs


def cell(targets, members, target: str, member: str) -> str:
    return f"c-{targets[target].pk}-{members[member].pk}"


def budget_label() -> str:
    return "Huyện Na Rì — 1.1 Thu ngân sách nhà nước trên địa bàn"


def commitments_page(pledge, targets, members, **_) -> GridPage:
    return GridPage(
        url=reverse("pledges:pledge-commitments", args=[pledge.pk]),
        x=cell(targets, members, "budget", "Na Rì"),
        y=cell(targets, members, "growth", "Ba Bể"),
        z=cell(targets, members, "campaign", "Pác Nặm"),
        x_by_a="1.500",
        x_by_b="1.300",
        y_by_b="9,5",
        z_by_a="Chuyển đổi số toàn diện",
        x_label=budget_label(),
    )


def results_page(mid_year, targets, members, **_) -> GridPage:
    return GridPage(
        url=reverse("pledges:period-results", args=[mid_year.pk]),
        x=cell(targets, members, "budget", "Na Rì"),
        y=cell(targets, members, "growth", "Ba Bể"),
        z=cell(targets, members, "recruitment", "Pác Nặm"),
        x_by_a="1.500",
        x_by_b="1.300",
        y_by_b="9,5",
        z_by_a="0",
        x_label=budget_label(),
    )


def member_results_page(mid_year, targets, members, **_) -> GridPage:
    return GridPage(
        url=reverse("pledges:period-member", args=[mid_year.pk, members["Na Rì"].pk]),
        x=f"v-{targets['budget'].pk}",
        y=f"evidence-{targets['growth'].pk}",
        z=f"v-{targets['accidents'].pk}",
        x_by_a="1.500",
        x_by_b="1.300",
        y_by_b="Báo cáo số 12/BC-UBND ngày 30/6/2023",
        z_by_a="2",
        x_label=f"Thu ngân sách nhà nước trên địa bàn — {gettext('Actual value')}",
    )


def registrations_page(pledge, members, **_) -> GridPage:
    government = AwardType.objects.get(name="Cờ thi đua của Chính phủ", body=None)
    return GridPage(
        url=reverse("pledges:pledge-registrations", args=[pledge.pk]),
        x=f"collectives-{members['Na Rì'].pk}",
        y=f"t-{members['Ba Bể'].pk}-{government.pk}",
        z=f"individuals-{members['Pác Nặm'].pk}",
        x_by_a="1.500",
        x_by_b="1.300",
        y_by_b="on",
        z_by_a="18.568",
        x_label=f"Huyện Na Rì — {gettext('Collectives registered')}",
    )


def signatures_page(pledge, members, **_) -> GridPage:
    services.signatures_save(pledge=pledge, rows={m.pk: {"signed": True} for m in members.values()})
    na_ri, ba_be, pac_nam = (members[name].pk for name in ("Na Rì", "Ba Bể", "Pác Nặm"))
    return GridPage(
        url=reverse("pledges:pledge-signatures", args=[pledge.pk]),
        x=f"name-{na_ri}",
        y=f"position-{ba_be}",
        z=f"date-{pac_nam}",
        x_by_a="Nông Văn Nguyên",
        x_by_b="Lê Văn Bình",
        y_by_b="Chủ tịch UBND huyện Ba Bể",
        z_by_a="10/02/2023",
        x_label=f"Huyện Na Rì — {gettext('Representative')}",
    )


def targets_page(pledge, targets, **_) -> GridPage:
    return GridPage(
        url=reverse("pledges:pledge-targets", args=[pledge.pk]),
        x="form-0-name",
        y="form-1-unit_of_measure",
        z="form-2-weight",
        x_by_a="Thu ngân sách trên địa bàn",
        x_by_b="Thu ngân sách nhà nước",
        y_by_b="%",
        z_by_a="7,5",
        # A row is named as it is stored now.
        x_label=f"Thu ngân sách trên địa bàn — {TargetForm.base_fields['name'].label}",
    )


PAGES = {
    "commitments": commitments_page,
    "results": results_page,
    "member results": member_results_page,
    "registrations": registrations_page,
    "signatures": signatures_page,
    "targets": targets_page,
}


@pytest.fixture(params=PAGES)
def grid(request, pledge, targets, members, commitments, mid_year) -> GridPage:
    with translation.override("vi"):
        return PAGES[request.param](
            pledge=pledge, targets=targets, members=members, mid_year=mid_year
        )


@pytest.fixture
def a(staff_client) -> Client:
    return staff_client


@pytest.fixture
def b(secretary_client) -> Client:
    return secretary_client


def posted_back(response) -> dict:
    """What the browser posts back for the page; a browser drops the line break Django
    puts after ``<textarea>``."""
    return {
        name: value.removeprefix("\n") if isinstance(value, str) else value
        for name, value in form_data(response).items()
    }


def shown(client: Client, url: str) -> dict:
    """What the page shows now (as the browser would post it back)."""
    return posted_back(client.get(url))


def conflict_lines(response) -> list[str]:
    return [text_of(item) for item in page(response).xpath("//*[@id='grid-conflicts']//li")]


def test_two_people_changing_different_cells_both_keep_their_values(grid, a, b):
    first, second = shown(a, grid.url), shown(b, grid.url)
    y_before = first.get(grid.y)

    response = a.post(grid.url, {**first, grid.x: grid.x_by_a, grid.z: grid.z_by_a})
    assert response.status_code == 302
    response = b.post(grid.url, {**second, grid.y: grid.y_by_b})

    assert response.status_code == 302, conflict_lines(response)
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    now = shown(a, grid.url)
    assert (now.get(grid.x), now.get(grid.y), now.get(grid.z)) == (
        grid.x_by_a,
        grid.y_by_b,
        grid.z_by_a,
    )
    assert y_before != grid.y_by_b


def test_the_same_cell_changed_by_both_saves_nothing_and_shows_both_values(grid, a, b):
    first, second = shown(a, grid.url), shown(b, grid.url)
    y_before = first.get(grid.y)
    a.post(grid.url, {**first, grid.x: grid.x_by_a, grid.z: grid.z_by_a})

    response = b.post(grid.url, {**second, grid.x: grid.x_by_b, grid.y: grid.y_by_b})

    assert response.status_code == 200
    now = shown(a, grid.url)
    assert (now.get(grid.x), now.get(grid.y)) == (grid.x_by_a, y_before)
    with translation.override("vi"):
        expected = gettext("%(cell)s: someone else saved %(theirs)s, you typed %(yours)s") % {
            "cell": grid.x_label,
            "theirs": grid.x_by_a,
            "yours": grid.x_by_b,
        }
    assert conflict_lines(response) == [expected]
    x = input_named(response, grid.x)
    assert (x.get("value") or x.text, x.get("title")) == (grid.x_by_b, expected)
    assert "is-conflict" in x.get("class").split()
    again = posted_back(response)
    # What B typed elsewhere is kept; what only A changed shows A's value.
    assert (again.get(grid.y), again.get(grid.z)) == (grid.y_by_b, grid.z_by_a)

    response = b.post(grid.url, again)

    assert response.status_code == 302, conflict_lines(response)
    now = shown(a, grid.url)
    assert (now.get(grid.x), now.get(grid.y), now.get(grid.z)) == (
        grid.x_by_b,
        grid.y_by_b,
        grid.z_by_a,
    )


def test_after_invalid_cells_the_page_still_guards_what_it_first_showed(
    a, b, pledge, targets, members, commitments
):
    url = reverse("pledges:pledge-commitments", args=[pledge.pk])
    first, second = shown(a, url), shown(b, url)
    x, y = cell(targets, members, "budget", "Na Rì"), cell(targets, members, "growth", "Ba Bể")
    a.post(url, {**first, x: "1.500"})

    response = b.post(url, {**second, y: "nhiều"})
    assert response.status_code == 200
    corrected = {**form_data(response), y: "9,5"}
    assert corrected[SNAPSHOT_NAME] == second[SNAPSHOT_NAME]

    assert b.post(url, corrected).status_code == 302
    now = shown(a, url)
    assert (now[x], now[y]) == ("1.500", "9,5")


# --- Pages without a snapshot and the services -------------------------------------------------


def test_a_page_without_its_snapshot_is_checked_before_anything_is_saved(
    b, pledge, targets, members, commitments
):
    url = reverse("pledges:pledge-commitments", args=[pledge.pk])
    data = shown(b, url)
    del data[SNAPSHOT_NAME]
    name = cell(targets, members, "budget", "Na Rì")

    response = b.post(url, {**data, name: "1.300"})

    assert response.status_code == 200
    with translation.override("vi"):
        expected = gettext("%(cell)s: the saved value is %(theirs)s, you typed %(yours)s") % {
            "cell": budget_label(),
            "theirs": "1.234,5",
            "yours": "1.300",
        }
    assert conflict_lines(response) == [expected]
    assert shown(b, url)[name] == "1.234,5"
    assert b.post(url, form_data(response)).status_code == 302
    assert shown(b, url)[name] == "1.300"


def test_two_people_ticking_different_titles_of_one_member_both_count(a, b, pledge, members):
    url = reverse("pledges:pledge-registrations", args=[pledge.pk])
    government, province = (
        AwardType.objects.get(name=name, body=None)
        for name in ("Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh")
    )
    na_ri = members["Na Rì"].pk
    first, second = shown(a, url), shown(b, url)
    a.post(url, {**first, f"t-{na_ri}-{government.pk}": "on"})
    assert b.post(url, {**second, f"t-{na_ri}-{province.pk}": "on"}).status_code == 302
    registration = pledge.registrations.get(member_id=na_ri)
    assert set(registration.titles.all()) == {government, province}


def test_deleting_a_target_someone_else_renamed_saves_nothing(a, b, pledge, targets):
    url = reverse("pledges:pledge-targets", args=[pledge.pk])
    first, second = shown(a, url), shown(b, url)
    index = next(i for i in range(10) if second[f"form-{i}-id"] == str(targets["campaign"].pk))
    a.post(url, {**first, f"form-{index}-name": "Phong trào thi đua chuyên đề"})

    response = b.post(url, {**second, f"form-{index}-DELETE": "on"})

    assert response.status_code == 200
    assert pledge.targets.filter(name="Phong trào thi đua chuyên đề").exists()
    with translation.override("vi"):
        expected = gettext("%(cell)s: someone else saved %(theirs)s, you delete the row") % {
            "cell": f"Phong trào thi đua chuyên đề — {TargetForm.base_fields['name'].label}",
            "theirs": "Phong trào thi đua chuyên đề",
        }
    assert conflict_lines(response) == [expected]


def test_imports_and_commands_save_without_a_snapshot(pledge, targets, members, commitments):
    key = (targets["budget"].pk, members["Na Rì"].pk)
    assert services.commitments_save(pledge=pledge, cells={key: services.Cell(1)}) == 1


# --- Truly simultaneous saves (PostgreSQL) -----------------------------------------------------


def at_once(clients: list[Client], url: str, changes: list[dict]) -> list:
    """Open ``url`` in every client, then post each client's ``changes`` at the same
    moment, each thread on its own database connection; the answers in client order."""
    start = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def save(index: int) -> None:
        try:
            data = posted_back(clients[index].get(url))
            start.wait(timeout=30)
            answers[index] = clients[index].post(url, {**data, **changes[index]})
        except Exception as error:  # noqa: BLE001 — the caller's assertions show it
            answers[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def logged_in_clients(count: int, *users) -> list[Client]:
    clients = []
    for index in range(count):
        client = Client()
        client.force_login(users[index % len(users)])
        clients.append(client)
    return clients


# Skipped before any database set-up on SQLite. No serialized rollback: reloading the
# migrations' rows clashes with the content types an earlier transactional test's flush
# put back, and these tests need none of those rows.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks and concurrent connections",
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_saves_of_different_cells_at_the_same_moment_all_land(
    staff, secretary, pledge, targets, members, commitments
):
    url = reverse("pledges:pledge-commitments", args=[pledge.pk])
    names = [
        cell(targets, members, target, member)
        for target in ("budget", "growth", "accidents")
        for member in ("Na Rì", "Ba Bể", "Pác Nặm")
    ][:8]

    answers = at_once(
        logged_in_clients(8, staff, secretary),
        url,
        [{name: f"{index + 1}0"} for index, name in enumerate(names)],
    )

    assert [getattr(answer, "status_code", answer) for answer in answers] == [302] * 8
    stored = {
        cell(targets, members, key, row.member.unit.short_name): row.value
        for key, target in targets.items()
        for row in Commitment.objects.filter(target=target).select_related("member__unit")
    }
    assert [stored[name] for name in names] == [Decimal(f"{i + 1}0") for i in range(8)]


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_four_first_values_of_one_empty_cell_at_the_same_moment_keep_exactly_one(
    staff, secretary, year_end, targets, members
):
    url = reverse("pledges:period-results", args=[year_end.pk])
    name = cell(targets, members, "budget", "Na Rì")

    answers = at_once(
        logged_in_clients(4, staff, secretary), url, [{name: f"{i + 1}00"} for i in range(4)]
    )

    codes = sorted(getattr(answer, "status_code", answer) for answer in answers)
    assert codes == [200, 200, 200, 302]
    saved = next(i for i, answer in enumerate(answers) if answer.status_code == 302)
    assert [
        row.value for row in Result.objects.filter(period=year_end, target=targets["budget"])
    ] == [Decimal(f"{saved + 1}00")]
    for answer in answers:
        if answer.status_code == 200:
            assert len(conflict_lines(answer)) == 1
