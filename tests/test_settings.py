import datetime
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.templatetags.thidua import number, vn_long_date

pytestmark = pytest.mark.django_db


# --- Language ------------------------------------------------------------------------


def test_pages_are_vietnamese_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_the_language_switch_selects_english_until_switched_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/accounts/login/"})
    assert client.get(reverse("login"))["Content-Language"] == "vi"


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(reverse("login"))["Content-Language"] == "vi"


def test_logged_in_pages_follow_the_same_choice(staff_client, cluster):
    response = staff_client.get(reverse("clusters:cluster-list"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert response["Content-Language"] == "vi"
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert staff_client.get(reverse("clusters:cluster-list"))["Content-Language"] == "en"


# --- Formats -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "vietnamese", "english"),
    [
        (18568, None, "18.568", "18,568"),
        (1524, None, "1.524", "1,524"),
        (999, None, "999", "999"),
        (Decimal("1234567.891"), 2, "1.234.567,89", "1,234,567.89"),
        (None, None, "", ""),
    ],
)
def test_the_number_filter_groups_thousands_the_way_the_language_does(
    value, decimals, vietnamese, english
):
    with translation.override("vi"):
        assert number(value, decimals) == vietnamese
    with translation.override("en"):
        assert number(value, decimals) == english


def test_years_are_not_grouped_in_templates():
    with translation.override("vi"):
        rendered = Template("{% load thidua %}{{ year }} {{ count|number }}").render(
            Context({"year": 2023, "count": 18568})
        )
    assert rendered == "2023 18.568"


def test_dates_print_day_first_in_vietnamese():
    with translation.override("vi"):
        rendered = Template('{{ day|date:"SHORT_DATE_FORMAT" }}').render(
            Context({"day": datetime.date(2023, 3, 30)})
        )
    assert rendered == "30/03/2023"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("30/03/2023", datetime.date(2023, 3, 30)),
        ("03/04/2023", datetime.date(2023, 4, 3)),
        ("7/2/2023", datetime.date(2023, 2, 7)),
        ("2023-04-03", datetime.date(2023, 4, 3)),
    ],
)
def test_typed_dates_are_read_day_first(typed, day):
    for language in ("vi", "en"):
        with translation.override(language):
            assert forms.DateField().clean(typed) == day


def test_official_documents_write_dates_with_leading_zeros():
    assert vn_long_date(datetime.date(2023, 2, 7)) == "ngày 07 tháng 02 năm 2023"
    assert vn_long_date(datetime.date(2023, 12, 25)) == "ngày 25 tháng 12 năm 2023"


# --- Production settings ---------------------------------------------------------------


def import_settings(**environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = import_settings(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = import_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_starts_with_a_long_secret_key():
    result = import_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


def test_a_malformed_boolean_setting_is_refused():
    result = import_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the embedded database's own setting",
)
def test_sqlite_writers_queue_for_the_write_lock_instead_of_failing():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
