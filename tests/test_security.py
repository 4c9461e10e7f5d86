"""What the product enforces against a hostile user: login throttling, the
Content-Security-Policy and Permissions-Policy headers, and a clean deploy check."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.charts import bar_chart
from tests.scoring import conftest as scoring

# The scoring app's fixtures: a cluster year's criteria sheet with board scores.
members, sheet, criteria, enter, scored = (
    scoring.members,
    scoring.sheet,
    scoring.criteria,
    scoring.enter,
    scoring.scored,
)

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.20"
LOCKED_VI = (
    "Nhập sai mật khẩu quá nhiều lần: tài khoản này bị khóa đăng nhập từ địa chỉ của "
    "bạn trong 15 phút. Vui lòng thử lại sau hoặc liên hệ Ban Thi đua - Khen thưởng để "
    "được mở khóa."
)
WRONG_VI = (  # Django's own "wrong user name or password"
    "và mật khẩu chính xác. Chú ý rằng cả hai khung thông tin đều phân biệt chữ hoa và chữ thường."
)

# django-csp writes the directives in no fixed order; each is compared exactly.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), "
    "usb=(), xr-spatial-tracking=()"
)


def log_in(client, username, password, address=HERE):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def csp(response) -> dict[str, str]:
    """The response's Content-Security-Policy, directive by directive."""
    directives = [part.split(" ", 1) for part in response["Content-Security-Policy"].split("; ")]
    assert len({name for name, _value in directives}) == len(directives)
    return dict(directives)


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def locked(staff):
    """``staff`` after six wrong passwords from HERE: five allowed, the sixth locks."""
    client = Client()
    for _ in range(6):
        response = log_in(client, "staff", "wrong-password")
    assert response.status_code == 429
    return response


# --- Login throttling -----------------------------------------------------------------


def test_five_wrong_passwords_are_refused_as_wrong_and_the_right_one_still_logs_in(staff):
    client = Client()
    for _ in range(5):
        response = log_in(client, "staff", "wrong-password")
        assert response.status_code == 200
        assert WRONG_VI in text(response)
        assert "bị khóa" not in text(response)
    response = log_in(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("reports:dashboard")
    assert logged_in_as(client) == str(staff.pk)


def test_a_successful_login_starts_the_count_again(staff):
    client = Client()
    for _ in range(5):
        log_in(client, "staff", "wrong-password")
    assert log_in(client, "staff", PASSWORD).status_code == 302
    client = Client()
    for _ in range(5):
        assert log_in(client, "staff", "wrong-password").status_code == 200
    assert log_in(client, "staff", PASSWORD).status_code == 302


def test_the_sixth_wrong_password_locks_the_account_from_that_address(staff):
    client = Client()
    for _ in range(5):
        log_in(client, "staff", "wrong-password")
    response = log_in(client, "staff", "wrong-password")
    assert response.status_code == 429
    assert LOCKED_VI in text(response)
    assert '<a class="btn btn-outline-secondary w-100" href="/accounts/login/">' in (
        response.content.decode()
    )
    assert AccessAttempt.objects.get(username="staff", ip_address=HERE).failures_since_start == 6


def test_the_right_password_is_refused_while_locked(locked, staff):
    client = Client()
    response = log_in(client, "staff", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_VI in text(response)
    assert logged_in_as(client) is None


def test_the_lock_message_follows_the_language_switch(locked, staff):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = log_in(client, "staff", PASSWORD)
    assert (
        "Too many wrong passwords: logging in to this account from your address is locked "
        "for 15 minutes. Try again later, or ask the Emulation and Commendation Board to "
        "unlock it."
    ) in text(response)


def test_another_address_is_not_locked(locked, staff):
    client = Client()
    response = log_in(client, "staff", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert logged_in_as(client) == str(staff.pk)


def test_another_account_from_the_same_address_is_not_locked(locked, viewer):
    client = Client()
    assert log_in(client, "viewer", PASSWORD).status_code == 302
    assert logged_in_as(client) == str(viewer.pk)


def test_the_lock_lasts_the_configured_minutes(staff, settings):
    settings.AXES_COOLOFF_TIME = settings.AXES_COOLOFF_TIME * 2
    client = Client()
    for _ in range(6):
        response = log_in(client, "staff", "wrong-password")
    assert "bị khóa đăng nhập từ địa chỉ của bạn trong 30 phút" in text(response)


def test_the_reset_command_unlocks_the_account(locked, staff):
    call_command("axes_reset_username", "staff", stdout=io.StringIO())
    client = Client()
    assert log_in(client, "staff", PASSWORD).status_code == 302
    assert logged_in_as(client) == str(staff.pk)


def test_a_superuser_unlocks_the_account_in_the_admin(locked, staff, superuser_client):
    attempt = AccessAttempt.objects.get(username="staff")
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "staff" in superuser_client.get(changelist).content.decode()
    response = superuser_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client = Client()
    assert log_in(client, "staff", PASSWORD).status_code == 302
    assert logged_in_as(client) == str(staff.pk)


def test_behind_a_proxy_the_address_comes_from_the_configured_header(staff, settings):
    # What THIDUA_CLIENT_IP_HEADER=X-Real-IP configures.
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
    proxy = "10.0.0.2"
    client = Client(HTTP_X_REAL_IP=HERE)
    for _ in range(6):
        log_in(client, "staff", "wrong-password", address=proxy)
    assert AccessAttempt.objects.get().ip_address == HERE
    assert log_in(client, "staff", PASSWORD, address=proxy).status_code == 429
    # Another client behind the same proxy is not locked.
    other = Client(HTTP_X_REAL_IP=ELSEWHERE)
    assert log_in(other, "staff", PASSWORD, address=proxy).status_code == 302


# --- Content-Security-Policy and Permissions-Policy -------------------------------------


@pytest.mark.parametrize("name", ["login", "password_change"])
def test_pages_carry_the_policies_before_and_after_logging_in(name, staff_client):
    client = staff_client if name != "login" else Client()
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert csp(response) == CSP
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_dashboard_carries_the_policies(staff_client, cluster_year):
    response = staff_client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert csp(response) == CSP
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_lock_page_and_a_404_carry_the_policies(locked, outsider_client, cluster_year):
    assert csp(locked) == CSP
    assert locked["Permissions-Policy"] == PERMISSIONS_POLICY
    response = outsider_client.get(cluster_year.get_absolute_url())
    assert response.status_code == 404
    assert csp(response) == CSP
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_page_with_charts_allows_exactly_their_styles_by_nonce(viewer_client, scored):
    response = viewer_client.get(reverse("scoring:criteriasheet-results", args=[scored.pk]))
    assert response.status_code == 200
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]{24})'", csp(response)["style-src"])[1]
    assert csp(response) == {**CSP, "style-src": f"'self' 'nonce-{nonce}'"}
    html = response.content.decode()
    styles = re.findall(r"<style[^>]*>", html)
    assert len(styles) == 2  # the totals and the groups charts
    assert set(styles) == {f'<style type="text/css" nonce="{nonce}">'}
    assert " style=" not in html
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    # Each request gets its own nonce.
    again = viewer_client.get(reverse("scoring:criteriasheet-results", args=[scored.pk]))
    assert csp(again)["style-src"].startswith("'self' 'nonce-")
    assert nonce not in again["Content-Security-Policy"]
    # The charts drawn again (their markup kept from the first time) carry the new one.
    renewed = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]{24})'", csp(again)["style-src"])[1]
    styles = re.findall(r"<style[^>]*>", again.content.decode())
    assert styles == [f'<style type="text/css" nonce="{renewed}">'] * 2


