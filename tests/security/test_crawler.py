"""Every URL, requested by every kind of user, against the other side's objects.

The URLs come from the resolver (tests/security/crawl.py), so a URL added later is
crawled without an edit here. For each role the test requests every URL filled with
the ids of province A's objects — GET, and POST with what the page's own form would
send — and checks what a hostile or careless user could get out of it:

- anonymous users are sent to the login page and change nothing, except on the public
  ballot pages (``PUBLIC``), which they may open and where, without a code, they see
  nothing and change nothing;
- the other province's users never see province A's data (its marker, in pages and in
  the text of downloaded files) and change nothing through A's URLs;
- a secretary of another cluster of A's body sees A's registers (units, people) but
  nothing of A's cluster, and changes nothing of it;
- A's own users never see province B's data; what they are refused changes nothing;
  a viewer changes nothing whatever the answer;
- nobody gets a server error.
"""

import pytest
from django.urls import reverse

from clusters.models import Role
from tests.security.conftest import logged_in
from tests.security.crawl import (
    LABEL,
    PUBLIC,
    SKIPPED,
    attempt,
    form_fields,
    page_forms,
    patterns,
    readable_text,
    row_counts,
)

REFUSED = {403, 404, 405}

# role: (the side the user belongs to, the role kind, whose data it must never see:
# "a", "b", "n" for a side's marker, "a-cluster" for the texts of A's cluster only).
ROLES = {
    "anonymous": (None, None, ["a", "b", "n"]),
    "viewer of the other body": ("b", Role.Kind.VIEWER, ["a", "n"]),
    "secretary of the other cluster": ("b", Role.Kind.SECRETARY, ["a", "n"]),
    "staff of the other body": ("b", Role.Kind.STAFF, ["a", "n"]),
    "secretary of a neighbouring cluster": ("neighbour", Role.Kind.SECRETARY, ["a-cluster", "b"]),
    "superuser": ("a", "superuser", []),
    "staff": ("a", Role.Kind.STAFF, ["b"]),
    "secretary of this cluster": ("a", Role.Kind.SECRETARY, ["b", "n"]),
    "viewer of this body": ("a", Role.Kind.VIEWER, ["b"]),
}
READ_ONLY = {"viewer of this body", "viewer of the other body"}
# Tables a read-only user writes by reading, and why that is no change of the data.
WRITTEN_BY_READING = {
    "reports_export": "a prepared download (the year's ZIP) is the reader's own file",
    "reports_historicalexport": "the history of that download",
}

PATTERNS, UNFILLABLE = patterns()


def test_every_url_can_be_filled_by_the_crawler():
    assert UNFILLABLE == [], "\n".join(UNFILLABLE)
    assert len(PATTERNS) > 50, "the crawler found too few URLs: is the walk broken?"


def test_every_skipped_url_name_still_exists():
    """The list of skipped URLs stays honest: a name no longer in use is taken out."""
    for name in (name for name in SKIPPED if "/" not in name):
        assert reverse(name)
    crawled = {pattern.name.split(":")[-1] for pattern in PATTERNS}
    assert not crawled & set(SKIPPED)


@pytest.fixture(scope="module")
def post_data(world):
    """``post_data(urls)``: {url: what its first form posts when saved unchanged}, read
    as A's staff once per module."""
    cache = {}

    def of(urls) -> dict:
        missing = [url for url in urls if url not in cache]
        if missing:
            client = logged_in(world.a.users[Role.Kind.STAFF])
            for url in missing:
                outcome = attempt(client, "get", url)
                forms = page_forms(outcome.content) if outcome.status == 200 else []
                cache[url] = form_fields(forms[0])[0] if forms else {}
        return {url: cache[url] for url in urls}

    return of


def _markers(world) -> dict[str, str]:
    return {
        "a": world.a.marker,
        "b": world.b.marker,
        "n": world.neighbour.marker,
        "a-cluster": world.a.cluster_marker,
    }


