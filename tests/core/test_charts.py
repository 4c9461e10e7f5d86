"""Charts drawn on the server: well-formed SVG without script, the same markup for the
same data, Vietnamese numbers, gaps for missing values, whole names, and the PDF draws
them in their colours."""

import subprocess
from decimal import Decimal

import pytest
from django.utils import translation
from lxml import etree

from core.charts import PALETTE, bar_chart, format_number, line_chart, wrap_label
from core.documents.model import Chart, Document, DocumentHeader
from core.documents.parity import chart_words
from core.documents.pdf import clean_svg, render_pdf

SVG = "{http://www.w3.org/2000/svg}"
LONG_NAME = "Sở Lao động - Thương binh và Xã hội tỉnh Bắc Kạn"


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def parse(svg: str):
    return etree.fromstring(svg.encode())


def texts(root) -> list[str]:
    """What each <text> element prints (its lines joined by a space), in drawing order."""
    return [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def totals(**overrides) -> str:
    arguments = {
        "categories": ["Huyện Na Rì", "Huyện Pác Nặm", "Huyện Ba Bể"],
        "series": [("Tổng điểm", [Decimal("95.5"), Decimal(92), Decimal("89.25")])],
        "max_value": 100,
        "decimals": 2,
        "description": "Tổng điểm của các đơn vị, theo thứ hạng",
    }
    return bar_chart(**{**arguments, **overrides})


def test_a_chart_is_one_svg_element_without_declaration_script_or_comment():
    svg = totals()

    assert svg.startswith("<svg")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    assert not [node for node in root.iter() if isinstance(node, etree._Comment)]
    assert "pygal.org" not in svg and "<?xml" not in svg


def test_a_chart_names_itself_for_screen_readers():
    root = parse(totals())

    assert root.get("role") == "img"
    assert root.get("aria-label") == "Tổng điểm của các đơn vị, theo thứ hạng"
    titles = root.findall(f"{SVG}title")
    assert [title.text for title in titles] == ["Tổng điểm của các đơn vị, theo thứ hạng"]
    # No hover-only titles or descriptions left inside.
    assert len(list(root.iter(f"{SVG}title"))) == 1
    assert not list(root.iter(f"{SVG}desc"))


def test_the_same_data_gives_the_same_svg_and_other_data_another_id():
    first, again = totals(), totals()
    other = totals(series=[("Tổng điểm", [Decimal(95), Decimal(92), Decimal("89.25")])])

    assert first == again
    chart_id = parse(first).get("id")
    assert chart_id.startswith("chart-")
    assert parse(other).get("id") != chart_id
    # pygal's stylesheet is kept, prefixed with the chart's own id.
    assert f"#{chart_id} .axis" in first


def test_ids_inside_the_chart_do_not_repeat_across_charts():
    root = parse(totals(series=[("Nhóm I", [1, 2, 3]), ("Nhóm II", [3, 2, 1])], stacked=True))

    assert [element.get("id") for element in root.iter() if element.get("id")] == [root.get("id")]


def test_values_and_axis_are_written_the_vietnamese_way():
    root = parse(totals())

    printed = texts(root)
    assert [t for t in printed if "," in t][-3:][::-1] == ["95,50", "92,00", "89,25"]
    assert {"0", "20", "40", "60", "80", "100"} <= set(printed)


def test_thousands_take_a_dot_and_decimals_a_comma():
    svg = bar_chart(
        categories=["Tập thể", "Cá nhân"],
        series=[("Số đăng ký", [1524, 18568])],
        description="Số tập thể và cá nhân đăng ký danh hiệu",
    )

    printed = texts(parse(svg))
    assert "18.568" in printed and "1.524" in printed
    assert "5.000" in printed and "20.000" in printed
    assert format_number(Decimal("92.25")) == "92,25"
    assert format_number(Decimal("92.25"), unit="%") == "92,25%"
    assert format_number(18568, 0, unit="người") == "18.568 người"


def test_the_numbers_follow_the_active_language():
    with translation.override("en"):
        printed = texts(parse(totals()))

    assert "95.50" in printed and "95,50" not in printed


def test_a_missing_value_draws_no_bar_and_prints_nothing():
    svg = totals(series=[("Tổng điểm", [Decimal("95.5"), None, Decimal(89)])])

    root = parse(svg)
    bars = [rect for rect in root.iter(f"{SVG}rect") if "rect" in rect.get("class", "").split()]
    assert len(bars) == 2
    printed = texts(root)
    assert "95,50" in printed and "89,00" in printed
    assert not {"None", "nan", "0,00"} & set(printed)


def test_horizontal_bars_run_top_down_in_the_order_given():
    root = parse(totals())

    def y_of(name):
        label = next(t for t in root.iter(f"{SVG}text") if " ".join(t.itertext()) == name)
        return float(label.get("y"))

    assert y_of("Huyện Na Rì") < y_of("Huyện Pác Nặm") < y_of("Huyện Ba Bể")


def test_a_long_name_is_wrapped_between_words_never_cut():
    svg = totals(categories=["Huyện Na Rì", LONG_NAME, "Huyện Ba Bể"])

    root = parse(svg)
    label = next(t for t in root.iter(f"{SVG}text") if "Thương" in "".join(t.itertext()))
    lines = [span.text for span in label.iter(f"{SVG}tspan")]
    assert lines == ["Sở Lao động - Thương binh", "và Xã hội tỉnh Bắc Kạn"]
    assert " ".join(lines) == LONG_NAME
    assert "…" not in svg
    assert wrap_label("Thành phố Bắc Kạn") == ["Thành phố Bắc Kạn"]


def test_under_vertical_bars_a_long_name_hangs_down_from_its_first_line():
    svg = totals(categories=["Huyện Na Rì", LONG_NAME, "Huyện Ba Bể"], horizontal=False)

    root = parse(svg)
    label = next(t for t in root.iter(f"{SVG}text") if "Thương" in "".join(t.itertext()))
    spans = list(label.iter(f"{SVG}tspan"))
    assert [span.text for span in spans] == ["Sở Lao động - Thương binh", "và Xã hội tỉnh Bắc Kạn"]
    assert spans[0].get("dy") is None and float(spans[1].get("dy")) > 0
    names = [t for t in texts(root) if t.startswith(("Huyện", "Sở"))]
    assert names == ["Huyện Na Rì", LONG_NAME, "Huyện Ba Bể"]  # left to right, as given


def test_a_long_legend_entry_is_printed_whole():
    svg = bar_chart(
        categories=["Huyện Na Rì"],
        series=[
            ("I. Thực hiện nhiệm vụ chính trị, phát triển kinh tế - xã hội", [50]),
            ("II", [30]),
        ],
        stacked=True,
        description="Điểm theo nhóm tiêu chí",
    )

    assert "I. Thực hiện nhiệm vụ chính trị, phát triển kinh tế - xã hội" in texts(parse(svg))


def test_more_categories_make_a_taller_chart():
    def height(count):
        svg = totals(
            categories=[f"Đơn vị {n}" for n in range(count)],
            series=[("Tổng điểm", list(range(count)))],
        )
        return float(parse(svg).get("viewBox").split()[3])

    assert height(3) < height(6) < height(12)


def test_a_rank_line_chart_puts_rank_one_on_top_and_leaves_gaps():
    svg = line_chart(
        x_labels=["2021", "2022", "2023"],
        series=[("Huyện Na Rì", [1, 2, 1]), ("Huyện Ba Bể", [None, 1, 2])],
        inverse_y=True,
        integer_y=True,
        description="Thứ hạng qua các năm",
    )

    root = parse(svg)
    printed = texts(root)
    assert {"2021", "2022", "2023", "1", "2", "Huyện Na Rì", "Huyện Ba Bể"} <= set(printed)
    assert not [t for t in printed if t in ("1,5", "0", "3")]  # whole ranks, 1 and 2 only

    def dots(index):
        groups = [g for g in root.iter(f"{SVG}g") if f"serie-{index}" in g.get("class", "")]
        return [float(c.get("cy")) for g in groups for c in g.iter(f"{SVG}circle")]

    na_ri, ba_be = dots(0), dots(1)
    assert len(na_ri) == 3 and len(ba_be) == 2  # Ba Bể was not ranked in 2021
    assert na_ri[0] < na_ri[1]  # rank 1 is drawn above rank 2
    assert ba_be[0] == na_ri[0]
    # No base line framing the top of an inverted axis; the guides stay.
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("axis y"))
    assert [p.get("class") for p in axis.iter(f"{SVG}path")] == ["guide line", "guide line"]
    # The legend shows each line with its own dashes, for a greyscale print.
    keys = [p for p in root.iter(f"{SVG}path") if "legend-line" in p.get("class", "")]
    assert [key.get("stroke-dasharray") for key in keys] == [None, "10,5"]


