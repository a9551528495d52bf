"""Metrics-page charts: well-formed, accessible SVG that no label can break out of."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from bot.console.charts import Series, horizontal_bars, line_chart, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"
OKABE_ITO = {
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
}
NO_DATA = "No data / 暂无数据"
DAYS_14 = [f"11-{day:02d}" for day in range(7, 21)]
DAYS_90 = [f"{month:02d}-{day:02d}" for month in (9, 10, 11) for day in range(1, 31)]
HOSTILE = '</text><script>alert("x")</script><text a=\'1\' " onload="evil()" & &amp; \x00\x1b'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def elements(root: ET.Element, tag: str, css_class: str | None = None) -> list[ET.Element]:
    return [
        element
        for element in root.iter(f"{SVG}{tag}")
        if css_class is None or css_class in element.get("class", "").split()
    ]


def texts(root: ET.Element, css_class: str) -> list[str]:
    return [element.text or "" for element in elements(root, "text", css_class)]


def bar_heights(root: ET.Element) -> list[float]:
    return [float(rect.get("height", "nan")) for rect in elements(root, "rect", "bar")]


def from_compact(label: str) -> float:
    units = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
    return float(label[:-1]) * units[label[-1]] if label[-1] in units else float(label)


def is_nice_step(step: float) -> bool:
    exponent = math.floor(math.log10(step))
    return any(math.isclose(step, m * 10.0**exponent) for m in (1, 2, 5))


def typical_stacked() -> str:
    return stacked_bars(
        "Conversations per day",
        DAYS_14,
        [
            Series("English", [10 + i for i in range(14)]),
            Series("中文", [30 + 2 * i for i in range(14)]),
            Series("Other", [1] * 14),
        ],
    )


def typical_line() -> str:
    return line_chart(
        "Containment and fallback rate",
        DAYS_14,
        [
            Series("Containment", [0.6 + 0.02 * i for i in range(14)]),
            Series("Fallback", [0.2 - 0.01 * i for i in range(14)]),
        ],
        percent=True,
    )


def typical_horizontal() -> str:
    return horizontal_bars(
        "Top intents",
        [("check_permit_status", 420), ("file_complaint", 310), ("greet", 95), ("问候", 12)],
    )


@pytest.mark.parametrize("render", [typical_stacked, typical_line, typical_horizontal])
def test_each_chart_type_is_an_accessible_svg_image(render: Callable[[], str]) -> None:
    root = parse(render())

    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert desc.text and desc.text != NO_DATA
    assert "Noto Sans CJK SC" in root.get("font-family", "")


EDGE_CASES: dict[str, Callable[[], str]] = {
    "stacked, no labels": lambda: stacked_bars("t", [], [Series("a", [])]),
    "stacked, no series": lambda: stacked_bars("t", ["11-20"], []),
    "stacked, one point": lambda: stacked_bars("t", ["11-20"], [Series("a", [7])]),
    "stacked, 90 days": lambda: stacked_bars("t", DAYS_90, [Series("a", list(range(90)))]),
    "stacked, all zeros": lambda: stacked_bars("t", DAYS_14, [Series("a", [0] * 14)]),
    "stacked, huge": lambda: stacked_bars("t", ["a", "b"], [Series("a", [3.4e9, 1e300])]),
    "stacked, NaN": lambda: stacked_bars("t", ["a", "b"], [Series("a", [math.nan, 2])]),
    "stacked, Chinese": lambda: stacked_bars(
        "投诉量", ["十一月", "十二月"], [Series("中文", [1, 2])]
    ),
    "stacked, short series": lambda: stacked_bars("t", DAYS_14, [Series("a", [1, 2])]),
    "stacked, many series": lambda: stacked_bars(
        "t", ["a"], [Series(f"channel {i}", [i + 1]) for i in range(20)], width=200, height=100
    ),
    "line, no labels": lambda: line_chart("t", [], [Series("a", [])]),
    "line, one point": lambda: line_chart("t", ["11-20"], [Series("a", [0.5])], percent=True),
    "line, 90 days": lambda: line_chart("t", DAYS_90, [Series("a", [i / 90 for i in range(90)])]),
    "line, all zeros": lambda: line_chart("t", DAYS_14, [Series("a", [0] * 14)]),
    "line, all missing": lambda: line_chart("t", DAYS_14, [Series("a", [None] * 14)]),
    "line, huge": lambda: line_chart("t", ["a", "b"], [Series("a", [2.5e12, math.inf])]),
    "line, NaN": lambda: line_chart("t", ["a", "b"], [Series("a", [math.nan, 0.3])], percent=True),
    "line, Chinese": lambda: line_chart("满意度", ["周一", "周二"], [Series("市民", [0.8, 0.9])]),
    "horizontal, no items": lambda: horizontal_bars("t", []),
    "horizontal, one item": lambda: horizontal_bars("t", [("greet", 1)]),
    "horizontal, zeros": lambda: horizontal_bars("t", [("greet", 0), ("bye", 0)]),
    "horizontal, huge": lambda: horizontal_bars("t", [("greet", 3.4e6), ("bye", 1e300)]),
    "horizontal, NaN": lambda: horizontal_bars("t", [("greet", math.nan), ("bye", 3)]),
    "horizontal, Chinese": lambda: horizontal_bars("热门意图", [("查询许可证进度", 5)]),
    "horizontal, tiny": lambda: horizontal_bars("t", [("a", 1)], width=10, bar_height=0),
}


@pytest.mark.parametrize("render", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_case_data_still_renders_well_formed_svg(render: Callable[[], str]) -> None:
    root = parse(render())

    for attribute in ("width", "height"):
        assert float(root.get(attribute, "0")) > 0
    numbers = re.findall(r"-?\d+(?:\.\d+)?|nan|inf", " ".join(_coordinates(root)))
    assert "nan" not in numbers and "inf" not in numbers


def _coordinates(root: ET.Element) -> list[str]:
    names = ("x", "y", "width", "height", "cx", "cy", "points", "x1", "x2", "y1", "y2")
    return [element.get(name, "") for element in root.iter() for name in names]


@pytest.mark.parametrize(
    "render",
    [
        lambda: stacked_bars("Volumes", [], []),
        lambda: stacked_bars("Volumes", DAYS_14, [Series("a", [0] * 14), Series("b", [-3] * 14)]),
        lambda: line_chart("Rates", [], [], percent=True),
        lambda: line_chart("Rates", DAYS_14, [Series("a", [None, math.nan] * 7)]),
        lambda: horizontal_bars("Top intents", []),
        lambda: horizontal_bars("Top intents", [("greet", 0)]),
    ],
)
def test_empty_data_says_no_data_instead_of_drawing(render: Callable[[], str]) -> None:
    root = parse(render())

    assert texts(root, "no-data") == [NO_DATA]
    assert elements(root, "rect", "bar") == []
    assert elements(root, "polyline") == []


def test_a_line_of_zero_rates_is_drawn_because_zero_percent_is_a_result() -> None:
    root = parse(line_chart("Fallback rate", DAYS_14, [Series("a", [0.0] * 14)], percent=True))

    assert texts(root, "no-data") == []
    assert len(elements(root, "circle")) == 14


@pytest.mark.parametrize(
    "render",
    [
        lambda label: stacked_bars(label, [label, "b"], [Series(label, [1, 2])]),
        lambda label: line_chart(label, [label, "b"], [Series(label, [0.1, 0.2])], percent=True),
        lambda label: horizontal_bars(label, [(label, 3), ("b", 1)]),
    ],
)
def test_hostile_labels_stay_text_and_cannot_break_out_of_the_svg(
    render: Callable[[str], str],
) -> None:
    svg = render(HOSTILE)
    root = parse(svg)

    assert "<script" not in svg
    assert [element for element in root.iter() if "script" in element.tag] == []
    assert all("onload" not in element.attrib for element in root.iter())
    title = root.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert '<script>alert("x")</script>' in title.text
    assert '" onload="evil()" & &amp;' in title.text
    assert "\x00" not in svg and "\ufffd\ufffd" in title.text
    carrying = [
        element for element in root.iter() if HOSTILE[:8] in "".join(element.attrib.values())
    ]
    assert carrying, "the label is also kept, escaped, in a data attribute"


@pytest.mark.parametrize(
    "peak", [1, 2, 3, 7, 10, 13, 42, 99, 100, 120, 999, 1234, 50_000, 3.4e6, 7.7e9]
)
def test_y_axis_has_three_to_five_nice_ticks_from_zero_covering_the_peak(peak: float) -> None:
    root = parse(stacked_bars("Volumes", ["a", "b"], [Series("a", [peak / 2, peak])]))

    ticks = [from_compact(label) for label in texts(root, "y-tick")]
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert 3 <= len(ticks) <= 5
    assert ticks[0] == 0 and ticks[-1] >= peak
    assert len(steps) == 1 and is_nice_step(steps.pop())


def test_a_count_axis_never_shows_fractions() -> None:
    root = parse(stacked_bars("Complaints", ["a"], [Series("a", [1])]))

    assert texts(root, "y-tick") == ["0", "1", "2"]


def test_fractional_values_get_fractional_ticks() -> None:
    root = parse(line_chart("Seconds to reply", ["a", "b"], [Series("a", [0.12, 0.3])]))

    assert texts(root, "y-tick") == ["0", "0.1", "0.2", "0.3"]


@pytest.mark.parametrize(
    ("peak", "expected"),
    [
        (1200, ["0", "500", "1k", "1.5k"]),
        (3.4e6, ["0", "1M", "2M", "3M", "4M"]),
        (2.5e12, ["0", "1T", "2T", "3T"]),
    ],
)
def test_large_axis_numbers_are_written_compactly(peak: float, expected: list[str]) -> None:
    root = parse(stacked_bars("Volumes", ["a"], [Series("a", [peak])]))

    assert texts(root, "y-tick") == expected


def test_bar_end_values_are_exact_up_to_a_hundred_thousand_then_compact() -> None:
    root = parse(horizontal_bars("Top", [("a", 3_400_000), ("b", 1234), ("c", 0.5)]))

    assert texts(root, "item-value") == ["3.4M", "1,234", "0.5"]


@pytest.mark.parametrize(
    "render",
    [
        lambda series: stacked_bars("t", DAYS_14, series),
        lambda series: line_chart("t", DAYS_14, series),
    ],
)
def test_legend_lists_every_series_in_order_each_with_its_own_palette_colour(
    render: Callable[[list[Series]], str],
) -> None:
    names = ["English", "中文", "WeChat", "Phone"]
    root = parse(render([Series(name, [i + 1] * 14) for i, name in enumerate(names)]))

    legend = [element for element in root.iter() if "legend-item" in element.get("class", "")]
    assert [item.get("data-series") for item in legend] == names
    assert [item.findtext(f"{SVG}text") for item in legend] == names
    drawn = [element for element in root.iter() if element.get("class") == "series"]
    assert [group.get("data-series") for group in drawn] == names
    colours = [group.get("fill") for group in drawn]
    assert len(set(colours)) == len(names) and set(colours) <= OKABE_ITO


def test_bar_heights_are_proportional_to_values() -> None:
    root = parse(stacked_bars("t", ["a", "b", "c"], [Series("s", [10, 20, 40])]))

    low, middle, high = bar_heights(root)
    assert middle == pytest.approx(2 * low, abs=0.02)
    assert high == pytest.approx(4 * low, abs=0.02)


def test_stacked_segments_are_proportional_and_sit_on_top_of_each_other() -> None:
    root = parse(stacked_bars("t", ["a", "b"], [Series("x", [10, 30]), Series("y", [30, 10])]))

    rects = elements(root, "rect", "bar")
    x_first, x_second, y_first, y_second = (float(rect.get("height", "0")) for rect in rects)
    assert y_first == pytest.approx(3 * x_first, abs=0.02)
    assert x_second == pytest.approx(3 * y_second, abs=0.02)
    assert x_first + y_first == pytest.approx(x_second + y_second, abs=0.02)
    lower, upper = rects[0], rects[2]
    assert float(upper.get("y", "0")) + float(upper.get("height", "0")) == pytest.approx(
        float(lower.get("y", "0")), abs=0.02
    )


def test_negative_and_missing_bar_values_count_as_zero() -> None:
    root = parse(stacked_bars("t", ["a", "b", "c", "d"], [Series("s", [-5, None, math.nan, 8])]))

    assert len(bar_heights(root)) == 1


def test_horizontal_bar_lengths_are_proportional_to_values() -> None:
    root = parse(horizontal_bars("Top intents", [("a", 400), ("b", 100), ("c", -7)]))

    widths = [float(rect.get("width", "nan")) for rect in elements(root, "rect", "bar")]
    assert widths[0] == pytest.approx(4 * widths[1], abs=0.02)
    assert widths[2] == 0


def test_horizontal_bars_grow_taller_with_each_item() -> None:
    three = parse(horizontal_bars("t", [(f"intent {i}", i + 1) for i in range(3)]))
    six = parse(horizontal_bars("t", [(f"intent {i}", i + 1) for i in range(6)]))

    assert float(six.get("height", "0")) > float(three.get("height", "0"))
    assert len(elements(six, "rect", "bar")) == 6


def test_long_horizontal_labels_are_shortened_but_kept_whole_in_the_tooltip() -> None:
    long_label = "permit_status_" * 20
    root = parse(horizontal_bars("Top intents", [(long_label, 3)]))

    shown = texts(root, "item-label")[0]
    assert shown.endswith("…") and len(shown) < len(long_label)
    item = elements(root, "g", "item")[0]
    assert item.get("data-label") == long_label
    assert item.findtext(f"{SVG}title") == f"{long_label}: 3"


def test_percent_axis_runs_from_0_to_100_percent_and_places_values_by_fraction() -> None:
    root = parse(line_chart("Containment", ["a", "b"], [Series("s", [0.5, 1.4])], percent=True))

    assert texts(root, "y-tick") == ["0%", "25%", "50%", "75%", "100%"]
    grid_y = [float(line.get("y1", "nan")) for line in elements(root, "line") if line.get("x1")]
    zero, full = grid_y[-5], grid_y[-1]
    half, capped = (float(circle.get("cy", "nan")) for circle in elements(root, "circle"))
    assert half == pytest.approx((zero + full) / 2, abs=0.02)
    assert capped == pytest.approx(full, abs=0.02)
    tooltips = [circle.findtext(f"{SVG}title") for circle in elements(root, "circle")]
    assert tooltips == ["a · s: 50%", "b · s: 100%"]


def test_missing_values_break_the_line_instead_of_dropping_to_zero() -> None:
    labels = ["d1", "d2", "d3", "d4", "d5", "d6"]
    values = [0.5, None, 0.7, 0.8, math.nan, 0.6]
    root = parse(line_chart("Fallback", labels, [Series("s", values)], percent=True))

    polylines = [line.get("points", "").split() for line in elements(root, "polyline")]
    circles = elements(root, "circle")
    assert len(polylines) == 1 and len(polylines[0]) == 2
    assert len(circles) == 4
    zero_y = texts(root, "y-tick").index("0%")
    baseline = float(elements(root, "text", "y-tick")[zero_y].get("y", "nan")) - 4
    assert all(float(circle.get("cy", "nan")) < baseline - 1 for circle in circles)
    assert "1 series over 6 points" in (root.findtext(f"{SVG}desc") or "")
    assert "2 missing" in (root.findtext(f"{SVG}desc") or "")


def test_x_labels_are_thinned_so_ninety_days_never_overlap() -> None:
    root = parse(stacked_bars("Conversations", DAYS_90, [Series("a", [5] * 90)]))

    labels = elements(root, "text", "x-label")
    xs = [float(label.get("x", "nan")) for label in labels]
    widest = max(len(label.text or "") for label in labels) * 0.62 * 11
    assert 2 <= len(labels) < 90
    assert labels[0].text == DAYS_90[0]
    assert all(b - a >= widest for a, b in zip(xs, xs[1:], strict=False))
    assert len(bar_heights(root)) == 90


def test_a_week_of_x_labels_is_shown_in_full() -> None:
    week = DAYS_14[:7]
    root = parse(line_chart("Rates", week, [Series("a", [0.5] * 7)], percent=True))

    assert texts(root, "x-label") == week


def test_chinese_labels_and_names_are_kept_as_written() -> None:
    root = parse(stacked_bars("每日对话量", ["周一", "周二"], [Series("微信", [3, 4])]))

    assert root.findtext(f"{SVG}title") == "每日对话量"
    assert texts(root, "x-label") == ["周一", "周二"]
    assert texts(root, "chart-title") == ["每日对话量"]


def test_desc_summarises_the_data_in_words() -> None:
    desc = parse(typical_stacked()).findtext(f"{SVG}desc")

    assert desc == (
        "3 series (English, 中文, Other) over 14 bars from 11-07 to 11-20;"
        " highest total 80 on 11-20; overall total 847."
    )


def test_horizontal_desc_lists_every_item_with_its_value() -> None:
    desc = parse(typical_horizontal()).findtext(f"{SVG}desc")

    assert desc == "4 items: check_permit_status 420; file_complaint 310; greet 95; 问候 12."


def test_two_charts_on_one_page_get_different_ids() -> None:
    first = parse(stacked_bars("Volumes", ["a"], [Series("s", [1])]))
    second = parse(stacked_bars("Volumes", ["a"], [Series("s", [2])]))
    third = parse(line_chart("Volumes", ["a"], [Series("s", [1])]))

    ids = [
        {element.get("id") for element in root.iter() if element.get("id")}
        for root in (first, second, third)
    ]
    assert all(len(chart_ids) == 3 for chart_ids in ids)
    assert ids[0].isdisjoint(ids[1]) and ids[0].isdisjoint(ids[2]) and ids[1].isdisjoint(ids[2])


def test_the_same_data_renders_the_same_svg() -> None:
    assert typical_line() == typical_line()


def test_series_values_are_frozen_into_a_tuple() -> None:
    values = [1.0, 2.0]
    series = Series("a", values)
    values.append(3.0)

    assert series.values == (1.0, 2.0)
    assert hash(series) == hash(Series("a", [1.0, 2.0]))
