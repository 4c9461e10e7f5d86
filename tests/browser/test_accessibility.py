"""axe-core on every main page of the demo site, as the province's staff sees it: no
violation of impact "critical" or "serious" (missing names, contrast, keyboard traps…).

The demo takes seconds to load, so it is loaded once and every page is checked in one
browser session; each page is then its own test, naming the page that fails.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from clusters.models import ClusterMember, ClusterYear, OrganizingBody, Role
from meetings.models import Meeting
from pledges import services as pledge_services
from pledges.models import Period
from scoring import services as scoring_services
from scoring.models import CriteriaSheet
from tests.factories import RoleFactory, UserFactory

pytestmark = [pytest.mark.browser]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
USERNAME, PASSWORD = "chuyenvien.backan", "Kiem-tra-2023"
SERIOUS = ("critical", "serious")

# What a violation is reported with: its rule, impact, help text and the first elements.
RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")), count: v.nodes.length,
    }));
}"""


def demo_pages() -> dict[str, str]:
    """The main pages of the demo's Bắc Kạn district cluster, by name."""
    year = ClusterYear.objects.get(cluster__name="Cụm thi đua các huyện, thành phố", year=2023)
    last_year = ClusterYear.objects.get(cluster=year.cluster, year=2022)
    pledge = year.pledge
    period = pledge.periods.get(kind=Period.Kind.MID_YEAR)
    member = ClusterMember.objects.filter(cluster_year=year).first()
    meeting = Meeting.objects.get(cluster_year=last_year, kind=Meeting.Kind.YEAR_END)
    sheet = CriteriaSheet.objects.get(cluster_year=last_year)
    draft_sheet = CriteriaSheet.objects.get(cluster_year=year)
    scored = ClusterMember.objects.filter(cluster_year=last_year).first()
    # The demo's pledge is signed and its ranking approved, both frozen: reopen them so
    # that the editing pages (targets, commitments, score grids) are checked too.
    if pledge.is_signed:
        pledge_services.pledge_reopen(pledge=pledge, reason="Kiểm tra khả năng tiếp cận")
    if sheet.is_approved:
        scoring_services.ranking_reopen(sheet=sheet, reason="Kiểm tra khả năng tiếp cận")
    pages = {
        "login": reverse("login"),
        "dashboard": reverse("reports:dashboard"),
        "unit-list": reverse("clusters:unit-list"),
        "cluster-list": reverse("clusters:cluster-list"),
        "clusteryear-list": reverse("clusters:clusteryear-list"),
        "person-list": reverse("clusters:person-list"),
        "movement-list": reverse("pledges:movement-list"),
        "meeting-list": reverse("meetings:meeting-list"),
        "exemplar-list": reverse("meetings:exemplar-list"),
        "cluster-year": year.get_absolute_url(),
        "pledge": pledge.get_absolute_url(),
        "pledge-targets": reverse("pledges:pledge-targets", args=[pledge.pk]),
        "pledge-commitments": reverse("pledges:pledge-commitments", args=[pledge.pk]),
        "pledge-registrations": reverse("pledges:pledge-registrations", args=[pledge.pk]),
        "pledge-signatures": reverse("pledges:pledge-signatures", args=[pledge.pk]),
        "period-results": reverse("pledges:period-results", args=[period.pk]),
        "period-member": reverse("pledges:period-member", args=[period.pk, member.pk]),
        "period-heat-table": period.get_absolute_url(),
        "period-expectations": reverse("pledges:period-expectations", args=[period.pk]),
        "meeting": meeting.get_absolute_url(),
        "search": reverse("reports:search") + "?q=na+ri",
        "criteria-sheet": sheet.get_absolute_url(),
        "criteria-sheet-edit": reverse("scoring:criteriasheet-edit", args=[draft_sheet.pk]),
        "criteria-sheet-member": reverse(  # a member's self-scores
            "scoring:criteriasheet-member", args=[sheet.pk, scored.pk]
        ),
        "criteria-sheet-results": reverse("scoring:criteriasheet-results", args=[sheet.pk]),
    }
    for section in ("attendance", "participants", "agenda", "content", "conclusions", "exemplars"):
        pages[f"meeting-{section}"] = reverse(f"meetings:meeting-{section}", args=[meeting.pk])
    for level in ("self", "cluster", "board"):
        pages[f"scores-{level}"] = reverse("scoring:criteriasheet-scores", args=[sheet.pk, level])
    return pages


PAGES = [
    "login", "dashboard", "unit-list", "cluster-list", "clusteryear-list", "person-list",
    "movement-list", "meeting-list", "exemplar-list", "cluster-year", "pledge",
    "pledge-targets", "pledge-commitments", "pledge-registrations", "pledge-signatures",
    "period-results", "period-member", "period-heat-table", "period-expectations", "meeting",
    "meeting-attendance",
    "meeting-participants", "meeting-agenda", "meeting-content", "meeting-conclusions",
    "meeting-exemplars", "criteria-sheet", "criteria-sheet-edit", "scores-self",
    "scores-cluster", "scores-board", "criteria-sheet-member", "criteria-sheet-results",
    "search",
]  # fmt: skip


@pytest.fixture(scope="module")
def checked(django_db_setup, django_db_blocker, live_server, browser) -> dict[str, tuple]:
    """Each page of PAGES by name: its HTTP status and axe's violations on it (the login
    page before logging in). The demo is loaded outside any test's transaction, so it is
    flushed again before other tests run."""
    with django_db_blocker.unblock():
        try:
            call_command("seed_demo", stdout=io.StringIO())
            user = UserFactory(username=USERNAME, first_name="Nguyễn Thị Hương")
            user.set_password(PASSWORD)
            user.save()
            body = OrganizingBody.objects.get(name="UBND tỉnh Bắc Kạn")
            RoleFactory(user=user, body=body, kind=Role.Kind.STAFF)
            urls = demo_pages()
            assert sorted(urls) == sorted(PAGES)
            # axe-core is injected as an inline script, which the pages' policy refuses.
            context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
            page = context.new_page()
            found = {}
            for name in PAGES:
                response = page.goto(f"{live_server.url}{urls[name]}")
                page.add_script_tag(path=str(AXE))
                found[name] = (response.status, page.evaluate(RUN_AXE))
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
def test_the_page_has_no_critical_or_serious_accessibility_violation(checked, name):
    status, violations = checked[name]
    assert status == 200
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert not serious, f"{name}: " + "\n".join(
        f"{v['impact']} {v['id']} ×{v['count']}: {v['help']} — {', '.join(v['targets'])}"
        for v in serious
    )
