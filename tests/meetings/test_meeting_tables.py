"""The rows of the meeting and exemplar lists (``{% meeting_rows %}``,
``{% exemplar_rows %}``): the same HTML as the template loops they replaced, in both
languages, escaped, with local dates, and without a query."""

import datetime
import re
import unicodedata

import pytest
from django.template import Context, Template
from django.utils import translation

from meetings.models import Exemplar, Meeting
from meetings.selectors import exemplars_tabled, meetings_tabled
from tests.factories import ClusterYearFactory, UnitFactory
from tests.factories.meetings import ExemplarFactory, MeetingFactory, PersonFactory, at

pytestmark = pytest.mark.django_db

# The rows as the list templates wrote them before the tags, copied as they were.
OLD_MEETING_ROWS = Template("""{% load i18n %}
  {% for meeting in object_list %}
    <tr>
      <td class="text-nowrap">{{ meeting.starts_at|date:"SHORT_DATETIME_FORMAT" }}</td>
      <td><a href="{{ meeting.get_absolute_url }}">{{ meeting.title }}</a></td>
      <td>{{ meeting.get_kind_display }}</td>
      <td>{{ meeting.cluster_year.cluster.name }} ({{ meeting.cluster_year.year }})</td>
      <td>{% if meeting.place %}{{ meeting.place }}{% elif meeting.host %}{{ meeting.host.name }}{% endif %}</td>
      <td>{% include "meetings/includes/_status_badge.html" %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6" class="text-center text-muted py-4">{% translate "No meetings match." %}</td></tr>
  {% endfor %}
""")  # noqa: E501 (the template's lines, copied whole)

OLD_EXEMPLAR_ROWS = Template("""{% load i18n %}
  {% for exemplar in object_list %}
    <tr>
      <td><a href="{{ exemplar.get_absolute_url }}">{{ exemplar.name }}</a></td>
      <td>{{ exemplar.get_kind_display }}</td>
      <td>{{ exemplar.unit.name|default:"" }}</td>
      <td>{{ exemplar.achievement|truncatechars:160 }}</td>
      <td class="small">{{ exemplar.meeting.cluster_year.cluster.name }}, {{ exemplar.meeting.starts_at|date:"SHORT_DATE_FORMAT" }}</td>
    </tr>
  {% empty %}
    <tr><td colspan="5" class="text-center text-muted py-4">{% translate "No exemplary models match." %}</td></tr>
  {% endfor %}
""")  # noqa: E501 (the template's lines, copied whole)

NEW_MEETING_ROWS = Template("{% load meeting_tables %}{% meeting_rows object_list %}")
NEW_EXEMPLAR_ROWS = Template("{% load meeting_tables %}{% exemplar_rows object_list %}")

TRICKY = "<b>Tổng kết & \"đánh giá\"</b> '2023'"


def layout_free(html: str) -> str:
    """The HTML without the white space around rows and cells, which a browser ignores:
    the loops indented each ``<tr>`` and ``<td>``, and the status badge's include ended
    its cell with a newline; the tags write a row a line. Other spaces in a cell count."""
    html = re.sub(r">\s+(?=</?t[rd][\s>])", ">", html.strip())
    return re.sub(r"(</t[rd]>)\s+", r"\1", html)


def assert_same_rows(old: Template, new: Template, object_list, django_assert_num_queries):
    """The old loop and the new tag write the same rows, in Vietnamese and in English;
    the tag first, without a query (what the lists read of each row is all it needs)."""
    for language in ("vi", "en"):
        with translation.override(language):
            with django_assert_num_queries(0):
                written = new.render(Context({"object_list": object_list}))
            expected = layout_free(old.render(Context({"object_list": object_list})))
        assert written.count("<tr>") == max(len(object_list), 1)
        assert layout_free(written) == expected


@pytest.fixture
def meetings(staff, cluster, cluster_year, units) -> list[Meeting]:
    """Every kind and status; with a place, with a host only, with neither; a title and a
    host's name that need escaping; a start late in the UTC evening (the next day here)."""
    MeetingFactory(
        cluster_year=cluster_year,
        kind=Meeting.Kind.YEAR_END,
        title="Tổng kết năm 2023",
        starts_at=at(2024, 1, 12, 14, 30),
        host=units[0],
        place="Hội trường UBND huyện Na Rì",
    )
    MeetingFactory(
        cluster_year=cluster_year,
        kind=Meeting.Kind.MID_YEAR,
        title="Sơ kết 6 tháng đầu năm 2023",
        starts_at=at(2023, 7, 14),
        host=UnitFactory(body=cluster.body, name='Xã <Cốc> & "Đán"'),
        status=Meeting.Status.HELD,
    )
    MeetingFactory(
        cluster_year=cluster_year,
        kind=Meeting.Kind.PLEDGE_SIGNING,
        title=TRICKY,
        starts_at=datetime.datetime(2023, 3, 1, 20, 5, tzinfo=datetime.UTC),
        host=None,
        status=Meeting.Status.APPROVED,
    )
    MeetingFactory(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2022),
        kind=Meeting.Kind.OTHER,
        title="Họp trực tuyến",
        starts_at=at(2022, 11, 30, 9, 5),
        host=units[2],
        place="<Trực tuyến>",
    )
    return list(meetings_tabled(staff).order_by("-starts_at", "pk"))


