"""The rows of the units, emulation years and people lists (``cluster_tables``): the
markup the lists' templates wrote, character for character, in both languages."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from clusters import selectors
from clusters.models import ClusterMember, ClusterYear, Person, Unit
from tests.factories import (
    ClusterFactory,
    ClusterMemberFactory,
    ClusterYearFactory,
    OrganizingBodyFactory,
    UnitFactory,
)
from tests.factories.meetings import PersonFactory

pytestmark = pytest.mark.django_db

TRICKY = "<b>&\"'"

# The rows as the lists' templates wrote them before the tags.
OLD_UNIT_ROWS = Template("""{% load i18n thidua %}
  {% for unit in object_list %}
    <tr>
      <td class="num">{{ page_obj.start_index|add:forloop.counter0 }}</td>
      <td><a href="{{ unit.get_absolute_url }}">{{ unit.name }}</a></td>
      <td>{{ unit.short_name }}</td>
      <td>{{ unit.get_kind_display }}</td>
      <td>{{ unit.code }}</td>
      <td>{{ unit.parent.name|default:"" }}</td>
      <td>{% active_period unit.active_from unit.active_to %}</td>
      <td class="small text-muted">{{ unit.body.name }}</td>
    </tr>
  {% empty %}
    <tr><td colspan="8" class="text-center text-muted py-4">{% translate "No units match." %}</td></tr>
  {% endfor %}
""")  # noqa: E501 (the template's rows, copied as they were)

OLD_CLUSTER_YEAR_ROWS = Template("""{% load i18n thidua %}
  {% for cluster_year in object_list %}
    <tr>
      <td><a href="{{ cluster_year.get_absolute_url }}">{{ cluster_year.year }}</a></td>
      <td><a href="{{ cluster_year.get_absolute_url }}">{{ cluster_year.cluster.name }}</a></td>
      <td>{{ cluster_year.head.name|default:"—" }}</td>
      <td>{{ cluster_year.deputy.name|default:"—" }}</td>
      <td class="num">{{ cluster_year.member_count|number }}</td>
      <td class="small text-muted">{{ cluster_year.cluster.body.name }}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6" class="text-center text-muted py-4">{% translate "No emulation years match." %}</td></tr>
  {% endfor %}
""")  # noqa: E501 (the template's rows, copied as they were)

OLD_PERSON_ROWS = Template("""{% load i18n %}
  {% for person in object_list %}
    <tr>
      <td class="num">{{ page_obj.start_index|add:forloop.counter0 }}</td>
      <td><a href="{{ person.get_absolute_url }}">{{ person.full_name }}</a></td>
      <td>{{ person.position }}</td>
      <td>{{ person.unit.name|default:"" }}</td>
      <td class="small text-muted">{{ person.body.name }}</td>
    </tr>
  {% empty %}
    <tr><td colspan="5" class="text-center text-muted py-4">{% translate "No people match." %}</td></tr>
  {% endfor %}
