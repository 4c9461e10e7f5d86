"""The cluster year page with every block filled in (pledge, meetings, scoring, exports)
stays within the budget of a composite page: 15 queries (shared/PERFORMANCE.md)."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import ClusterYear
from tests.conftest import _client_for
from tests.factories import UserFactory


def test_the_demo_year_page_with_every_block_stays_within_fifteen_queries(db):
    call_command("seed_demo", verbosity=0)
    year = ClusterYear.objects.get(cluster__name="Cụm thi đua các huyện, thành phố", year=2022)
    client = _client_for(UserFactory(username="root", is_superuser=True))
    client.get(year.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        response = client.get(year.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert len(queries) <= 15, [query["sql"][:80] for query in queries]
    for block in (
        'id="pledge-section"',
        'id="heat-table"',
        'id="meetings-section"',
        'id="scoring-top"',
        'id="year-package"',
    ):
        assert block in html
    assert "Huyện Na Rì" in html