def _problems(role: str, outcomes, *, world, pattern) -> list[str]:
    side, _kind, hidden = ROLES[role]
    forbidden = [_markers(world)[name] for name in hidden]
    # Through the URLs of A's objects only A's users change anything; a secretary of
    # another cluster of A's body may change what its permissions allow in the registers.
    outsider = side != "a" and pattern.has_objects
    if side == "neighbour" and pattern.only_registers:
        outsider = False
    problems = []
    for outcome in outcomes:
        where = f"{role}: {outcome.method.upper()} {outcome.url} ({pattern.name})"
        if outcome.status is None:
            problems.append(f"{where} raised\n{outcome.error}")
            continue
        if outcome.status >= 500:
            problems.append(f"{where} answered {outcome.status}")
        text = readable_text(outcome.response, outcome.content) if outcome.content else ""
        problems += [f"{where} shows data it may not see ({m})" for m in forbidden if m in text]
        if side is None and pattern.name in PUBLIC:
            if outcome.status != 200:
                problems.append(f"{where} answered {outcome.status} on a public page")
            if outcome.changed:
                problems.append(f"{where} changed {outcome.changed}")
        elif side is None:
            if outcome.status != 302 or not outcome.location.startswith("/accounts/login/"):
                problems.append(f"{where} answered {outcome.status}, not a redirect to login")
            if outcome.changed:
                problems.append(f"{where} changed {outcome.changed}")
        elif outsider and outcome.changed:
            problems.append(f"{where} changed data of a cluster not its own: {outcome.changed}")
        elif outcome.status in REFUSED and outcome.changed:
            problems.append(f"{where} was refused ({outcome.status}) but changed {outcome.changed}")
        elif role in READ_ONLY and set(outcome.changed) - set(WRITTEN_BY_READING):
            problems.append(f"{where} is read-only but changed {outcome.changed}")
    return problems


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_gets_only_what_it_may_from_every_url(role, world, post_data, db):
    side, kind, _hidden = ROLES[role]
    user = None if side is None else getattr(world, side).users[kind]
    client = logged_in(user)
    client.raise_request_exception = True
    urls = [(pattern, url) for pattern in PATTERNS for url in pattern.urls(world.a)]
    datas = post_data([url for _pattern, url in urls])
    problems, before = [], row_counts()
    for pattern, url in urls:
        outcomes = [
            attempt(client, "get", url, before=before),
            attempt(client, "post", url, datas[url], before=before),
        ]
        problems += _problems(role, outcomes, world=world, pattern=pattern)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_markers_are_found_where_the_data_is_shown(world, db):
    """The leak check is not blind: A's staff see A's marker on the pages and in the
    files of A's objects (PDF, Word, Excel, ZIP and calendar files included)."""
    client = logged_in(world.a.users[Role.Kind.STAFF])
    blind, kinds = [], set()
    for pattern in PATTERNS:
        if not pattern.has_objects:
            continue
        for url in pattern.urls(world.a):
            outcome = attempt(client, "get", url)
            if outcome.status != 200:
                continue
            kind = outcome.response["Content-Type"].split(";")[0]
            kinds.add(kind)
            if kind.startswith("image/"):
                continue  # a photo has no text to read
            if world.a.marker not in readable_text(outcome.response, outcome.content):
                blind.append(url)
    assert blind == []
    assert {
        "text/html",
        "application/pdf",
        "text/calendar",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    } <= kinds, kinds


def test_the_crawler_fills_every_url_with_something_that_exists(world, db):
    """Province A's staff find every URL filled with A's ids (a wrong guess would be a
    404 for everybody, and the URL would go unchecked). A history URL is tried with
    every model; it is enough that some of them have a history page."""
    client = logged_in(world.a.users[Role.Kind.STAFF])
    missing = []
    for pattern in PATTERNS:
        statuses = [attempt(client, "get", url).status for url in pattern.urls(world.a)]
        found = any if LABEL in dict(pattern.parameters) else all
        if not found(status != 404 for status in statuses):
            missing.append(f"{pattern.name}: {statuses}")
    assert missing == []


def test_the_public_pages_are_exactly_the_ones_listed(world, db):
    """Every URL but the listed public ones sends an anonymous visitor to log in."""
    client = logged_in(None)
    public = set()
    for pattern in PATTERNS:
        for url in pattern.urls(world.a):
            outcome = attempt(client, "get", url)
            if not (outcome.status == 302 and outcome.location.startswith("/accounts/login/")):
                public.add(pattern.name)
    assert public == set(PUBLIC)


def test_a_ballot_code_opens_one_ballot_and_nothing_else(world, db):
    """An anonymous visitor with a valid code sees that code's ballot; the code opens no
    other page, and the ballot shows nothing of another vote."""
    from votes import services as vote_services
    from votes.models import Vote

    vote = world.a[Vote]
    electronic = vote_services.vote_create(
        meeting=vote.meeting,
        purpose=vote.purpose,
        title="Phiếu điện tử của một cuộc bỏ phiếu",
        electronic=True,
    )
    members = [candidate.member for candidate in vote.candidates.all()]
    vote_services.vote_set_candidates(vote=electronic, members=members)
    vote_services.vote_set_voters(vote=electronic, members=members)
    vote_services.vote_set_tellers(
        vote=electronic, tellers=[{"full_name": "Người kiểm 1"}, {"full_name": "Người kiểm 2"}]
    )
    code = vote_services.vote_open(vote=electronic).issued_codes[0]
    client = logged_in(None)
    page = attempt(client, "get", f"{reverse('votes:public-ballot')}?code={code}")
    assert page.status == 200
    text = readable_text(page.response, page.content)
    assert "Phiếu điện tử của một cuộc bỏ phiếu" in text
    assert vote.title not in text
    for pattern in PATTERNS:
        if pattern.name in PUBLIC:
            continue
        for url in pattern.urls(world.a):
            outcome = attempt(client, "get", url)
            assert outcome.status == 302, url
            assert outcome.location.startswith("/accounts/login/"), url
