"""The main pages under the Content-Security-Policy, in Chromium: nothing refused (no
``securitypolicyviolation`` event, no console error), and the server-drawn charts in
colour — a chart whose <style> the policy refused would be drawn black.

The demo is loaded once and every page is visited in one browser session; each page is
then its own test, naming the page that fails.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from clusters.models import ClusterYear, OrganizingBody
from pledges.models import Period
from scoring.models import CriteriaSheet
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser]

USERNAME, PASSWORD = "quantri.kiemtra", "Kiem-tra-2023"

# Collected in every page before its own scripts run.
COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
    const what = e.blockedURI || "inline";
    const where = `${e.sourceFile}:${e.lineNumber}`;
    window.cspViolations.push(`${e.effectiveDirective} refused ${what} at ${where}`);
});
"""
# The fill of the first bar (or line) of each chart on the page, as the browser draws it.
CHART_FILLS = """() => Array.from(document.querySelectorAll("figure.chart svg")).map((svg) => {
    const shape = svg.querySelector(".series .rect, .series .line, .series path");
    const style = getComputedStyle(shape);
    return [style.fill, style.stroke];
})"""
NAVY, BLACK = "rgb(31, 58, 95)", "rgb(0, 0, 0)"  # core.charts.PALETTE[0]


def demo_pages() -> dict[str, str]:
    """The main pages, by name: Bắc Kạn's district cluster and the Lào Cai summary of
    2022, which has a chart."""
    year = ClusterYear.objects.get(cluster__name="Cụm thi đua các huyện, thành phố", year=2023)
    last_year = ClusterYear.objects.get(cluster=year.cluster, year=2022)
    pledge = year.pledge
    period = pledge.periods.get(kind=Period.Kind.MID_YEAR)
    sheet = CriteriaSheet.objects.get(cluster_year=last_year)  # approved: results with charts
    draft_sheet = CriteriaSheet.objects.get(cluster_year=year)  # scores still entered
    lao_cai = OrganizingBody.objects.get(short_name="Lào Cai")
    return {
        "login": reverse("login"),
        "dashboard": reverse("reports:dashboard"),
        "cluster-year": year.get_absolute_url(),
        "pledge": pledge.get_absolute_url(),
        "period-results": reverse("pledges:period-results", args=[period.pk]),
        "scores-board": reverse("scoring:criteriasheet-scores", args=[draft_sheet.pk, "board"]),
        "criteria-sheet-results": reverse("scoring:criteriasheet-results", args=[sheet.pk]),
        "summary": reverse("reports:summary") + f"?body={lao_cai.pk}&year=2022",
        "admin": reverse("admin:index"),
        # Where staff unlock a locked account.
        "admin-access-attempts": reverse("admin:axes_accessattempt_changelist"),
    }


PAGES = [
    "login", "dashboard", "cluster-year", "pledge", "period-results",
    "scores-board", "criteria-sheet-results", "summary", "admin", "admin-access-attempts",
]  # fmt: skip


def console_error(message) -> str:
    """The error and where it came from; the admin's pages name no icon, so Chromium's
    own request for /favicon.ico is left out."""
    url = message.location.get("url", "")
    return "" if url.endswith("/favicon.ico") else f"{message.text} ({url})"


@pytest.fixture(scope="module")
def visited(django_db_setup, django_db_blocker, live_server, browser) -> dict[str, dict]:
    """Each page of PAGES by name: its status, the policy it was sent with, what the
    browser refused or logged as an error, and the colours of its charts. The login page
    is visited before logging in through it. The demo is loaded outside any test's
    transaction, so it is flushed again before other tests run."""
    with django_db_blocker.unblock():
        try:
            call_command("seed_demo", stdout=io.StringIO())
            user = UserFactory(username=USERNAME, is_superuser=True, is_staff=True)
            user.set_password(PASSWORD)
            user.save()
            urls = demo_pages()
            assert sorted(urls) == sorted(PAGES)
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            context.add_init_script(COLLECT_VIOLATIONS)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(console_error(m)))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
            found = {}
            for name in PAGES:
                errors.clear()
                response = page.goto(f"{live_server.url}{urls[name]}")
                page.wait_for_load_state("networkidle")
                found[name] = {
                    "status": response.status,
                    "policy": response.headers.get("content-security-policy", ""),
                    "violations": page.evaluate("window.cspViolations"),
                    "errors": [error for error in errors if error],
                    "charts": page.evaluate(CHART_FILLS),
                }
                if name == "login":
                    page.fill("#id_username", USERNAME)
                    page.fill("#id_password", PASSWORD)
                    page.locator("main button[type=submit]").click()
                    page.wait_for_url(f"{live_server.url}/")
            context.close()
        finally:
            call_command("flush", interactive=False, verbosity=0)
    return found


@pytest.mark.parametrize("name", PAGES)
def test_the_page_works_under_the_policy_with_nothing_refused(visited, name):
    page = visited[name]
    assert page["status"] == 200
    assert "default-src 'self'" in page["policy"]
    assert page["violations"] == [], name
    assert page["errors"] == [], name


@pytest.mark.parametrize(
    ("name", "charts"), [("criteria-sheet-results", 2), ("summary", 1), ("dashboard", 0)]
)
def test_charts_are_drawn_in_their_colours_not_black(visited, name, charts):
    fills = visited[name]["charts"]
    assert len(fills) == charts
    for fill, stroke in fills:
        assert BLACK not in (fill, stroke)
    if name == "criteria-sheet-results":
        # The totals: one series of bars in the palette's first colour.
        assert fills[0][0] == NAVY
