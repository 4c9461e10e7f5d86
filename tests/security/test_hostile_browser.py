"""Pages showing stored hostile text, opened in Chromium: no script of the text runs.

Province A of tests/security/conftest.py is built with hostile markup in place of its
marker in every text, then every HTML page of its URLs (tests/security/crawl.py) is
opened in a real browser, which must not open a single dialog.
"""

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from clusters.models import Role
from tests.security.conftest import build_side
from tests.security.crawl import patterns

pytestmark = [pytest.mark.browser]

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def _poison(marker: str) -> int:
    """Put hostile markup in place of ``marker`` in every stored text; how many texts."""
    count = 0
    for model in apps.get_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        for obj in model.objects.all():
            changes = {}
            for index, field in enumerate(fields):
                value = getattr(obj, field.attname)
                if not isinstance(value, str) or marker not in value:
                    continue
                poisoned = value.replace(marker, HOSTILE[(index + obj.pk) % len(HOSTILE)])
                if field.max_length is None or len(poisoned) <= field.max_length:
                    changes[field.attname] = poisoned
            if changes:
                model.objects.filter(pk=obj.pk).update(**changes)
                count += len(changes)
    return count


def test_no_stored_script_runs_on_any_page(transactional_db, live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    side = build_side("A")
    assert _poison(side.marker) > 30
    client = Client()
    client.force_login(side.users[Role.Kind.STAFF])
    pages = []
    for pattern in patterns()[0]:
        for url in pattern.urls(side):
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages.append(url)
    assert len(pages) > 30

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME,
          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    shown = 0
    for url in pages:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        shown += HOSTILE[0] in page.inner_text("body")
    assert dialogs == []
    assert shown, "no page showed the hostile text as text"