""")  # noqa: E501 (the template's rows, copied as they were)

NEW_UNIT_ROWS = Template(
    "{% load cluster_tables %}{% unit_rows object_list start=page_obj.start_index %}"
)
NEW_CLUSTER_YEAR_ROWS = Template("{% load cluster_tables %}{% cluster_year_rows object_list %}")
NEW_PERSON_ROWS = Template(
    "{% load cluster_tables %}{% person_rows object_list start=page_obj.start_index %}"
)

LANGUAGES = ["vi", "en"]


def render(template: Template, object_list, language: str, start=51) -> str:
    """The rows, without the line breaks and indentation between tags (the template's
    layout; no value shown holds a line break)."""
    page_obj = None if start is None else {"start_index": start}
    with translation.override(language):
        text = template.render(Context({"object_list": object_list, "page_obj": page_obj}))
    return re.sub(r">\s*\n\s*<", "><", text).strip()


def assert_same_rows(old: Template, new: Template, object_list, language, **kwargs):
    expected = render(old, object_list, language, **kwargs)
    assert render(new, object_list, language, **kwargs) == expected
    return expected


@pytest.fixture
def tricky_body():
    return OrganizingBodyFactory(name=f"UBND {TRICKY} tỉnh")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_unit_rows_are_the_ones_the_template_wrote(
    language, tricky_body, django_assert_num_queries
):
    parent = UnitFactory(body=tricky_body, name=f"Tỉnh {TRICKY}", kind=Unit.Kind.PROVINCE)
    UnitFactory(
        body=tricky_body,
        name=f"Huyện {TRICKY}",
        short_name=f"Ngắn {TRICKY}",
        code=f"H-{TRICKY}",
        parent=parent,
        active_from=datetime.date(2025, 7, 1),
    )
    UnitFactory(
        body=tricky_body,
        name="Huyện Cũ",
        parent=parent,
        active_from=datetime.date(2000, 1, 1),
        active_to=datetime.date(2025, 6, 30),
    )
    UnitFactory(body=tricky_body, name="Huyện Hết", active_to=datetime.date(2020, 12, 31))
    UnitFactory(body=tricky_body, name="Sở Nội vụ", kind=Unit.Kind.AGENCY, code="SNV")
    units = list(Unit.objects.select_related("body", "parent").order_by("pk"))
    # A value without a label: ``get_kind_display`` shows the value itself.
    units[-1].kind = f"kind-{TRICKY}"

    with django_assert_num_queries(0):
        shown = assert_same_rows(OLD_UNIT_ROWS, NEW_UNIT_ROWS, units, language)
    assert shown.count("<tr>") == 5
    assert "Huyện &lt;b&gt;&amp;&quot;&#x27;" in shown
    assert 'class="badge text-bg-secondary">30/06/2025<' in shown
    assert '<td class="num">51</td>' in shown and '<td class="num">55</td>' in shown
    assert_same_rows(OLD_UNIT_ROWS, NEW_UNIT_ROWS, units[:2], language, start=None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cluster_year_rows_are_the_ones_the_template_wrote(
    language, tricky_body, django_assert_num_queries
):
    cluster = ClusterFactory(body=tricky_body, name=f"Cụm {TRICKY}")
    head = UnitFactory(body=tricky_body, name=f"Huyện {TRICKY}")
    deputy = UnitFactory(body=tricky_body, name="Huyện Ba Bể")
    led = ClusterYearFactory(cluster=cluster, year=2024)
    ClusterMemberFactory(cluster_year=led, unit=head, role=ClusterMember.Role.HEAD)
    ClusterMemberFactory(cluster_year=led, unit=deputy, role=ClusterMember.Role.DEPUTY)
    headed = ClusterYearFactory(cluster=cluster, year=2023)
    ClusterMemberFactory(cluster_year=headed, unit=head, role=ClusterMember.Role.HEAD)
    ClusterMemberFactory(cluster_year=headed, unit=deputy)
    ClusterYearFactory(cluster=cluster, year=2022)
    ClusterYearFactory(year=2021)
    years = list(
        selectors.with_leaders(
            ClusterYear.objects.select_related("cluster", "cluster__body")
        ).order_by("-year")
    )
    for cluster_year in years:
        cluster_year.head, cluster_year.deputy = selectors.leaders_of(cluster_year)
    years[-1].member_count = 18568  # grouped as the ``number`` filter groups it

    with django_assert_num_queries(0):
        shown = assert_same_rows(OLD_CLUSTER_YEAR_ROWS, NEW_CLUSTER_YEAR_ROWS, years, language)
    assert shown.count("<tr>") == 4
    assert shown.count("<td>—</td>") == 5
    assert "Cụm &lt;b&gt;&amp;&quot;&#x27;" in shown
    assert '<td class="num">2</td>' in shown
    assert ('<td class="num">18.568</td>' if language == "vi" else "18,568") in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_person_rows_are_the_ones_the_template_wrote(
    language, tricky_body, django_assert_num_queries
):
    unit = UnitFactory(body=tricky_body, name=f"Huyện {TRICKY}")
    PersonFactory(
        body=tricky_body, full_name=f"Hoàng {TRICKY}", position=f"Chủ tịch {TRICKY}", unit=unit
    )
    PersonFactory(body=tricky_body, full_name="Nông Văn Dền", position="Bí thư", unit=None)
    PersonFactory(full_name="Lý Thị Hoa", position="", unit=None)
    people = list(Person.objects.select_related("unit", "body").order_by("pk"))

    with django_assert_num_queries(0):
        shown = assert_same_rows(OLD_PERSON_ROWS, NEW_PERSON_ROWS, people, language)
    assert shown.count("<tr>") == 3
    assert "Hoàng &lt;b&gt;&amp;&quot;&#x27;" in shown
    assert_same_rows(OLD_PERSON_ROWS, NEW_PERSON_ROWS, people[:1], language, start=None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_empty_list_says_so_as_the_template_did(language):
    for old, new in (
        (OLD_UNIT_ROWS, NEW_UNIT_ROWS),
        (OLD_CLUSTER_YEAR_ROWS, NEW_CLUSTER_YEAR_ROWS),
        (OLD_PERSON_ROWS, NEW_PERSON_ROWS),
    ):
        shown = assert_same_rows(old, new, [], language)
        assert shown.startswith("<tr><td colspan=")
