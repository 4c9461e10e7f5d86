"""The rows of the decisions register (``{% decision_rows %}``): the same HTML as the
template loop it replaced, in both languages, escaped, numbered, without a query."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from awards.selectors import decisions_tabled
from tests.factories.awards import DecisionFactory
from tests.meetings.test_meeting_tables import layout_free

pytestmark = pytest.mark.django_db

# The rows as the register's template wrote them before the tag, copied as they were.
OLD_ROWS = Template("""{% load i18n %}
  {% for decision in object_list %}
    <tr>
      <td class="num">{{ page_obj.start_index|add:forloop.counter0 }}</td>
      <td class="text-nowrap"><a href="{{ decision.get_absolute_url }}">{{ decision.number }}</a></td>
      <td>{{ decision.signed_on|date:"d/m/Y" }}</td>
      <td>{{ decision.authority }}</td>
      <td>{{ decision.summary }}</td>
      <td>{{ decision.signer_name }}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6" class="text-center text-muted py-4">{% translate "No decisions match." %}</td></tr>
  {% endfor %}
""")  # noqa: E501 (the template's lines, copied whole)

NEW_ROWS = Template(
    "{% load award_tables %}{% decision_rows object_list start=page_obj.start_index %}"
)


@pytest.fixture
def decisions(staff, body) -> list:
    DecisionFactory(
        body=body,
        number="2021/QĐ-UBND",
        signed_on=datetime.date(2023, 1, 9),
        summary="Tặng Cờ thi đua của UBND tỉnh",
    )
    DecisionFactory(
        body=body,
        number='12/QĐ-<"CT">',
        signed_on=datetime.date(2022, 12, 31),
        authority="Chủ tịch UBND & Ban TĐKT",
        summary="",
        signer_name="Lường Văn <Hòa>",
    )
    return list(decisions_tabled(staff).order_by("-signed_on", "-pk"))


@pytest.mark.parametrize("start", [1, 51, None])
def test_the_decision_rows_are_the_rows_the_template_wrote(
    decisions, start, django_assert_num_queries
):
    page = None if start is None else {"start_index": start}
    for rows in (decisions, []):
        for language in ("vi", "en"):
            context = {"object_list": rows, "page_obj": page}
            with translation.override(language):
                with django_assert_num_queries(0):
                    written = NEW_ROWS.render(Context(context))
                expected = layout_free(OLD_ROWS.render(Context(context)))
            assert written.count("<tr>") == max(len(rows), 1)
            assert layout_free(written) == expected


def test_the_decision_rows_number_link_and_escape(decisions):
    with translation.override("vi"):
        written = NEW_ROWS.render(
            Context({"object_list": decisions, "page_obj": {"start_index": 51}})
        )
    first, second = decisions
    assert f'<td class="num">51</td><td class="text-nowrap"><a href="/decisions/{first.pk}/">' in (
        written
    )
    assert "<td>09/01/2023</td>" in written
    assert '<td class="num">52</td>' in written
    assert "12/QĐ-&lt;&quot;CT&quot;&gt;" in written
    assert "Chủ tịch UBND &amp; Ban TĐKT" in written
    assert "Lường Văn &lt;Hòa&gt;" in written
