"""Two provinces with something in every table a URL can point to, built once per module.

Every text the product shows carries a marker of its side — ``ZZLEAKA`` for the
province under test, ``ZZLEAKB`` for the other one — so a response that shows the other
side's data is found by looking for the marker, in pages and in downloaded files alike.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from awards import services as award_services
from awards.models import Award, Decision, Initiative, RecipientKind, ReportedCount
from clusters.models import (
    AwardRule,
    AwardType,
    ClusterMember,
    Role,
    RuleSet,
    Share,
    Unit,
    VoteRule,
)
from meetings.models import Attachment, Conclusion, Meeting, Participant
from pledges import services as pledge_services
from pledges.models import Period
from pledges.services import Cell
from reports.models import Export, ReportText
from scoring.models import Criterion

# The browser test drives Debian's Chromium the way the browser tests do.
from tests.browser.conftest import browser_type_launch_args, pytest_configure  # noqa: F401
from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    OrganizingBodyFactory,
    RoleFactory,
    UnitFactory,
    UnitSuccessionFactory,
    UserFactory,
)
from tests.factories.meetings import (
    AgendaItemFactory,
    AttachmentFactory,
    AttendanceFactory,
    ConclusionFactory,
    ExemplarFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    at,
)
from tests.factories.pledges import MovementFactory, SignatureFactory
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory, ScoreFactory
from tests.security import crawl
from votes import services as vote_services
from votes.models import Teller

# The models of the paper-ballot and rule-editing URLs, by the path segment before their
# ids (see crawl.PATH_MODELS).
crawl.PATH_MODELS.setdefault("tellers", Teller)
crawl.PATH_MODELS.setdefault("rule-sets", RuleSet)
crawl.PATH_MODELS.setdefault("vote-rules", VoteRule)
crawl.PATH_MODELS.setdefault("award-rules", AwardRule)
crawl.PATH_MODELS.setdefault("award-types", AwardType)
crawl.PATH_MODELS.setdefault("awards", Award)
crawl.PATH_MODELS.setdefault("decisions", Decision)
crawl.PATH_MODELS.setdefault("initiatives", Initiative)
# A secretary of a neighbouring cluster edits the register's people, their initiatives too.
crawl.BODY_REGISTERS.add(Initiative)

DEFAULT_VOTE_RULES = import_module("clusters.migrations.0010_national_default_vote_rules")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def marker(side: str) -> str:
    return f"ZZLEAK{side}"


@dataclass
class Side:
    """One province: its users by role and one object of every model, by model."""

    letter: str
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    @property
    def marker(self) -> str:
        return marker(self.letter)

    @property
    def cluster_marker(self) -> str:
        """The marker of the texts of the cluster and its year (not of the registers)."""
        return f"{self.marker}C"

    def __getitem__(self, model):
        if model not in self.objects:
            raise LookupError(
                f"build_side (tests/security/conftest.py) makes no {model.__name__}: "
                "add one, so that the URLs of that model can be crawled"
            )
        return self.objects[model]


def build_side(letter: str, year: int = 2023) -> Side:
    """A body with staff, a viewer and a secretary; a cluster with a year of three
    members; a pledge with targets, commitments, results of every period, registrations
    and signatures; a meeting with everything recorded; a scored criteria sheet; a
    movement, people, a succession, an export and the report texts."""
    m = marker(letter)
    c = f"{m}C"  # the data of the cluster itself, as against the body's registers
    side = Side(letter)
    body = OrganizingBodyFactory(name=f"UBND tỉnh {m} body", short_name=f"{m} tỉnh", place=m)
    for kind in (Role.Kind.STAFF, Role.Kind.VIEWER, Role.Kind.SECRETARY):
        user = UserFactory(
            username=f"{kind}-{letter.lower()}", first_name=f"{m} {kind}", last_name=m
        )
        RoleFactory(user=user, body=body, kind=kind, position=f"{m} position")
        side.users[str(kind)] = user
    units = [
        UnitFactory(body=body, name=f"Huyện {m} {n}", short_name=f"{m}{n}", code=f"{m}{n}",
                    note=f"{m} note")
        for n in range(3)
    ]  # fmt: skip
    successor = UnitFactory(body=body, name=f"Huyện {m} mới", short_name=f"{m} mới")
    succession = UnitSuccessionFactory(
        predecessor=units[2], successor=successor, legal_basis=f"{m} legal basis"
    )
    cluster = ClusterFactory(body=body, name=f"Cụm thi đua {c}", description=f"{c} description")
    cluster_year = ClusterYearFactory(cluster=cluster, year=year, note=f"{c} year note")
    cluster_year.secretaries.add(side.users[Role.Kind.SECRETARY])
    roles = [ClusterMember.Role.HEAD, ClusterMember.Role.DEPUTY, ClusterMember.Role.MEMBER]
    members = [
        ClusterMemberFactory(cluster_year=cluster_year, unit=unit, role=role)
        for unit, role in zip(units, roles, strict=True)
    ]
    person = PersonFactory(body=body, full_name=f"{m} Nguyễn Văn", position=f"{m} chủ tịch",
                           unit=units[0])  # fmt: skip
    movement = MovementFactory(
        body=body, name=f"Phong trào {m}", launched_by=f"{m} launched", description=f"{m} d"
    )

    pledge = pledge_services.pledge_create(
        cluster_year=cluster_year,
        theme=f"{c} theme",
        body=f"{c} pledge body",
        movements=[movement],
        signed_on=datetime.date(year, 2, 7),
        signed_place=f"{c} place",
    )
    targets = pledge_services.targets_save(
        pledge=pledge,
        rows=[
            {"group": f"{c} group", "order": 10, "name": f"{c} target number",
             "measure": "number", "unit_of_measure": f"{c} tỷ", "note": f"{c} note"},
            {"group": f"{c} group", "order": 20, "name": f"{c} target text", "measure": "text"},
        ],
    )  # fmt: skip
    number, text = targets
    cells = {}
    for member in members:
        cells[(number.pk, member.pk)] = Cell(Decimal("100"))
        cells[(text.pk, member.pk)] = Cell(text=f"{c} committed text")
    pledge_services.commitments_save(pledge=pledge, cells=cells)
    for period in pledge.periods.all():
        pledge_services.results_save(period=period, cells=cells)
    period = pledge.periods.get(kind=Period.Kind.MID_YEAR)
    result = period.results.filter(target=number).order_by("pk").first()
    result.evidence = f"{c} evidence"
    result.attachment = ContentFile(f"%PDF-1.4 {c} evidence".encode(), name="minh-chung.pdf")
    result.attachment_name = f"{c} minh chứng.pdf"
    result.save()
    for member in members:
        SignatureFactory(pledge=pledge, member=member, signer_name=f"{c} signer",
                         signer_position=f"{c} signer position")  # fmt: skip
    pledge.refresh_from_db()

    meeting = MeetingFactory(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        title=f"Hội nghị {c}",
        starts_at=at(year + 1, 1, 18, 8),
        ends_at=at(year + 1, 1, 18, 11),
        place=f"{c} hội trường",
        report=f"{c} report",
        discussion=f"{c} discussion",
        host=units[0],
    )
    ParticipantFactory(meeting=meeting, person=person, role=Participant.Role.CHAIR,
                       position=f"{c} chair", organization=f"{c} organization")  # fmt: skip
    for member in members:
        AttendanceFactory(meeting=meeting, member=member, representative=f"{c} rep",
                          representative_position=f"{c} rep position")  # fmt: skip
    AgendaItemFactory(meeting=meeting, title=f"{c} agenda", presenter=f"{c} presenter")
    ConclusionFactory(meeting=meeting, text=f"{c} conclusion")
    task = ConclusionFactory(
        meeting=meeting, text=f"{c} task", is_task=True, owner=units[0],
        due_on=datetime.date(year + 1, 3, 1),
    )  # fmt: skip
    exemplar = ExemplarFactory(meeting=meeting, collective=f"{c} collective",
                               achievement=f"{c} achievement", unit=units[1])  # fmt: skip
    attachment = AttachmentFactory(
        meeting=meeting, kind=Attachment.Kind.PHOTO, caption=f"{c} caption",
        original_name=f"{c}-anh.png",
    )  # fmt: skip
    AttachmentFactory(
        meeting=meeting, kind=Attachment.Kind.DOCUMENT, caption=f"{c} document",
        file=ContentFile(f"%PDF-1.4 {c}".encode(), name="tai-lieu.pdf"),
        original_name=f"{c}-tai-lieu.pdf",
    )  # fmt: skip

    # A browser test's database is emptied between tests, the national vote rules the
    # migration seeds with it: put them back as the migration does.
    DEFAULT_VOTE_RULES.seed(django_apps, None)
    vote = vote_services.vote_create(
        meeting=meeting, purpose=VoteRule.Purpose.HEAD, title=f"{c} vote"
    )
    vote_services.vote_set_candidates(vote=vote, members=members[:2])
    vote_services.vote_set_tellers(vote=vote, tellers=[{"full_name": f"{c} teller"}])

    sheet = CriteriaSheetFactory(cluster_year=cluster_year, name=f"{c} sheet", note=f"{c} n")
    criterion = CriterionFactory(sheet=sheet, name=f"{c} criterion", group=f"{c} criteria group",
                                 guidance=f"{c} guidance", max_points=Decimal(100))  # fmt: skip
    CriterionFactory(sheet=sheet, kind=Criterion.Kind.BONUS, group="", name=f"{c} bonus",
                     max_points=Decimal(5))  # fmt: skip
    for index, member in enumerate(members):
        ScoreFactory(criterion=criterion, member=member, self_score=Decimal(90 - index),
                     evidence=f"{c} score evidence")  # fmt: skip

    report_text = ReportText.objects.create(
        cluster_year=cluster_year, kind=ReportText.Kind.YEAR_END,
        introduction=f"{c} introduction", assessment=f"{c} assessment",
        next_tasks=f"{c} next tasks",
    )  # fmt: skip
    export = Export.objects.create(
        user=side.users[Role.Kind.STAFF],
        kind=Export.Kind.YEAR_PACKAGE,
        object_id=cluster_year.pk,
        title=f"{c} export",
        status=Export.Status.DONE,
        file=ContentFile(_zip_of({f"{c}.txt": m}), name=f"{c}.zip"),
    )

    for obj in [
        body, *units[:1], succession, cluster, cluster_year, members[0], person, movement,
        pledge, number, period, result, meeting, task, exemplar, attachment, sheet,
        criterion, report_text, export, vote,
    ]:  # fmt: skip
        side.objects.setdefault(type(obj), obj)
    side.objects[Conclusion] = task
    # The vote's counting committee (its paper ballots' pages) and the body's own rule set
    # with a vote rule (their editing pages). The rule set takes effect long after the
    # meeting, so no vote of the world follows it.
    side.objects[Teller] = vote.tellers.get()
    rule_set = RuleSet.objects.create(
        body=body, name=f"{m} rule set", legal_basis=f"{m} legal basis of the rules",
        effective_from=datetime.date(2100, 1, 1),
    )  # fmt: skip
    side.objects[RuleSet] = rule_set
    # An award proposed by the cluster, and a decision of the body's register granting
    # another award to the same unit.
    # (A browser test's emptied database lacks the seeded catalogue: put the row back.)
    award_type, _created = AwardType.objects.get_or_create(
        name="Bằng khen của UBND tỉnh", body=None,
        defaults={"category": "commendation", "recipient": "both", "level": "province"},
    )  # fmt: skip
    side.objects[Award] = award_services.award_propose(
        by=side.users[Role.Kind.STAFF], body=body, year=cluster_year.year,
        award_type=award_type, recipient_kind=RecipientKind.UNIT, cluster_year=cluster_year,
        unit=units[0], recipient_name=f"{m} recipient", achievement=f"{c} achievement",
    )  # fmt: skip
    decision = side.objects[Decision] = Decision.objects.create(
        body=body, number=f"{m}/QĐ-UBND", signed_on=datetime.date(year, 12, 1),
        authority=f"{m} authority", summary=f"{c} decision",
    )  # fmt: skip
    award_services.award_record_granted(
        by=side.users[Role.Kind.STAFF], decision=decision, body=body, year=year - 1,
        award_type=award_type, recipient_kind=RecipientKind.UNIT, unit=units[0],
        recipient_name=f"{m} granted",
    )  # fmt: skip
    side.objects[Initiative] = Initiative.objects.create(
        person=person, title=f"{m} initiative", year=2022, recognised_by=f"{m} council",
        level="province", decision=f"{m} decision",
    )  # fmt: skip
    ReportedCount.objects.create(
        cluster_year=cluster_year, unit=units[0], period="year", level="grassroots",
        kind="collective", count=1315, note=f"{c} reported",
    )  # fmt: skip
    side.objects[VoteRule] = VoteRule.objects.create(
        rule_set=rule_set, purpose=VoteRule.Purpose.HEAD, base=VoteRule.Base.VALID,
        threshold=Share.MAJORITY,
    )  # fmt: skip
    # The body's own award type (the catalogue's editing page) and the rule set's rule
    # for it (the award rules' editing pages).
    own_award = side.objects[AwardType] = AwardType.objects.create(
        body=body, name=f"{m} award type", category=AwardType.Category.TITLE,
        recipient=AwardType.Recipient.COLLECTIVE, level=AwardType.Level.PROVINCE,
        criteria=f"{m} criteria",
    )  # fmt: skip
    side.objects[AwardRule] = AwardRule.objects.create(
        rule_set=rule_set, award_type=own_award, quota_per_cluster=1,
        checklist=f"{m} checklist item",
    )  # fmt: skip
    return side


def _zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@dataclass
class World:
    a: Side
    b: Side
    neighbour: Side  # another cluster of A's body, with its year and its secretary


def build_neighbour(side: Side) -> Side:
    """Another cluster of ``side``'s body with a year, one member and a secretary; its
    texts carry the marker N."""
    m = marker("N")
    neighbour = Side("N")
    body = side[ClusterMember].cluster_year.cluster.body
    user = UserFactory(username="secretary-n", first_name=f"{m} secretary")
    RoleFactory(user=user, body=body, kind=Role.Kind.SECRETARY)
    neighbour.users[Role.Kind.SECRETARY] = user
    cluster = ClusterFactory(body=body, name=f"Cụm thi đua {m}", description=f"{m} d")
    cluster_year = ClusterYearFactory(cluster=cluster, year=2023, note=f"{m} year note")
    cluster_year.secretaries.add(user)
    ClusterMemberFactory(cluster_year=cluster_year, unit=side[Unit], role=ClusterMember.Role.HEAD)
    MeetingFactory(cluster_year=cluster_year, title=f"Hội nghị {m}", place=f"{m} place")
    neighbour.objects.update({type(cluster): cluster, type(cluster_year): cluster_year})
    return neighbour


@pytest.fixture(scope="session")
def security_media(tmp_path_factory):
    return tmp_path_factory.mktemp("security-media")


@pytest.fixture(autouse=True)
def _media_root(settings, security_media):
    """Files of the module's world stay readable by every test of the module."""
    settings.MEDIA_ROOT = security_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, security_media):
    """Both provinces, built once for the module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=security_media, PASSWORD_HASHERS=FAST_HASHERS),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            a = build_side("A")
            a.users["superuser"] = UserFactory(
                username="root", is_superuser=True, is_staff=True, first_name="ZZROOT"
            )
            yield World(a=a, b=build_side("B"), neighbour=build_neighbour(a))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
