"""One factory per model of the meetings app, and one for ``clusters.Person``.

They write rows straight through the ORM to set up a state quickly; tests of the
workflows themselves go through ``meetings.services``. ``PersonFactory`` belongs with
the base app's factories (``tests/factories/__init__.py``); it lives here until it moves.
"""

import datetime
import io
import zoneinfo

import factory
from django.core.files.base import ContentFile

from clusters.models import Person
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Conclusion,
    Exemplar,
    Meeting,
    Participant,
)
from tests.factories import ClusterMemberFactory, ClusterYearFactory, OrganizingBodyFactory

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def png_bytes(width: int = 8, height: int = 6) -> bytes:
    """A real PNG image (Pillow comes with WeasyPrint)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes(text: str = "Báo cáo tổng kết") -> bytes:
    """A real one-page PDF, made by WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def at(year, month, day, hour=8, minute=0) -> datetime.datetime:
    """A moment on Vietnamese wall-clock time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    body = factory.SubFactory(OrganizingBodyFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Số {n}")
    position = ""
    unit = None


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    cluster_year = factory.SubFactory(ClusterYearFactory)
    kind = Meeting.Kind.YEAR_END
    title = factory.Sequence(lambda n: f"Hội nghị cụm thi đua số {n}")
    starts_at = at(2023, 2, 7, 14)
    place = ""


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(
        PersonFactory, body=factory.SelfAttribute("..meeting.cluster_year.cluster.body")
    )
    role = Participant.Role.CHAIR
    order = factory.Sequence(lambda n: n + 1)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(
        ClusterMemberFactory, cluster_year=factory.SelfAttribute("..meeting.cluster_year")
    )
    present = True


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Nội dung số {n}")


class ConclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conclusion

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Kết luận số {n}")
    is_task = False


class ExemplarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exemplar

    meeting = factory.SubFactory(MeetingFactory)
    kind = Exemplar.Kind.COLLECTIVE
    collective = factory.Sequence(lambda n: f"Trường Tiểu học số {n}")
    achievement = "Dẫn đầu phong trào thi đua “Dạy tốt, học tốt”."


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    meeting = factory.SubFactory(MeetingFactory)
    kind = Attachment.Kind.PHOTO
    file = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="anh-hoi-nghi.png"))
    original_name = "anh-hoi-nghi.png"
    size = factory.LazyAttribute(lambda attachment: attachment.file.size)