def test_the_chart_tag_leaves_a_chart_without_a_request_as_it_is():
    svg = mark_safe(  # as the views hand charts to templates
        bar_chart(categories=["Na Rì"], series=[("Điểm", [95])], description="Tổng điểm")
    )
    template = Template("{% load thidua %}{% chart svg %}")
    assert template.render(Context({"svg": svg})) == svg
    request = RequestFactory().get("/")
    request.csp_nonce = "abc123"
    drawn = template.render(Context({"svg": svg, "request": request}))
    assert re.findall(r"<style[^>]*>", drawn) == ['<style type="text/css" nonce="abc123">']
    assert 'style="opacity: 0"' in svg and " style=" not in drawn
    assert drawn.count("<rect") == svg.count("<rect")


# --- The deploy check -----------------------------------------------------------------

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-test-only-secret-key-that-is-long-enough-0123456789",
    "DJANGO_ALLOWED_HOSTS": "thidua.example.gov.vn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://thidua.example.gov.vn",
    "CACHE_REDIS_URL": "redis://redis:6379/1",
}


def deploy_check(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "THIDUA_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env={**base, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_with_production_settings():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_deploy_check_fails_without_a_cache_shared_by_the_workers():
    result = deploy_check(CACHE_REDIS_URL="")
    assert result.returncode == 1
    assert "(votes.E001)" in result.stderr
    assert "Set CACHE_REDIS_URL" in result.stderr


def test_the_deploy_check_fails_without_hsts_and_the_ssl_redirect():
    result = deploy_check(DJANGO_HSTS_SECONDS="0", DJANGO_SSL_REDIRECT="false")
    assert result.returncode == 1
    assert "(security.W004)" in result.stderr
    assert "(security.W008)" in result.stderr


def test_production_redirects_to_https_and_trusts_the_proxy_header():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)",
        ],
        cwd=Path(settings.BASE_DIR),
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "THIDUA_"))},
            **PRODUCTION,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Scheme=https",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True 31536000 ('HTTP_X_FORWARDED_SCHEME', 'https')"


def test_a_lock_of_no_failures_or_no_minutes_is_refused_at_start():
    for variable in ("THIDUA_LOGIN_FAILURES", "THIDUA_LOGIN_LOCK_MINUTES"):
        result = deploy_check(**{variable: "0"})
        assert result.returncode == 1
        assert (
            "ImproperlyConfigured: THIDUA_LOGIN_FAILURES and THIDUA_LOGIN_LOCK_MINUTES "
            "must be at least 1."
        ) in result.stderr
