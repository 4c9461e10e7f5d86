"""Helpers of the tags that write big tables' rows (core.rows): the same text as the
template filters they stand for."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.rows import local_date

MOMENTS = [
    datetime.datetime(2023, 2, 7, 1, 5, 9, tzinfo=datetime.UTC),  # 08:05 in Hà Nội
    datetime.datetime(2025, 12, 31, 17, 30, tzinfo=datetime.UTC),  # the next day there
    datetime.datetime(2024, 7, 1, 23, 59, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")),
    datetime.date(2023, 2, 7),
    datetime.date(999, 1, 1),  # a four-digit year however small
]
FORMATS = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "d/m/Y H:i",
    "j/n/Y G:i:s",
    "d.m.Y",
    "\\N\\g\\à\\y d \\t\\h\\á\\n\\g m \\n\\ă\\m Y",  # letters: through Django's formatter
    "D, d M Y",  # a day's and a month's names, translated
    "d/m/Y <b>",
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("format_name", FORMATS)
def test_a_date_reads_as_the_date_filter_writes_it(language, format_name):
    template = Template("{{ value|date:format_name }}")
    with translation.override(language), timezone.override("Asia/Ho_Chi_Minh"):
        for value in MOMENTS:
            a_day = not isinstance(value, datetime.datetime)
            if a_day and (any(c in format_name for c in "HGis") or "DATETIME" in format_name):
                continue  # the filter writes nothing for a date's hours
            expected = template.render(Context({"value": value, "format_name": format_name}))
            assert local_date(value, format_name) == expected, (value, format_name)


def test_no_date_is_empty():
    assert local_date(None) == ""


def test_a_moment_is_written_in_the_local_time_zone():
    moment = datetime.datetime(2025, 12, 31, 17, 30, tzinfo=datetime.UTC)
    with translation.override("vi"), timezone.override("Asia/Ho_Chi_Minh"):
        assert local_date(moment, "d/m/Y H:i") == "01/01/2026 00:30"
        assert local_date(moment, "DATETIME_FORMAT") == "00:30 01/01/2026"
