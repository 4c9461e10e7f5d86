"""Who reaches which pledge page: every URL of pledges/urls.py against every role.

Staff of the body and the year's secretary work; a viewer reads but gets 403 on every
write; staff of another province get 404 everywhere; anonymous users go to the login.
Once signed, the pledge is read-only for the secretary but not for staff, and results
stay open to both.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pledges import services
from pledges.models import Commitment, Pledge, Result, TargetExpectation
from pledges.services import Cell, EvidenceRow
from tests.factories.pledges import MovementFactory
from tests.pledges.helpers import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"

READ_PAGES = [
    "movement-list",
    "pledge-detail",
    "pledge-history",
    "pledge-pdf",
    "pledge-docx",
    "pledge-commitments-xlsx",
    "period-detail",
    "period-results-xlsx",
    "result-attachment",
]
WRITE_PAGES = [
    "movement-create",
    "movement-update",
    "pledge-create",
    "pledge-update",
    "pledge-targets",
    "pledge-commitments",
    "pledge-commitments-import",
    "pledge-registrations",
    "pledge-signatures",
    "period-create",
    "period-results",
    "period-results-import",
    "period-expectations",
    "period-member",
]
POST_ONLY = ["pledge-sign", "pledge-reopen", "pledge-copy-targets"]
MOVEMENT_PAGES = {"movement-list", "movement-create", "movement-update"}
# Pages of the pledge a secretary may no longer change once it is signed.
LOCKED_WHEN_SIGNED = [
    "pledge-update",
    "pledge-targets",
    "pledge-commitments",
    "pledge-commitments-import",
]


@pytest.fixture
def evidence(mid_year, targets, members):
    services.results_save_member(
        period=mid_year,
        member=members["Na Rì"],
        rows={
            targets["budget"].pk: EvidenceRow(
                Cell(Decimal("700")),
                "Báo cáo số 125/BC-UBND",
                attachment=SimpleUploadedFile("bao-cao.pdf", PDF),
            )
        },
    )
    return Result.objects.get(period=mid_year, member=members["Na Rì"])


@pytest.fixture
def urls(pledge, targets, commitments, mid_year, members, evidence, body) -> dict[str, str]:
    movement = MovementFactory(body=body, name="Bắc Kạn chung tay vì người nghèo")
    p, period, member = pledge.pk, mid_year.pk, members["Na Rì"].pk
    return {
        "movement-list": reverse("pledges:movement-list"),
        "movement-create": reverse("pledges:movement-create"),
        "movement-update": reverse("pledges:movement-update", args=[movement.pk]),
        "pledge-create": reverse("pledges:pledge-create", args=[pledge.cluster_year_id]),
        "pledge-detail": reverse("pledges:pledge-detail", args=[p]),
        "pledge-history": reverse("pledges:pledge-history", args=[p]),
        "pledge-update": reverse("pledges:pledge-update", args=[p]),
        "pledge-sign": reverse("pledges:pledge-sign", args=[p]),
        "pledge-reopen": reverse("pledges:pledge-reopen", args=[p]),
        "pledge-targets": reverse("pledges:pledge-targets", args=[p]),
        "pledge-copy-targets": reverse("pledges:pledge-copy-targets", args=[p]),
        "pledge-commitments": reverse("pledges:pledge-commitments", args=[p]),
        "pledge-commitments-xlsx": reverse("pledges:pledge-commitments-xlsx", args=[p]),
        "pledge-commitments-import": reverse("pledges:pledge-commitments-import", args=[p]),
        "pledge-registrations": reverse("pledges:pledge-registrations", args=[p]),
        "pledge-signatures": reverse("pledges:pledge-signatures", args=[p]),
        "period-create": reverse("pledges:period-create", args=[p]),
        "pledge-pdf": reverse("pledges:pledge-pdf", args=[p]),
        "pledge-docx": reverse("pledges:pledge-docx", args=[p]),
        "period-detail": reverse("pledges:period-detail", args=[period]),
        "period-results": reverse("pledges:period-results", args=[period]),
        "period-results-xlsx": reverse("pledges:period-results-xlsx", args=[period]),
        "period-results-import": reverse("pledges:period-results-import", args=[period]),
        "period-member": reverse("pledges:period-member", args=[period, member]),
        "period-expectations": reverse("pledges:period-expectations", args=[period]),
        "result-attachment": reverse("pledges:result-attachment", args=[evidence.pk]),
    }


def test_every_url_of_the_app_is_covered(urls):
    from pledges.urls import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == set(urls)
    assert set(READ_PAGES) | set(WRITE_PAGES) | set(POST_ONLY) == set(urls)


def state():
    return (
        list(Pledge.objects.values_list("status", "theme")),
        sorted(Commitment.objects.values_list("pk", "value")),
        sorted(Result.objects.values_list("pk", "value")),
        sorted(TargetExpectation.objects.values_list("pk", "share_percent")),
    )


# --- Staff and secretary --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in READ_PAGES + WRITE_PAGES if n != "pledge-create"])
def test_staff_open_every_page(staff_client, urls, name):
    assert staff_client.get(urls[name]).status_code == 200


@pytest.mark.parametrize(
    "name", [n for n in READ_PAGES + WRITE_PAGES if n not in MOVEMENT_PAGES | {"pledge-create"}]
)
def test_the_secretary_opens_every_page_of_the_year(secretary_client, urls, name):
    assert secretary_client.get(urls[name]).status_code == 200


def test_opening_the_new_pledge_page_of_a_year_that_has_one_goes_to_the_pledge(
    staff_client, urls, pledge
):
    response = staff_client.get(urls["pledge-create"])
    assert (response.status_code, response.url) == (302, pledge.get_absolute_url())


def test_a_secretary_cannot_manage_movements(secretary_client, urls):
    assert secretary_client.get(urls["movement-create"]).status_code == 403
    assert secretary_client.get(urls["movement-update"]).status_code == 403


# --- Viewer ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", READ_PAGES)
def test_a_viewer_reads_the_pledge(viewer_client, urls, name):
    assert viewer_client.get(urls[name]).status_code == 200


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_a_viewer_gets_403_on_every_write_page(viewer_client, urls, name):
    assert viewer_client.get(urls[name]).status_code == 403


@pytest.mark.parametrize("name", WRITE_PAGES + POST_ONLY)
def test_a_viewer_gets_403_on_every_post_and_nothing_changes(viewer_client, urls, name):
    before = state()
    response = viewer_client.post(urls[name], {"theme": "Bị sửa", "signed_on": "07/02/2023"})
    assert response.status_code == 403
    assert state() == before


# --- Outsider -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in READ_PAGES + WRITE_PAGES if n not in MOVEMENT_PAGES])
def test_an_outsider_gets_404_on_every_page_of_the_pledge(outsider_client, urls, name):
    assert outsider_client.get(urls[name]).status_code == 404


@pytest.mark.parametrize(
    "name", [n for n in WRITE_PAGES + POST_ONLY if n not in MOVEMENT_PAGES - {"movement-update"}]
)
def test_an_outsider_gets_404_on_every_post_and_nothing_changes(outsider_client, urls, name):
    before = state()
    assert outsider_client.post(urls[name], {"theme": "Bị sửa"}).status_code == 404
    assert state() == before


def test_an_outsider_does_not_see_the_provinces_movements(outsider_client, urls):
    response = outsider_client.get(urls["movement-list"])
    assert response.status_code == 200
    assert "Bắc Kạn chung tay vì người nghèo" not in response.content.decode()
    assert outsider_client.get(urls["movement-update"]).status_code == 404


# --- Anonymous ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES + POST_ONLY)
def test_anonymous_users_are_sent_to_the_login(urls, name):
    client = Client()
    for response in (client.get(urls[name]), client.post(urls[name], {"theme": "x"})):
        assert response.status_code == 302
        assert response.url == f"/accounts/login/?next={urls[name]}"


# --- A signed pledge ------------------------------------------------------------------------------


@pytest.fixture
def signed(pledge, signed_pledge):
    return signed_pledge


@pytest.mark.parametrize("name", LOCKED_WHEN_SIGNED)
def test_a_signed_pledge_is_read_only_for_the_secretary(secretary_client, urls, signed, name):
    assert secretary_client.get(urls[name]).status_code == 403
    before = state()
    assert secretary_client.post(urls[name], {"theme": "Bị sửa"}).status_code == 403
    assert state() == before


def test_a_secretary_cannot_copy_targets_into_a_signed_pledge(secretary_client, urls, signed):
    assert secretary_client.post(urls["pledge-copy-targets"], {"source": 1}).status_code == 403


@pytest.mark.parametrize("name", LOCKED_WHEN_SIGNED)
def test_a_signed_pledge_is_frozen_for_staff_too_who_are_told_to_reopen_it(
    staff_client, secretary_client, urls, signed, name
):
    response = staff_client.get(urls[name])
    assert response.status_code == 403
    assert (
        "Giao ước đã được ký ngày 07/02/2023, không thể thay đổi. Hãy mở lại giao ước, "
        "ghi rõ lý do; sau đó giao ước phải được ký lại."
    ) in response.content.decode()
    before = state()
    assert staff_client.post(urls[name], {"theme": "Bị sửa"}).status_code == 403
    assert state() == before
    told = secretary_client.get(urls[name]).content.decode()
    assert "đề nghị cán bộ Ban Thi đua - Khen thưởng mở lại" in told


def test_registrations_and_signatures_are_still_recorded_after_signing(
    secretary_client, urls, signed
):
    assert secretary_client.get(urls["pledge-registrations"]).status_code == 200
    assert secretary_client.get(urls["pledge-signatures"]).status_code == 200


def test_a_secretary_cannot_reopen_a_signed_pledge_but_staff_can(
    secretary_client, staff_client, urls, signed
):
    reason = {"reason": "Nhập nhầm chỉ tiêu 1.2"}
    assert secretary_client.post(urls["pledge-reopen"], reason).status_code == 403
    signed.refresh_from_db()
    assert signed.status == Pledge.Status.SIGNED
    assert staff_client.post(urls["pledge-reopen"], reason).status_code == 302
    signed.refresh_from_db()
    assert signed.status == Pledge.Status.DRAFT


def test_the_secretary_still_enters_results_after_signing(
    secretary_client, urls, signed, targets, members, mid_year
):
    response = secretary_client.get(urls["period-results"])
    assert response.status_code == 200
    field = f"c-{targets['budget'].pk}-{members['Ba Bể'].pk}"
    data = {**form_data(response), field: "401,5"}
    response = secretary_client.post(urls["period-results"], data)
    assert response.status_code == 302
    assert Result.objects.get(
        period=mid_year, target=targets["budget"], member=members["Ba Bể"]
    ).value == Decimal("401.5")
    assert secretary_client.get(urls["period-member"]).status_code == 200
    assert secretary_client.get(urls["period-results-import"]).status_code == 200
    assert secretary_client.get(urls["pledge-signatures"]).status_code == 200
