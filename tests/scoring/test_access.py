"""Who reaches what: outsiders get 404 everywhere, viewers read but may not write."""

import pytest
from django.urls import reverse


def _urls(sheet, cluster_year, member):
    return {
        "create": ("GET", reverse("scoring:criteriasheet-create", args=[cluster_year.pk])),
        "create-post": ("POST", reverse("scoring:criteriasheet-create", args=[cluster_year.pk])),
        "copy": ("POST", reverse("scoring:criteriasheet-copy", args=[cluster_year.pk])),
        "detail": ("GET", reverse("scoring:criteriasheet-detail", args=[sheet.pk])),
        "edit": ("GET", reverse("scoring:criteriasheet-edit", args=[sheet.pk])),
        "edit-post": ("POST", reverse("scoring:criteriasheet-edit", args=[sheet.pk])),
        "unlock": ("POST", reverse("scoring:criteriasheet-unlock", args=[sheet.pk])),
        "self": ("GET", reverse("scoring:criteriasheet-scores", args=[sheet.pk, "self"])),
        "cluster": ("GET", reverse("scoring:criteriasheet-scores", args=[sheet.pk, "cluster"])),
        "board": ("GET", reverse("scoring:criteriasheet-scores", args=[sheet.pk, "board"])),
        "board-post": (
            "POST",
            reverse("scoring:criteriasheet-scores", args=[sheet.pk, "board"]),
        ),
        "member": (
            "GET",
            reverse("scoring:criteriasheet-member", args=[sheet.pk, member.pk]),
        ),
        "member-post": (
            "POST",
            reverse("scoring:criteriasheet-member", args=[sheet.pk, member.pk]),
        ),
        "results": ("GET", reverse("scoring:criteriasheet-results", args=[sheet.pk])),
        "xlsx": ("GET", reverse("scoring:criteriasheet-results-xlsx", args=[sheet.pk])),
        "pdf": ("GET", reverse("scoring:criteriasheet-results-pdf", args=[sheet.pk])),
        "docx": ("GET", reverse("scoring:criteriasheet-results-docx", args=[sheet.pk])),
        "approve": ("POST", reverse("scoring:criteriasheet-approve", args=[sheet.pk])),
        "reopen": ("POST", reverse("scoring:criteriasheet-reopen", args=[sheet.pk])),
    }


ALL = [
    "create", "create-post", "copy", "detail", "edit", "edit-post", "unlock", "self",
    "cluster", "board", "board-post", "member", "member-post", "results", "xlsx", "pdf",
    "docx", "approve", "reopen",
]  # fmt: skip
READS = ["detail", "results", "xlsx", "pdf", "docx"]
WRITES = [name for name in ALL if name not in READS]


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.mark.parametrize("name", ALL)
def test_an_outsider_gets_404_for_every_scoring_url(outsider_client, scored, cluster_year, name):
    method, url = _urls(scored, cluster_year, cluster_year.members.first())[name]

    assert _request(outsider_client, method, url).status_code == 404


@pytest.mark.parametrize("name", WRITES)
def test_a_viewer_may_not_write(viewer_client, scored, cluster_year, name):
    method, url = _urls(scored, cluster_year, cluster_year.members.first())[name]

    assert _request(viewer_client, method, url).status_code == 403


@pytest.mark.parametrize("name", READS)
def test_a_viewer_reads_the_sheet_results_and_documents(viewer_client, scored, cluster_year, name):
    method, url = _urls(scored, cluster_year, cluster_year.members.first())[name]

    assert _request(viewer_client, method, url).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client, scored):
    response = client.get(reverse("scoring:criteriasheet-results", args=[scored.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["copy", "unlock", "approve", "reopen"])
def test_workflow_actions_are_post_only(staff_client, scored, cluster_year, name):
    _method, url = _urls(scored, cluster_year, cluster_year.members.first())[name]

    assert staff_client.get(url).status_code == 405
