"""The rows of a table of awards (``{% award_rows %}``): the cells the list, the inboxes
and a decision's page show, escaped, in Vietnamese."""

import datetime
import html
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from awards.models import Award, Occasion, RecipientKind
from clusters.models import Stage
from tests.factories import UnitFactory
from tests.factories.awards import AwardFactory, DecisionFactory

pytestmark = pytest.mark.django_db

TABLE = Template(
    '{% include "awards/includes/_award_table.html" with bulk=bulk numbered=numbered %}'
)


def rows(awards, *, bulk=True, numbered=True, start=1) -> list[str]:
    """Each row's text, its cells joined by " | "."""
    with translation.override("vi"):
        page = TABLE.render(
            Context(
                {
                    "awards": awards,
                    "bulk": bulk,
                    "numbered": numbered,
                    "page_obj": {"start_index": start},
                }
            )
        )
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        found.append(
            " | ".join(html.unescape(" ".join(re.sub(r"<[^>]+>", " ", c).split())) for c in cells)
        )
    return found


def test_each_award_shows_its_year_recipient_award_occasion_status_and_decision(body):
    decision = DecisionFactory(body=body, number="345/QĐ-UBND", signed_on=datetime.date(2023, 3, 2))
    granted = AwardFactory(
        body=body,
        decision=decision,
        recipient_kind=RecipientKind.INDIVIDUAL,
        unit=None,
        recipient_name="Hoàng Thị <Lan>",
        recipient_position="Chủ tịch UBND",
        recipient_unit_name="Huyện Na Rì",
    )
    waiting = AwardFactory(
        body=body,
        year=2023,
        unit=UnitFactory(body=body, name="Huyện Pác Nặm"),
        recipient_name="Huyện Pác Nặm",
        status=Award.Status.SUBMITTED,
        stage=Stage.COUNCIL,
        decision=None,
        occasion=Occasion.AD_HOC,
    )
    assert rows([granted, waiting], start=51) == [
        " | 51 | 2022 | Hoàng Thị <Lan> Chủ tịch UBND, Huyện Na Rì | Bằng khen của UBND tỉnh"
        " | Thường xuyên | Đã có quyết định | 345/QĐ-UBND 02/03/2023",
        " | 52 | 2023 | Huyện Pác Nặm | Bằng khen của UBND tỉnh | Đột xuất"
        " | Đã trình: Hội đồng Thi đua - Khen thưởng | ",
    ]
    with translation.override("vi"):
        page = TABLE.render(
            Context({"awards": [granted], "bulk": True, "numbered": False, "page_obj": None})
        )
    assert "Hoàng Thị &lt;Lan&gt;" in page
    assert f'href="/awards/{granted.pk}/"' in page
    assert f'href="/decisions/{decision.pk}/"' in page
    assert f'name="awards" value="{granted.pk}" form="bulk"' in page


def test_a_page_whose_place_is_unknown_leaves_the_numbers_blank_and_an_empty_table_says_so():
    assert rows([], bulk=False) == ["Không có khen thưởng nào phù hợp."]
