from urllib.parse import quote

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.http import HttpRequest
from django.urls import reverse

from clusters.models import Role
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def account_data(body, **overrides):
    data = {
        "body": body.pk,
        "kind": "secretary",
        "full_name": "Lương Văn Thành",
        "position": "Văn phòng HĐND và UBND huyện Na Rì",
        "username": "thuky.nari",
        "email": "thuky.nari@example.vn",
        "password1": "Cum-thi-dua-2023",
        "password2": "Cum-thi-dua-2023",
    }
    return {**data, **overrides}


def usernames(response) -> list[str]:
    return [role.user.username for role in response.context["object_list"]]


# --- Accounts ----------------------------------------------------------------------


def test_staff_list_the_accounts_of_their_body(staff_client, staff, viewer, outsider):
    response = staff_client.get(reverse("clusters:account-list"))
    assert response.status_code == 200
    assert usernames(response) == ["staff", "viewer"]
    assert 'id="account-table"' in response.content.decode()


def test_staff_of_another_body_list_only_their_own_accounts(outsider_client, staff, viewer):
    assert usernames(outsider_client.get(reverse("clusters:account-list"))) == ["outsider"]


def test_the_account_list_uses_the_same_queries_for_one_or_three_accounts(
    staff_client, body, assert_constant_queries
):
    def add_two_more():
        RoleFactory(body=body, kind=Role.Kind.VIEWER, user=UserFactory(username="viewer.a"))
        RoleFactory(body=body, kind=Role.Kind.SECRETARY, user=UserFactory(username="thuky.b"))

    first, second = assert_constant_queries(
        staff_client, reverse("clusters:account-list"), add_two_more=add_two_more
    )
    assert usernames(first) == ["staff"]
    assert usernames(second) == ["staff", "thuky.b", "viewer.a"]


def test_staff_create_a_secretary_account(staff_client, body, client):
    url = reverse("clusters:account-create")
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, account_data(body))
    assert response.status_code == 302
    assert response.url == reverse("clusters:account-list")
    user = get_user_model().objects.get(username="thuky.nari")
    role = Role.objects.get(user=user)
    assert (role.body, role.kind, role.position, user.get_full_name(), user.email) == (
        body,
        "secretary",
        "Văn phòng HĐND và UBND huyện Na Rì",
        "Lương Văn Thành",
        "thuky.nari@example.vn",
    )
    # Login throttling (django-axes) needs the request that asks to log in.
    assert client.login(request=HttpRequest(), username="thuky.nari", password="Cum-thi-dua-2023")


def test_a_taken_user_name_is_shown_again_and_nothing_saved(staff_client, body, staff):
    users_before = get_user_model().objects.count()
    response = staff_client.post(
        reverse("clusters:account-create"), account_data(body, username="STAFF")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["username"]
    assert get_user_model().objects.count() == users_before


def test_different_passwords_are_reported_on_the_second_one(staff_client, body):
    response = staff_client.post(
        reverse("clusters:account-create"), account_data(body, password2="Khac-nhau-2023")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["password2"]
    assert not get_user_model().objects.filter(username="thuky.nari").exists()


def test_an_account_cannot_be_created_in_another_body(outsider_client, body):
    response = outsider_client.post(reverse("clusters:account-create"), account_data(body))
    assert response.status_code == 404
    assert not get_user_model().objects.filter(username="thuky.nari").exists()


@pytest.mark.parametrize("who", ["viewer_client", "secretary_client"])
def test_only_staff_manage_accounts(request, who, body):
    client = request.getfixturevalue(who)
    assert client.get(reverse("clusters:account-list")).status_code == 403
    assert client.get(reverse("clusters:account-create")).status_code == 403
    assert client.post(reverse("clusters:account-create"), account_data(body)).status_code == 403
    assert not get_user_model().objects.filter(username="thuky.nari").exists()


# --- Logging in and out --------------------------------------------------------------

EVERY_PAGE = [
    ("reports:dashboard", []),
    ("reports:search", []),
    ("clusters:unit-list", []),
    ("clusters:unit-create", []),
    ("clusters:unit-detail", [1]),
    ("clusters:unit-update", [1]),
    ("clusters:unitsuccession-create", [1]),
    ("clusters:cluster-list", []),
    ("clusters:cluster-create", []),
    ("clusters:cluster-detail", [1]),
    ("clusters:cluster-update", [1]),
    ("clusters:clusteryear-create", [1]),
    ("clusters:clusteryear-list", []),
    ("clusters:clusteryear-detail", [1]),
    ("clusters:clusteryear-update", [1]),
    ("clusters:account-list", []),
    ("clusters:account-create", []),
    ("password_change", []),
]
EVERY_POST_ACTION = [
    ("clusters:unitsuccession-delete", [1]),
    ("clusters:clusteryear-roll-over", [1]),
]


@pytest.mark.parametrize(("name", "args"), EVERY_PAGE)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={quote(url)}"


@pytest.mark.parametrize(("name", "args"), EVERY_POST_ACTION)
def test_an_anonymous_post_is_sent_to_the_login_page_and_changes_nothing(
    client, cluster_year, name, args
):
    response = client.post(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert type(cluster_year).objects.count() == 1


def test_a_user_logs_in_with_a_password_and_lands_on_the_dashboard(client, staff):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "staff", "password": "secret-pass-123"})
    assert response.status_code == 302
    assert response.url == reverse("reports:dashboard")
    assert int(client.session[SESSION_KEY]) == staff.pk


def test_a_wrong_password_keeps_the_visitor_out(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert SESSION_KEY not in client.session


def test_logging_out_takes_a_post(staff_client):
    assert staff_client.get(reverse("logout")).status_code == 405
    assert SESSION_KEY in staff_client.session
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert SESSION_KEY not in staff_client.session
    assert staff_client.get(reverse("reports:dashboard")).status_code == 302


def test_a_user_changes_their_password(staff_client, staff):
    response = staff_client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "Mat-khau-moi-2025",
            "new_password2": "Mat-khau-moi-2025",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    staff.refresh_from_db()
    assert staff.check_password("Mat-khau-moi-2025")
