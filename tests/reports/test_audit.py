"""The audit log for staff and the history of a main record: who changed what, when,
old → new; scoped to the bodies a user manages or the records they may read."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from clusters.audit import _fields, audited_models
from clusters.models import Cluster
from pledges import services as pledge_services
from tests.factories import ClusterFactory, ClusterYearFactory
from tests.factories.pledges import PledgeFactory

pytestmark = pytest.mark.django_db

URL = reverse("reports:audit-log")


def history_url(label, pk):
    name = {"pledges.pledge": "pledges:pledge-history"}[label]
    return reverse(name, args=[pk])


def rename(cluster: Cluster, name: str, user) -> None:
    cluster.name = name
    cluster._history_user = user
    cluster.save()


def test_every_audited_model_is_read_by_the_log_and_leads_to_a_body():
    labels = {entry.label for entry in audited_models()}
    assert {"clusters.unit", "pledges.pledge", "scoring.score", "reports.reporttext"} <= labels
    # Accounts and exports belong to no body: only superusers read their history.
    assert [entry.label for entry in audited_models() if entry.body_path is None] == [
        "auth.user",
        "reports.export",
    ]
    assert {"clusters.role", "clusters.organizingbody"} <= labels
    paths = {entry.label: entry.body_path for entry in audited_models()}
    assert paths["meetings.meeting"] == "cluster_year__cluster__body"  # not the optional host
    assert paths["pledges.pledge"] == "cluster_year__cluster__body"


def test_every_value_the_log_shows_is_labelled_in_vietnamese():
    """The trail names each value changed by its field: a field without a label of its
    own showed "import key", "created by" or "user" in the Vietnamese log."""
    untranslated = []
    for entry in audited_models():
        for field in _fields(entry.model):
            with translation.override("en"):
                english = str(field.verbose_name)
            with translation.override("vi"):
                if str(field.verbose_name) == english:
                    untranslated.append(f"{entry.label}.{field.name}: {english}")
    assert untranslated == []


def test_staff_read_who_changed_what_and_the_values_before_and_after(staff_client, staff, cluster):
    rename(cluster, "Cụm thi đua số 1", staff)
    page = staff_client.get(URL, {"model": "clusters.cluster"}).content.decode()
    assert "Cụm thi đua các huyện, thành phố</del> → Cụm thi đua số 1" in page
    assert f"<td>{staff.get_full_name()}</td>" in page
    assert "<strong>Cơ quan tổ chức:</strong> UBND tỉnh Bắc Kạn</li>" in page
    assert page.count("<tr>") == 1 + 2  # the head row, the change and the creation


def test_a_reason_given_is_shown(staff_client, staff, cluster_year):
    pledge = PledgeFactory(cluster_year=cluster_year)
    from pledges.models import Pledge

    pledge.status = Pledge.Status.SIGNED
    pledge.save()
    pledge_services.pledge_reopen(pledge=pledge, reason="Nhập nhầm chỉ tiêu", user=staff)
    page = staff_client.get(history_url("pledges.pledge", pledge.pk)).content.decode()
    assert "Mở lại: Nhập nhầm chỉ tiêu" in page
    with translation.override("vi"):
        signed, draft = str(Pledge.Status.SIGNED.label), str(Pledge.Status.DRAFT.label)
    assert f"{signed}</del> → {draft}" in page


def test_another_bodys_changes_are_not_in_the_log(
    staff_client, staff, cluster, other_cluster, outsider
):
    rename(other_cluster, "Khối của tỉnh khác", outsider)
    page = staff_client.get(URL).content.decode()
    assert "Khối của tỉnh khác" not in page
    assert cluster.name in page


def test_who_was_given_access_is_in_the_log(staff_client, staff, body, viewer):
    from clusters.models import Role

    role = Role.objects.get(user=viewer)
    role.kind = Role.Kind.STAFF
    role._history_user = staff
    role.save()
    page = staff_client.get(URL, {"model": "clusters.role"}).content.decode()
    with translation.override("vi"):
        old, new = str(Role.Kind.VIEWER.label), str(Role.Kind.STAFF.label)
    assert f"{old}</del> → {new}" in page


def test_only_staff_read_the_log(viewer_client, secretary_client, superuser_client, cluster):
    assert viewer_client.get(URL).status_code == 403
    assert secretary_client.get(URL).status_code == 403
    assert cluster.name in superuser_client.get(URL).content.decode()


def test_the_log_filters_by_person_record_and_day(staff_client, staff, superuser, cluster):
    rename(cluster, "Tên do cán bộ sửa", staff)
    rename(cluster, "Tên do quản trị sửa", superuser)
    by_staff = staff_client.get(URL, {"user": "staff"}).content.decode()
    assert "Tên do cán bộ sửa" in by_staff and "Tên do quản trị sửa</del>" not in by_staff
    by_record = staff_client.get(URL, {"record": cluster.pk, "model": "clusters.cluster"})
    assert by_record.content.decode().count("<tr>") == 1 + 3
    nothing = staff_client.get(URL, {"until": "01/01/2000"}).content.decode()
    assert "Chưa có thay đổi nào được ghi nhận." in nothing


def test_the_log_pages_by_time(staff_client, staff, cluster, monkeypatch):
    from reports.views import audit

    monkeypatch.setattr(audit, "PAGE_SIZE", 2)
    for n in range(3):
        rename(cluster, f"Tên {n}", staff)
    first = staff_client.get(URL, {"model": "clusters.cluster"}).content.decode()
    assert "Tên 2" in first and 'id="audit-older"' in first
    link = re.search(r'href="\?([^"]+)" id="audit-older"', first).group(1)
    older = f"{URL}?{html.unescape(link)}"
    second = staff_client.get(older).content.decode()
    assert "Tên 0" in second and "Tên 2</del>" not in second


def test_the_log_takes_as_many_queries_for_one_change_as_for_three(
    staff_client, staff, cluster, assert_constant_queries
):
    def two_more():
        rename(cluster, "Một", staff)
        rename(cluster, "Hai", staff)

    assert_constant_queries(staff_client, URL, add_two_more=two_more, ceiling=40)


def test_a_record_history_is_read_by_whoever_may_read_the_record(
    secretary_client, outsider_client, staff, cluster_year
):
    cluster_year.note = "Ghi chú mới" if hasattr(cluster_year, "note") else ""
    pledge = PledgeFactory(cluster_year=cluster_year, theme="Chủ đề đầu")
    pledge_services.pledge_update(pledge=pledge, theme="Chủ đề sau")
    url = history_url("pledges.pledge", pledge.pk)
    page = secretary_client.get(url).content.decode()
    assert "Chủ đề đầu</del> → Chủ đề sau" in page
    assert outsider_client.get(url).status_code == 404
    assert secretary_client.get(history_url("pledges.pledge", 999999)).status_code == 404


def test_a_bloc_of_another_year_is_still_in_the_log(staff_client, body):
    ClusterYearFactory(cluster=ClusterFactory(body=body, name="Khối các sở"), year=2020)
    assert "Khối các sở" in staff_client.get(URL).content.decode()


@pytest.mark.parametrize(
    "name", ["clusters:unit-history", "clusters:clusteryear-history", "pledges:pledge-history"]
)
def test_each_main_record_has_its_history_page(staff_client, outsider_client, cluster_year, name):
    from clusters.models import Unit

    pk = {
        "clusters:unit-history": lambda: Unit.objects.first().pk,
        "clusters:clusteryear-history": lambda: cluster_year.pk,
        "pledges:pledge-history": lambda: PledgeFactory(cluster_year=cluster_year).pk,
    }[name]()
    url = reverse(name, args=[pk])
    page = staff_client.get(url).content.decode()
    assert "tạo mới" in page
    assert outsider_client.get(url).status_code == 404


def test_the_log_links_a_main_record_to_its_history(staff_client, cluster_year):
    page = staff_client.get(URL, {"model": "clusters.clusteryear"}).content.decode()
    assert f'href="{reverse("clusters:clusteryear-history", args=[cluster_year.pk])}"' in page


def test_a_login_leaves_no_empty_change_in_the_accounts_history(client, staff):
    from django.contrib.auth import get_user_model

    staff.set_password("mật-khẩu-đúng-1")
    staff.save()
    before = get_user_model().history.filter(id=staff.pk).count()
    client.post(reverse("login"), {"username": "staff", "password": "mật-khẩu-đúng-1"})
    staff.refresh_from_db()
    assert staff.last_login is not None
    assert get_user_model().history.filter(id=staff.pk).count() == before


def test_dates_and_numbers_read_the_vietnamese_way(staff_client, staff, cluster_year):
    from pledges.models import Pledge

    pledge = PledgeFactory(cluster_year=cluster_year)
    assert Pledge.objects.get(pk=pledge.pk).signed_on is None
    pledge.signed_on = datetime.date(2023, 2, 7)
    pledge.save()
    page = staff_client.get(history_url("pledges.pledge", pledge.pk)).content.decode()
    assert "<del>—</del> → 07/02/2023" in page


def test_the_date_filters_read_from_and_to_a_day(staff_client):
    """ "From" a day, not "From" an agency (the meeting's participant): the two share the
    English word, not the Vietnamese."""
    page = staff_client.get(URL).content.decode()
    assert '<label class="form-label small" for="id_since">Từ ngày</label>' in page
    assert '<label class="form-label small" for="id_until">Đến ngày</label>' in page
    assert ">Cơ quan</label>" not in page


def test_a_change_names_the_decision_by_its_number_and_a_blank_number_by_its_key(
    staff_client, staff, body
):
    """A decision has no name: it is known by its number ("2021/QĐ-UBND", not "#17"). A
    record whose number is blank (a batch sent without a letter's number) keeps its key."""
    from awards.models import Batch
    from tests.factories.awards import AwardFactory, DecisionFactory

    decision = DecisionFactory(body=body, number="2021/QĐ-UBND")
    AwardFactory(body=body, decision=decision, recipient_name="Huyện Na Rì")
    batch = Batch.objects.create(body=body, number="", submitted_by=staff)
    AwardFactory(body=body, decision=None, status="submitted", stage="board", batch=batch)

    page = html.unescape(staff_client.get(URL, {"model": "awards.award"}).content.decode())

    shown = re.findall(r"<strong>(Quyết định|Đợt trình):</strong> ([^<]*)</li>", page)
    assert sorted(set(shown)) == [("Quyết định", "2021/QĐ-UBND"), ("Đợt trình", f"#{batch.pk}")]
