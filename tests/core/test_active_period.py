"""``{% active_period %}``: a unit's time in force, as its list and page show it."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template("{% load thidua %}{% active_period start end %}")


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (None, None, "từ khi thành lập"),
        (datetime.date(2025, 7, 1), None, "01/07/2025 – nay"),
        (
            None,
            datetime.date(2025, 6, 30),
            '… – <span class="badge text-bg-secondary">30/06/2025</span>',
        ),
        (
            datetime.date(2020, 1, 1),
            datetime.date(2025, 6, 30),
            '01/01/2020 – <span class="badge text-bg-secondary">30/06/2025</span>',
        ),
    ],
)
def test_it_writes_the_period_in_vietnamese(start, end, shown):
    with translation.override("vi"):
        assert TEMPLATE.render(Context({"start": start, "end": end})) == shown


def test_in_english_it_says_now_with_the_same_day_first_dates():
    with translation.override("en"):
        rendered = TEMPLATE.render(Context({"start": datetime.date(2025, 7, 1), "end": None}))
    assert rendered == "01/07/2025 – now"