def test_the_pdf_draws_the_chart_in_its_colours_and_its_labels(tmp_path):
    svg = totals(categories=["Huyện Na Rì", LONG_NAME, "Huyện Ba Bể"])
    document = Document(
        header=DocumentHeader(parent_body="UBND tỉnh Bắc Kạn", issuer="Cụm thi đua số 1"),
        title="Báo cáo",
        blocks=[Chart("Tổng điểm của các đơn vị", svg)],
    )
    cleaned = str(clean_svg(svg))
    assert "<style" in cleaned and "Sở Lao động - Thương binh" in cleaned

    pdf = tmp_path / "chart.pdf"
    pdf.write_bytes(render_pdf(document))
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Sở Lao động - Thương binh" in text and "95,50" in text
    assert chart_words(svg)[:3] == ["Huyện", "Ba", "Bể"]

    subprocess.run(["pdftoppm", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    colours = _colours(next(tmp_path.glob("page*.ppm")).read_bytes())
    navy = tuple(int(PALETTE[0][i : i + 2], 16) for i in (1, 3, 5))
    # The bars are navy, as pygal's stylesheet says, not the black of an unstyled shape.
    assert colours.get(navy, 0) > 200
    assert colours.get((0, 0, 0), 0) < colours[navy]


def _colours(ppm: bytes) -> dict[tuple[int, int, int], int]:
    """{(r, g, b): pixels} of a binary PPM (P6) image."""
    header, _, rest = ppm.partition(b"\n")
    assert header == b"P6"
    size, _, rest = rest.partition(b"\n")
    _maximum, _, pixels = rest.partition(b"\n")
    counts: dict[tuple[int, int, int], int] = {}
    for index in range(0, len(pixels) - 2, 3):
        colour = (pixels[index], pixels[index + 1], pixels[index + 2])
        counts[colour] = counts.get(colour, 0) + 1
    return counts


def test_a_chart_drawn_once_is_served_from_the_cache_per_language_and_data():
    from django.core.cache import cache

    from core.charts import drawn

    cache.clear()
    calls = []

    def draw(**content):
        calls.append((translation.get_language(), content))
        return f"<svg>{len(calls)}</svg>"

    with translation.override("vi"):
        assert drawn(draw, values=[1, 2]) == "<svg>1</svg>"
        assert drawn(draw, values=[1, 2]) == "<svg>1</svg>"
        assert drawn(draw, values=[1, 3]) == "<svg>2</svg>"
    with translation.override("en"):
        assert drawn(draw, values=[1, 2]) == "<svg>3</svg>"
    assert calls == [
        ("vi", {"values": [1, 2]}),
        ("vi", {"values": [1, 3]}),
        ("en", {"values": [1, 2]}),
    ]
