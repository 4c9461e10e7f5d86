"""Every document of a cluster year prints the same words, in the same order, in its PDF
and its Word file: each kind in the registry of a year's documents, for every year of
the demo (a pledge of eight members, minutes with a report, a discussion and
conclusions, an approved ranking with ties and a veto), rendered by the two renderers.
"""

import io

import pytest
from django.core.management import call_command

from clusters.documents import year_documents
from clusters.models import ClusterYear
from core.documents.parity import assert_same_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_years():
    call_command("seed_demo", stdout=io.StringIO())
    return list(ClusterYear.objects.select_related("cluster__body").order_by("pk"))


def test_the_apps_register_the_pledge_the_minutes_and_the_score_summary():
    assert [kind.key for kind in year_documents][:3] == ["pledge", "minutes", "results"]


@pytest.mark.parametrize(("key", "count"), [("pledge", 4), ("minutes", 4), ("results", 2)])
def test_each_document_of_the_demo_years_has_the_same_words_in_pdf_and_word(demo_years, key, count):
    kind = year_documents[key]
    printed = []
    for cluster_year in demo_years:
        for stem, document in kind.build(cluster_year):
            pdf, word = assert_same_words(document)
            assert pdf.startswith(b"%PDF-") and word.startswith(b"PK")
            printed.append((cluster_year.cluster.name, cluster_year.year, stem))
    # Four pledges, four meetings, two score sheets: none may silently drop out.
    assert len(printed) == count, printed
