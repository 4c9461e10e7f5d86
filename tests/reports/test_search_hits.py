"""The hits of the global search (``{% search_hits %}``): the same HTML as the template
loop it replaced, for every kind searched, escaped, and without a query."""

import re

import pytest
from django.template import Context, Template

from clusters.selectors import clusters_for_user, people_for_user, units_for_user
from meetings.selectors import exemplars_for_user
from pledges.selectors import movements_for_user
from tests.factories import ClusterFactory, ClusterYearFactory, UnitFactory
from tests.factories.meetings import ExemplarFactory, MeetingFactory, PersonFactory, at
from tests.factories.pledges import MovementFactory

pytestmark = pytest.mark.django_db

# The section's rows as the search template wrote them before the tag, copied as it was.
OLD_HITS = Template("""
      {% for row in section.rows %}
      <li class="list-group-item search-hit"><a href="{{ row.get_absolute_url }}">{{ row }}</a>{% if row.position %} <span class="small">— {{ row.position }}</span>{% endif %}{% if row.starts_at %} <span class="text-muted small">· {{ row.cluster_year.cluster.name }} · {{ row.starts_at|date:"d/m/Y" }}</span>{% endif %}{% if row.body %} <span class="text-muted small">· {{ row.body.name }}</span>{% endif %}{% if row.meeting %} <span class="text-muted small">· {{ row.meeting.title }}</span>{% endif %}</li>
      {% endfor %}
""")  # noqa: E501 (the template's line, copied whole)
NEW_HITS = Template("{% load search_hits %}{% search_hits section.rows %}")

TRICKY = "<b>Tổng kết & \"đánh giá\"</b> '2023'"


def layout_free(html: str) -> str:
    """The HTML without the white space between items, which a browser ignores."""
    return re.sub(r">\s+<li", "><li", html.strip())


def assert_same_hits(rows, django_assert_num_queries) -> str:
    context = Context({"section": {"rows": rows}})
    old = OLD_HITS.render(context)
    with django_assert_num_queries(0):
        new = NEW_HITS.render(context)
    assert layout_free(new) == layout_free(old)
    return new


def test_the_hits_of_every_kind_are_the_items_the_template_wrote(
    staff, body, django_assert_num_queries
):
    body.name = f"UBND tỉnh {TRICKY}"
    body.save()
    unit = UnitFactory(body=body, name=f"Huyện {TRICKY}")
    cluster = ClusterFactory(body=body, name=f"Cụm {TRICKY}")
    PersonFactory(body=body, full_name=f"Nông Văn {TRICKY}", position=f"Chủ tịch {TRICKY}")
    PersonFactory(body=body, full_name="Hà Thị Lan", position="", unit=unit)
    MovementFactory(name=f"Phong trào {TRICKY}", body=None)
    MovementFactory(name="Phong trào của tỉnh", body=body)
    meeting = MeetingFactory(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2023),
        title=f"Hội nghị {TRICKY}",
        starts_at=at(2023, 12, 20, 23, 30),
    )
    ExemplarFactory(meeting=meeting, collective=f"Trường {TRICKY}")
    rows = [
        *units_for_user(staff),
        *clusters_for_user(staff),
        *people_for_user(staff).order_by("full_name"),
        *movements_for_user(staff).order_by("name"),
        *exemplars_for_user(staff),
    ]
    assert len(rows) == 7

    html = assert_same_hits(rows, django_assert_num_queries)

    assert html.count('<li class="list-group-item search-hit">') == 7
    assert "Huyện &lt;b&gt;Tổng kết &amp; &quot;đánh giá&quot;&lt;/b&gt; &#x27;2023&#x27;" in html
    assert '<span class="small">— Chủ tịch &lt;b&gt;' in html
    assert f'<a href="{unit.get_absolute_url()}">' in html
    assert "· Hội nghị &lt;b&gt;" in html


def test_no_hits_write_nothing(django_assert_num_queries):
    assert assert_same_hits([], django_assert_num_queries) == ""
