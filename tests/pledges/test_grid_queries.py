"""The grid pages run an exact number of queries, the same for one member and one target
as for three of each: rendering a cell never queries, and the count cannot creep up."""

import pytest
from django.urls import reverse

from tests.pledges.helpers import page

pytestmark = pytest.mark.django_db

# page: (its URL for a GrowingPledge, the queries it runs, what to count on it)
PAGES = {
    "targets": (
        lambda g: reverse("pledges:pledge-targets", args=[g.pledge.pk]),
        6,
        "//table[@id='targets-table']/tbody/tr[.//input[@type='checkbox']]",
    ),
    "commitments": (
        lambda g: reverse("pledges:pledge-commitments", args=[g.pledge.pk]),
        7,
        "//table[@id='grid']//td/*[starts-with(@name, 'c-')]",
    ),
    "results": (
        lambda g: reverse("pledges:period-results", args=[g.period.pk]),
        7,
        "//table[@id='grid']//td/*[starts-with(@name, 'c-')]",
    ),
    "registrations": (
        lambda g: reverse("pledges:pledge-registrations", args=[g.pledge.pk]),
        8,
        "//input[starts-with(@name, 'collectives-')]",
    ),
    "signatures": (
        lambda g: reverse("pledges:pledge-signatures", args=[g.pledge.pk]),
        6,
        "//input[starts-with(@name, 'signed-')]",
    ),
    "expectations": (
        lambda g: reverse("pledges:period-expectations", args=[g.period.pk]),
        5,
        "//input[starts-with(@name, 'share_')]",
    ),
    "heat table": (
        lambda g: g.period.get_absolute_url(),
        8,
        "//table[@id='heat-table']/tbody/tr/td[@data-status]",
    ),
}

# How many of those things each page shows for 1 × 1 and for 3 × 3.
SHOWN = {
    "targets": (1, 3),
    "commitments": (1, 9),
    "results": (1, 9),
    "registrations": (1, 3),
    "signatures": (1, 3),
    "expectations": (1, 3),
    "heat table": (1, 9),
}


@pytest.mark.parametrize("name", PAGES)
def test_a_grid_page_runs_the_same_exact_number_of_queries_as_it_grows(
    name, staff_client, growing, django_assert_num_queries
):
    url, queries, shown = PAGES[name]
    url = url(growing)
    staff_client.get(url)  # warm up per-process caches (content types, the session)
    with django_assert_num_queries(queries):
        small = staff_client.get(url)
    growing.grow()
    with django_assert_num_queries(queries):
        large = staff_client.get(url)
    assert (small.status_code, large.status_code) == (200, 200)
    assert (len(page(small).xpath(shown)), len(page(large).xpath(shown))) == SHOWN[name]