def test_the_meeting_rows_are_the_rows_the_template_wrote(meetings, django_assert_num_queries):
    assert len(meetings) == 4
    assert_same_rows(OLD_MEETING_ROWS, NEW_MEETING_ROWS, meetings, django_assert_num_queries)


def test_a_meeting_with_a_status_without_a_label_shows_the_stored_value(
    meetings, django_assert_num_queries
):
    meetings[0].status = "cancelled"
    meetings[1].kind = "<retreat>"
    assert_same_rows(OLD_MEETING_ROWS, NEW_MEETING_ROWS, meetings, django_assert_num_queries)


def test_the_meeting_rows_say_that_no_meeting_matches(django_assert_num_queries):
    assert_same_rows(OLD_MEETING_ROWS, NEW_MEETING_ROWS, [], django_assert_num_queries)


def test_the_meeting_rows_escape_the_title_and_link_to_the_meeting(meetings):
    with translation.override("vi"):
        written = NEW_MEETING_ROWS.render(Context({"object_list": meetings}))
    tricky = next(meeting for meeting in meetings if meeting.title == TRICKY)
    assert (
        f'<a href="/meetings/{tricky.pk}/">&lt;b&gt;Tổng kết &amp; &quot;đánh giá&quot;'
        "&lt;/b&gt; &#x27;2023&#x27;</a>"
    ) in written
    assert '<td class="text-nowrap">03:05 02/03/2023</td>' in written


@pytest.fixture
def exemplars(staff, body, cluster, cluster_year, units) -> list[Exemplar]:
    """A person with a unit, collectives without one, names that need escaping, and
    achievements around the 160 characters the list shows; three of them decomposed (as
    some keyboards type Vietnamese), which saving normalizes but an update in bulk
    would not."""
    meeting = MeetingFactory(cluster_year=cluster_year, starts_at=at(2023, 12, 28, 8))
    earlier = MeetingFactory(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2022),
        starts_at=datetime.datetime(2022, 6, 30, 18, 0, tzinfo=datetime.UTC),
    )
    ExemplarFactory(
        meeting=meeting,
        kind=Exemplar.Kind.PERSON,
        collective="",
        person=PersonFactory(body=body, full_name='Lục Thị <Mai> & "Lan"', unit=units[0]),
        unit=units[0],
    )
    ExemplarFactory(
        meeting=meeting,
        collective="Trường <Tiểu học> Ba Bể & Co",
        achievement="Dẫn đầu " + "<thi đua> & “dạy tốt” " * 20,
    )
    ExemplarFactory(meeting=meeting, collective="Hợp tác xã 160", achievement="ă" * 160)
    ExemplarFactory(meeting=meeting, collective="Hợp tác xã 161", achievement="ă" * 161)
    ExemplarFactory(
        meeting=earlier,
        collective="Hợp tác xã Đồng Tâm",
        achievement="Sản xuất trà thảo mộc đạt chuẩn OCOP " * 5,
        unit=units[1],
    )
    ExemplarFactory(
        meeting=earlier,
        collective="Hợp tác xã ngắn",
        achievement="Trà thảo mộc " * 12,
    )
    ExemplarFactory(
        meeting=earlier,
        collective="Hợp tác xã rất ngắn",
        achievement="Trà thảo mộc",
    )
    found = list(exemplars_tabled(staff).order_by("-meeting__starts_at", "sort_key", "pk"))
    for exemplar in found:
        if exemplar.meeting_id == earlier.pk:
            exemplar.achievement = unicodedata.normalize("NFD", exemplar.achievement)
    return found


def test_the_exemplar_rows_are_the_rows_the_template_wrote(exemplars, django_assert_num_queries):
    assert len(exemplars) == 7
    assert_same_rows(OLD_EXEMPLAR_ROWS, NEW_EXEMPLAR_ROWS, exemplars, django_assert_num_queries)


def test_the_exemplar_rows_say_that_no_exemplary_model_matches(django_assert_num_queries):
    assert_same_rows(OLD_EXEMPLAR_ROWS, NEW_EXEMPLAR_ROWS, [], django_assert_num_queries)


def test_the_exemplar_rows_link_to_the_exemplar_on_its_meeting_and_cut_long_achievements(
    exemplars,
):
    with translation.override("vi"):
        written = NEW_EXEMPLAR_ROWS.render(Context({"object_list": exemplars}))
    person = next(exemplar for exemplar in exemplars if exemplar.kind == Exemplar.Kind.PERSON)
    assert (
        f'<a href="/meetings/{person.meeting_id}/#exemplar-{person.pk}">'
        "Lục Thị &lt;Mai&gt; &amp; &quot;Lan&quot;</a>"
    ) in written
    assert f"<td>{'ă' * 160}</td>" in written
    assert f"<td>{'ă' * 159}…</td>" in written
    assert "Cụm thi đua các huyện, thành phố, 01/07/2022</td>" in written
