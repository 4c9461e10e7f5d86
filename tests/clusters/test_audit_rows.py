"""The rows of the audit trail (``{% audit_rows %}``): the same HTML as the template loop
it replaced, with and without the record column, in both languages, escaped."""

import re
import unicodedata

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.factories import ClusterFactory, ClusterYearFactory, UserFactory

pytestmark = pytest.mark.django_db

# The rows as the audit template wrote them before the tag, copied as they were.
OLD_ROWS = Template("""{% load i18n %}
  {% for entry in entries %}
    <tr>
      <td class="text-nowrap">{{ entry.row.history_date|date:"d/m/Y H:i" }}</td>
      <td>{% if entry.row.history_user %}{{ entry.row.history_user.get_full_name|default:entry.row.history_user.get_username }}{% else %}<span class="text-muted">{% translate "system" %}</span>{% endif %}</td>
      {% if show_record %}<td>{% if entry.link %}<a href="{{ entry.link }}">{{ entry.audited.name|capfirst }} #{{ entry.record_id }}</a>{% else %}{{ entry.audited.name|capfirst }} #{{ entry.record_id }}{% endif %}</td>{% endif %}
      <td>{% if entry.kind == "created" %}<span class="badge text-bg-success">{% translate "created" %}</span>{% elif entry.kind == "deleted" %}<span class="badge text-bg-danger">{% translate "deleted" %}</span>{% else %}<span class="badge text-bg-secondary">{% translate "changed" %}</span>{% endif %}
        {% if entry.row.history_change_reason %}<div class="small">{{ entry.row.history_change_reason }}</div>{% endif %}</td>
      <td>{% if entry.changes %}<ul class="list-unstyled mb-0 small">{% for change in entry.changes %}<li><strong>{{ change.label|capfirst }}:</strong> {% if change.old %}<del>{{ change.old|truncatechars:120 }}</del> → {% endif %}{{ change.new|truncatechars:120 }}</li>{% endfor %}</ul>{% elif entry.kind == "changed" %}<span class="text-muted small">{% translate "saved without change" %}</span>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="5" class="text-muted">{% translate "No changes recorded." %}</td></tr>
  {% endfor %}
""")  # noqa: E501 (the template's rows, copied as they were)
NEW_ROWS = Template("{% load cluster_tables %}{% audit_rows entries show_record=show_record %}")

TRICKY = "<b>Cụm & \"số 1\"</b> 'A'"


def render(template: Template, entries, language: str, show_record: bool) -> str:
    """The rows without the white space between tags (the template's layout)."""
    with translation.override(language):
        text = template.render(Context({"entries": entries, "show_record": show_record}))
    return re.sub(r">\s+<", "><", text).strip()


@pytest.fixture
def entries(staff_client, staff, body):
    cluster = ClusterFactory(body=body, name=TRICKY)
    cluster._history_user = UserFactory(username="thuky.nari", first_name="")
    cluster.name = unicodedata.normalize("NFD", "Cụm thi đua " + "rất dài " * 20)
    cluster._change_reason = f"Đổi tên theo {TRICKY}"
    cluster.save()
    cluster._history_user = staff
    cluster.save()  # saved without a change
    year = ClusterYearFactory(cluster=cluster, year=2023)
    year.delete()
    response = staff_client.get(reverse("reports:audit-log"))
    found = response.context["entries"]
    assert {entry.kind for entry in found} == {"created", "changed", "deleted"}
    return found


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("show_record", [True, False])
def test_the_audit_rows_are_the_rows_the_template_wrote(entries, language, show_record):
    expected = render(OLD_ROWS, entries, language, show_record)
    assert render(NEW_ROWS, entries, language, show_record) == expected
    assert "&lt;b&gt;Cụm &amp; &quot;số 1&quot;&lt;/b&gt; &#x27;A&#x27;" in expected
    assert "thuky.nari" in expected
    assert "…" in expected  # the long name cut at 120 characters


@pytest.mark.parametrize(
    "language, text",
    [("vi", "Chưa có thay đổi nào được ghi nhận."), ("en", "No changes recorded.")],
)
def test_no_audit_rows_say_so(language, text):
    expected = render(OLD_ROWS, [], language, True)
    assert render(NEW_ROWS, [], language, True) == expected
    assert expected == f'<tr><td colspan="5" class="text-muted">{text}</td></tr>'
