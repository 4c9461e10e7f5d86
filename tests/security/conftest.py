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

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from clusters.models import ClusterMember, Role
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
    cluster = ClusterFactory(body=body, name=f"Cụm thi đua {m}", description=f"{m} description")
    cluster_year = ClusterYearFactory(cluster=cluster, year=year, note=f"{m} year note")
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
        theme=f"{m} theme",
        body=f"{m} pledge body",
        movements=[movement],
        signed_on=datetime.date(year, 2, 7),
        signed_place=f"{m} place",
    )
    targets = pledge_services.targets_save(
        pledge=pledge,
        rows=[
            {"group": f"{m} group", "order": 10, "name": f"{m} target number",
             "measure": "number", "unit_of_measure": f"{m} tỷ", "note": f"{m} note"},
            {"group": f"{m} group", "order": 20, "name": f"{m} target text", "measure": "text"},
        ],
    )  # fmt: skip
    number, text = targets
    cells = {}
    for member in members:
        cells[(number.pk, member.pk)] = Cell(Decimal("100"))
        cells[(text.pk, member.pk)] = Cell(text=f"{m} committed text")
    pledge_services.commitments_save(pledge=pledge, cells=cells)
    for period in pledge.periods.all():
        pledge_services.results_save(period=period, cells=cells)
    period = pledge.periods.get(kind=Period.Kind.MID_YEAR)
    result = period.results.filter(target=number).order_by("pk").first()
    result.evidence = f"{m} evidence"
    result.attachment = ContentFile(f"%PDF-1.4 {m} evidence".encode(), name="minh-chung.pdf")
    result.attachment_name = f"{m} minh chứng.pdf"
    result.save()
    for member in members:
        SignatureFactory(pledge=pledge, member=member, signer_name=f"{m} signer",
                         signer_position=f"{m} signer position")  # fmt: skip
    pledge.refresh_from_db()

    meeting = MeetingFactory(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        title=f"Hội nghị {m}",
        starts_at=at(year + 1, 1, 18, 8),
        ends_at=at(year + 1, 1, 18, 11),
        place=f"{m} hội trường",
        report=f"{m} report",
        discussion=f"{m} discussion",
        host=units[0],
    )
    ParticipantFactory(meeting=meeting, person=person, role=Participant.Role.CHAIR,
                       position=f"{m} chair", organization=f"{m} organization")  # fmt: skip
    for member in members:
        AttendanceFactory(meeting=meeting, member=member, representative=f"{m} rep",
                          representative_position=f"{m} rep position")  # fmt: skip
    AgendaItemFactory(meeting=meeting, title=f"{m} agenda", presenter=f"{m} presenter")
    ConclusionFactory(meeting=meeting, text=f"{m} conclusion")
    task = ConclusionFactory(
        meeting=meeting, text=f"{m} task", is_task=True, owner=units[0],
        due_on=datetime.date(year + 1, 3, 1),
    )  # fmt: skip
    exemplar = ExemplarFactory(meeting=meeting, collective=f"{m} collective",
                               achievement=f"{m} achievement", unit=units[1])  # fmt: skip
    attachment = AttachmentFactory(
        meeting=meeting, kind=Attachment.Kind.PHOTO, caption=f"{m} caption",
        original_name=f"{m}-anh.png",
    )  # fmt: skip
    AttachmentFactory(
        meeting=meeting, kind=Attachment.Kind.DOCUMENT, caption=f"{m} document",
        file=ContentFile(f"%PDF-1.4 {m}".encode(), name="tai-lieu.pdf"),
        original_name=f"{m}-tai-lieu.pdf",
    )  # fmt: skip

    sheet = CriteriaSheetFactory(cluster_year=cluster_year, name=f"{m} sheet", note=f"{m} n")
    criterion = CriterionFactory(sheet=sheet, name=f"{m} criterion", group=f"{m} criteria group",
                                 guidance=f"{m} guidance", max_points=Decimal(100))  # fmt: skip
    CriterionFactory(sheet=sheet, kind=Criterion.Kind.BONUS, group="", name=f"{m} bonus",
                     max_points=Decimal(5))  # fmt: skip
    for index, member in enumerate(members):
        ScoreFactory(criterion=criterion, member=member, self_score=Decimal(90 - index),
                     evidence=f"{m} score evidence")  # fmt: skip

    report_text = ReportText.objects.create(
        cluster_year=cluster_year, kind=ReportText.Kind.YEAR_END,
        introduction=f"{m} introduction", assessment=f"{m} assessment",
        next_tasks=f"{m} next tasks",
    )  # fmt: skip
    export = Export.objects.create(
        user=side.users[Role.Kind.STAFF],
        kind=Export.Kind.YEAR_PACKAGE,
        object_id=cluster_year.pk,
        title=f"{m} export",
        status=Export.Status.DONE,
        file=ContentFile(_zip_of({f"{m}.txt": m}), name=f"{m}.zip"),
    )

    for obj in [
        body, *units[:1], succession, cluster, cluster_year, members[0], person, movement,
        pledge, number, period, result, meeting, task, exemplar, attachment, sheet,
        criterion, report_text, export,
    ]:  # fmt: skip
        side.objects.setdefault(type(obj), obj)
    side.objects[Conclusion] = task
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
            yield World(a=build_side("A"), b=build_side("B"))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
