"""Charts for the staff console's metrics page, as standalone inline SVG strings.

Why SVG text built with the standard library: the metrics page is rendered on
the server and must work without JavaScript or a charting package, so each
chart is one self-contained ``<svg>`` element that a template inserts as it
is. Every function here is pure: the same input gives the same bytes, so
pages can be cached and tests can parse the output.

Why every piece of text goes through :func:`_text` or :func:`_attr`: titles,
labels and series names can carry words a resident typed (intent names,
tags). Characters XML forbids are replaced and the rest is escaped, so no
label can close an element or open one.

Why the charts look the way they do:

* colours come from the Okabe–Ito palette, which people with the common
  forms of colour blindness can tell apart; after eight series they repeat;
* the font list names Noto Sans CJK SC so Chinese labels render on the
  Linux desks in the service centre;
* the y axis steps by 1, 2 or 5 × 10^n with 3 to 5 ticks, which people read
  faster than steps like 37; large numbers are written 1.2k, 3.4M;
* missing values (None, NaN, infinity) leave a gap in a line: a day with no
  measurement is not a day at 0 %. Negative values are drawn as 0.

Empty input (no labels, no items, nothing above zero in a bar chart, nothing
measured in a line chart) gives a chart that says "No data / 暂无数据". A line
chart of zeros is still drawn, because 0 % fallback is a result, not a gap.

Each chart's ids come from a hash of everything it draws, so two different
charts on one page never share an id. Two identical charts would share one,
but then both ids point at the same words.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import SupportsFloat
from xml.sax.saxutils import escape

__all__ = ["Series", "horizontal_bars", "line_chart", "stacked_bars"]

# Okabe & Ito (2008). Ordered so the first colours have the most contrast on white.
_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
_TEXT = "#1F2933"
_MUTED = "#52606D"  # tick labels; still above 4.5:1 contrast on white
_GRID = "#E4E7EB"
_AXIS = "#9AA5B1"
_FONT = "system-ui, 'Noto Sans CJK SC', sans-serif"
_FONT_SIZE = 11
_TITLE_SIZE = 13
_NO_DATA = "No data / 暂无数据"
_PERCENT_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
# Nothing the city counts comes near this; the cap keeps tick arithmetic finite.
_MAX_VALUE = 1e15
_PAD = 8
_MIN_PLOT = 60

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Series:
    """One named run of values, one per label: e.g. conversations per day in English."""

    name: str
    values: Sequence[float | None]

    def __post_init__(self) -> None:
        # A tuple keeps the values as immutable as the dataclass, and hashable.
        object.__setattr__(self, "values", tuple(self.values))


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 640,
    height: int = 260,
) -> str:
    """Vertical bars, one per label, each stacked from the series in order.

    Values past the last label are ignored; missing ones count as 0.
    """
    labels, series = tuple(labels), tuple(series)
    cid = _chart_id("stacked-bars", title, labels, series, width, height)
    grid = [[_value_at(s.values, i) or 0.0 for i in range(len(labels))] for s in series]
    totals = [sum(column) for column in zip(*grid, strict=True)] if grid else []
    if max(totals, default=0.0) <= 0:
        return _no_data("stacked-bars", cid, title, width, height)

    body = [_title_text(title, width)]
    legend, legend_bottom = _legend([s.name for s in series], width, marker="box")
    body += legend
    ticks = _nice_ticks(max(totals), whole=_all_whole(v for row in grid for v in row))
    plot = _plot_area(ticks, _compact, top=legend_bottom + _PAD, width=width, height=height)
    body += _y_axis(plot, ticks, _compact)

    slot = plot.slot(len(labels))
    bar_width = max(slot * 0.7, 1.0)
    stacked = [0.0] * len(labels)
    body.append('<g class="bars">')
    for index, (one, row) in enumerate(zip(series, grid, strict=True)):
        body.append(f'<g class="series" data-series="{_attr(one.name)}" fill="{_colour(index)}">')
        for i, value in enumerate(row):
            if value <= 0:
                continue
            top, bottom = plot.y(stacked[i] + value), plot.y(stacked[i])
            stacked[i] += value
            body.append(
                f'<rect class="bar" x="{_n(plot.x(i, len(labels)) - bar_width / 2)}"'
                f' y="{_n(top)}" width="{_n(bar_width)}" height="{_n(bottom - top)}">'
                f"<title>{_text(f'{labels[i]} · {one.name}: {_exact(value)}')}</title></rect>"
            )
        body.append("</g>")
    body.append("</g>")
    body += _x_labels(labels, plot)

    peak = max(range(len(labels)), key=totals.__getitem__)
    desc = (
        f"{_count(len(series), 'series', 'series')} ({', '.join(s.name for s in series)})"
        f" over {_count(len(labels), 'bar')} {_span(labels)}; highest total"
        f" {_exact(totals[peak])} on {labels[peak]}; overall total {_exact(sum(totals))}."
    )
    return _svg("stacked-bars", cid, title, desc, plot.svg_width, plot.svg_height, body)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    percent: bool = False,
    width: int = 640,
    height: int = 220,
) -> str:
    """One line per series with a marker at each value; missing values break the line.

    With ``percent`` the values are fractions (0.82 is 82 %) on a fixed 0–100 % axis;
    values above 1 are drawn at 100 %.
    """
    labels, series = tuple(labels), tuple(series)
    cid = _chart_id("line", title, labels, series, percent, width, height)
    ceiling = 1.0 if percent else _MAX_VALUE
    grid = [[_min(_value_at(s.values, i), ceiling) for i in range(len(labels))] for s in series]
    present = [v for row in grid for v in row if v is not None]
    if not present:
        return _no_data("line", cid, title, width, height)

    fmt: Callable[[float], str] = _percent if percent else _compact
    body = [_title_text(title, width)]
    legend, legend_bottom = _legend([s.name for s in series], width, marker="line")
    body += legend
    if percent:
        ticks = list(_PERCENT_TICKS)
    else:
        ticks = _nice_ticks(max(present), whole=_all_whole(present))
    plot = _plot_area(ticks, fmt, top=legend_bottom + _PAD, width=width, height=height)
    body += _y_axis(plot, ticks, fmt)

    radius = min(3.0, max(plot.slot(len(labels)) / 3, 1.2))
    body.append('<g class="lines">')
    for index, (one, row) in enumerate(zip(series, grid, strict=True)):
        colour = _colour(index)
        body.append(
            f'<g class="series" data-series="{_attr(one.name)}" fill="{colour}" stroke="{colour}">'
        )
        points = {
            i: (plot.x(i, len(labels)), plot.y(v)) for i, v in enumerate(row) if v is not None
        }
        for run in _runs(sorted(points)):
            if len(run) > 1:
                coordinates = " ".join(f"{_n(points[i][0])},{_n(points[i][1])}" for i in run)
                body.append(f'<polyline fill="none" stroke-width="2" points="{coordinates}"/>')
        for i, (x, y) in points.items():
            body.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}" stroke-width="0">'
                f"<title>{_text(f'{labels[i]} · {one.name}: {fmt(row[i] or 0.0)}')}</title>"
                "</circle>"
            )
        body.append("</g>")
    body.append("</g>")
    body += _x_labels(labels, plot)

    summaries = [
        _series_summary(one.name, labels, row, fmt) for one, row in zip(series, grid, strict=True)
    ]
    desc = " ".join(
        [
            f"{_count(len(series), 'series', 'series')} over {_count(len(labels), 'point')}"
            f" {_span(labels)}.",
            *summaries,
        ]
    )
    return _svg("line", cid, title, desc, plot.svg_width, plot.svg_height, body)


def horizontal_bars(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    width: int = 640,
    bar_height: int = 22,
) -> str:
    """One bar per item in the order given, label on the left and value at the bar's end.

    The chart grows taller with each item; long labels are shortened with "…" and
    shown in full as a tooltip.
    """
    items = tuple(items)
    cid = _chart_id("horizontal-bars", title, items, width, bar_height)
    rows = [(label, _value(value) or 0.0) for label, value in items]
    biggest = max((value for _, value in rows), default=0.0)
    if biggest <= 0:
        return _no_data("horizontal-bars", cid, title, width, 120)

    bar_height = max(bar_height, 4)
    pitch = max(bar_height + max(bar_height // 3, 4), _FONT_SIZE + 4)
    label_limit = max(width * 0.4, 60.0)
    shown = [_fit(label, label_limit, _FONT_SIZE) for label, _ in rows]
    label_width = max(_text_width(label, _FONT_SIZE) for label in shown)
    value_width = max(_text_width(_exact(value), _FONT_SIZE) for _, value in rows) + _PAD
    bar_left = _PAD + label_width + _PAD
    area = max(width - _PAD - value_width - bar_left, float(_MIN_PLOT))
    svg_width = max(width, math.ceil(bar_left + area + value_width + _PAD))
    top = _TITLE_SIZE + 2 * _PAD + 4
    svg_height = math.ceil(top + len(rows) * pitch + _PAD)

    body = [_title_text(title, svg_width), f'<g class="bars" fill="{_colour(0)}">']
    for i, ((label, value), short) in enumerate(zip(rows, shown, strict=True)):
        y = top + i * pitch
        baseline = y + bar_height / 2 + _FONT_SIZE * 0.35
        length = value / biggest * area
        body.append(
            f'<g class="item" data-label="{_attr(label)}">'
            f"<title>{_text(f'{label}: {_exact(value)}')}</title>"
            f'<text class="item-label" x="{_n(bar_left - _PAD)}" y="{_n(baseline)}"'
            f' text-anchor="end" fill="{_TEXT}">{_text(short)}</text>'
            f'<rect class="bar" x="{_n(bar_left)}" y="{_n(y)}" width="{_n(length)}"'
            f' height="{bar_height}"/>'
            f'<text class="item-value" x="{_n(bar_left + length + 4)}" y="{_n(baseline)}"'
            f' fill="{_TEXT}">{_text(_exact(value))}</text></g>'
        )
    body.append("</g>")
    listed = "; ".join(f"{label} {_exact(value)}" for label, value in rows)
    desc = f"{_count(len(rows), 'item')}: {listed}."
    return _svg("horizontal-bars", cid, title, desc, svg_width, svg_height, body)


@dataclass(frozen=True)
class _Plot:
    """Where the data area sits in the SVG, and how values map onto it."""

    left: float
    top: float
    right: float
    bottom: float
    top_value: float
    svg_width: int
    svg_height: int

    def y(self, value: float) -> float:
        return self.bottom - value / self.top_value * (self.bottom - self.top)

    def slot(self, count: int) -> float:
        return (self.right - self.left) / count

    def x(self, index: int, count: int) -> float:
        """Centre of the ``index``-th of ``count`` equal slots, so one label sits mid-chart."""
        return self.left + (index + 0.5) * self.slot(count)


def _plot_area(
    ticks: Sequence[float], fmt: Callable[[float], str], *, top: float, width: int, height: int
) -> _Plot:
    """The data area left of the tick labels and above the x labels.

    Why it may grow past ``width``/``height``: a long legend or a tiny size must
    not squeeze the bars to nothing or below zero.
    """
    left = _PAD + max(_text_width(fmt(t), _FONT_SIZE) for t in ticks) + 6
    right = max(width - 2 * _PAD, left + _MIN_PLOT)
    bottom = max(height - 3 * _PAD, top + _MIN_PLOT)
    return _Plot(
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        top_value=ticks[-1],
        svg_width=max(width, math.ceil(right + 2 * _PAD)),
        svg_height=max(height, math.ceil(bottom + 3 * _PAD)),
    )


def _svg(
    kind: str, cid: str, title: str, desc: str, width: int, height: int, body: Sequence[str]
) -> str:
    """The root element: an image named by its title and described by its desc."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{cid}"'
        f' width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="{cid}-title" aria-describedby="{cid}-desc"'
        f' font-family="{_FONT}" font-size="{_FONT_SIZE}" fill="{_TEXT}">'
    )
    return "\n".join(
        [
            head,
            f'<title id="{cid}-title">{_text(title)}</title>',
            f'<desc id="{cid}-desc">{_text(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _no_data(kind: str, cid: str, title: str, width: int, height: int) -> str:
    """A chart-sized frame that says there is nothing to draw."""
    width, height = max(width, 160), max(height, 80)
    message = (
        f'<text class="no-data" x="{_n(width / 2)}" y="{_n(height / 2 + _PAD)}"'
        f' text-anchor="middle" fill="{_MUTED}">{_text(_NO_DATA)}</text>'
    )
    return _svg(kind, cid, title, _NO_DATA, width, height, [_title_text(title, width), message])


def _title_text(title: str, width: int) -> str:
    shown = _fit(title, width - 2 * _PAD, _TITLE_SIZE * 1.05)  # bold runs wider
    return (
        f'<text class="chart-title" x="{_PAD}" y="{_TITLE_SIZE + _PAD // 2}"'
        f' font-size="{_TITLE_SIZE}" font-weight="600">{_text(shown)}</text>'
    )


def _legend(names: Sequence[str], width: int, *, marker: str) -> tuple[list[str], float]:
    """Legend entries in rows that wrap at the chart's width, and the y below them."""
    x, y = float(_PAD), float(_TITLE_SIZE + 3 * _PAD)
    parts = ['<g class="legend">']
    for index, name in enumerate(names):
        shown = _fit(name, 160, _FONT_SIZE)
        entry_width = 14 + _text_width(shown, _FONT_SIZE) + 14
        if x > _PAD and x + entry_width > width - _PAD:
            x, y = float(_PAD), y + _FONT_SIZE + 6
        colour = _colour(index)
        if marker == "line":
            mark = (
                f'<line x1="{_n(x)}" x2="{_n(x + 10)}" y1="{_n(y - 4)}" y2="{_n(y - 4)}"'
                f' stroke="{colour}" stroke-width="2"/>'
            )
        else:
            mark = f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="10" height="10" fill="{colour}"/>'
        parts.append(
            f'<g class="legend-item" data-series="{_attr(name)}">{mark}'
            f'<text x="{_n(x + 14)}" y="{_n(y)}">{_text(shown)}</text></g>'
        )
        x += entry_width
    parts.append("</g>")
    return parts, y + 4


def _y_axis(plot: _Plot, ticks: Sequence[float], fmt: Callable[[float], str]) -> list[str]:
    parts = ['<g class="y-axis" text-anchor="end">']
    for tick in ticks:
        y = _n(plot.y(tick))
        stroke = _AXIS if tick == 0 else _GRID
        parts.append(
            f'<line x1="{_n(plot.left)}" x2="{_n(plot.right)}" y1="{y}" y2="{y}"'
            f' stroke="{stroke}" stroke-width="1"/>'
            f'<text class="y-tick" x="{_n(plot.left - 6)}" y="{_n(plot.y(tick) + 4)}"'
            f' fill="{_MUTED}">{_text(fmt(tick))}</text>'
        )
    parts.append("</g>")
    return parts


def _x_labels(labels: Sequence[str], plot: _Plot) -> list[str]:
    """Every k-th label, with k chosen so the widest label fits in k slots.

    Why thin rather than rotate: 90 days of "11-20" stay readable and never overlap.
    """
    shown = [_fit(label, 120, _FONT_SIZE) for label in labels]
    widest = max(_text_width(label, _FONT_SIZE) for label in shown)
    every = max(1, math.ceil((widest + 6) / plot.slot(len(labels))))
    parts = ['<g class="x-axis" text-anchor="middle">']
    for i in range(0, len(labels), every):
        parts.append(
            f'<text class="x-label" x="{_n(plot.x(i, len(labels)))}"'
            f' y="{_n(plot.bottom + _FONT_SIZE + 4)}">{_text(shown[i])}</text>'
        )
    parts.append("</g>")
    return parts


def _nice_ticks(top: float, *, whole: bool) -> list[float]:
    """3 to 5 ticks from 0 that reach ``top``, stepping by 1, 2 or 5 × 10^n.

    ``whole`` keeps the step at 1 or more, so a count axis never shows half a
    conversation. The smallest step that needs at most 4 intervals is taken;
    the step before it needed more than 4 and is at most 2.5 times smaller,
    so this one always needs at least 2.
    """
    top = max(top, 1.0) if whole else (top if top > 0 else 1.0)
    exponent = math.floor(math.log10(top / 4))
    steps = [m * 10.0**e for e in (exponent, exponent + 1) for m in (1, 2, 5)]
    step = next(s for s in steps if math.ceil(top / s - 1e-9) <= 4 and (s >= 1 or not whole))
    intervals = max(2, math.ceil(top / step - 1e-9))
    return [round(i * step, 10) for i in range(intervals + 1)]


def _series_summary(
    name: str, labels: Sequence[str], row: Sequence[float | None], fmt: Callable[[float], str]
) -> str:
    """One sentence on a line: latest, highest and lowest value, and how many are missing."""
    known = [(i, v) for i, v in enumerate(row) if v is not None]
    if not known:
        return f"{name}: no values."
    latest = known[-1]
    high = max(known, key=lambda pair: pair[1])
    low = min(known, key=lambda pair: pair[1])
    missing = len(row) - len(known)
    return (
        f"{name}: latest {fmt(latest[1])} on {labels[latest[0]]}, highest {fmt(high[1])}"
        f" on {labels[high[0]]}, lowest {fmt(low[1])} on {labels[low[0]]}"
        + (f"; {missing} missing" if missing else "")
        + "."
    )


def _runs(indices: Sequence[int]) -> list[list[int]]:
    """Consecutive stretches of indices: [0, 2, 3] → [[0], [2, 3]]."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _value(raw: SupportsFloat | None) -> float | None:
    """A drawable value: None when missing or not a finite number; negatives become 0."""
    if raw is None:
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value):
        return None
    return min(max(value, 0.0), _MAX_VALUE)


def _value_at(values: Sequence[float | None], index: int) -> float | None:
    return _value(values[index]) if index < len(values) else None


def _min(value: float | None, ceiling: float) -> float | None:
    return None if value is None else min(value, ceiling)


def _all_whole(values: Iterable[float]) -> bool:
    return all(value.is_integer() for value in values)


def _compact(value: float) -> str:
    """Axis numbers: 950, 1.2k, 12.5k, 340k, 3.4M. One decimal below 100 of a unit."""
    if abs(value) < 1000:
        return _plain(value)
    for unit, suffix in ((1e3, "k"), (1e6, "M"), (1e9, "B")):
        text = _one_decimal_below_100(value / unit)
        if float(text) < 1000:  # 999,950 rounds to "1000k"; write it "1M"
            return _strip_zero(text) + suffix
    return _strip_zero(_one_decimal_below_100(value / 1e12)) + "T"


def _one_decimal_below_100(scaled: float) -> str:
    return f"{scaled:.{0 if scaled >= 100 else 1}f}"


def _exact(value: float) -> str:
    """Values people read one by one: 1,234 and 0.85; compact from 100,000 on."""
    if abs(value) >= 100_000:
        return _compact(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return _strip_zero(f"{value:,.2f}")


def _plain(value: float) -> str:
    return f"{int(value)}" if float(value).is_integer() else f"{round(value, 6):g}"


def _percent(value: float) -> str:
    return _strip_zero(f"{value * 100:.1f}") + "%"


def _strip_zero(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _n(coordinate: float) -> str:
    """A coordinate to two decimals, without trailing zeros, so the SVG stays small."""
    return _strip_zero(f"{coordinate:.2f}")


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _span(labels: Sequence[str]) -> str:
    return f"({labels[0]})" if len(labels) == 1 else f"from {labels[0]} to {labels[-1]}"


def _colour(index: int) -> str:
    return _PALETTE[index % len(_PALETTE)]


def _chart_id(kind: str, *parts: object) -> str:
    """An id from a hash of everything drawn: charts differ on a page, output stays pure."""
    digest = hashlib.sha256(repr((kind, parts)).encode("utf-8", "surrogatepass")).hexdigest()
    return f"chart-{digest[:12]}"


def _clean(text: str) -> str:
    """One line of text with the characters XML 1.0 forbids replaced by U+FFFD.

    Why: escaping alone leaves control characters such as NUL, and one of those
    makes the whole page's SVG ill-formed.
    """
    return _SPACES.sub(" ", _NOT_XML.sub("\ufffd", str(text))).strip()


def _text(text: str) -> str:
    """Text safe to place between tags."""
    return escape(_clean(text))


def _attr(text: str) -> str:
    """Text safe to place inside a double- or single-quoted attribute."""
    return escape(_clean(text), {'"': "&quot;", "'": "&apos;"})


def _char_width(char: str) -> float:
    """Estimated advance in ems: wide (CJK) characters a full em, others a little over half."""
    if unicodedata.combining(char):
        return 0.0
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.62


def _text_width(text: str, size: float) -> float:
    return sum(_char_width(char) for char in text) * size


def _fit(text: str, max_width: float, size: float) -> str:
    """Cleaned text, cut with "…" where it would run wider than ``max_width``.

    Cut before escaping: cutting escaped text could split an entity in two.
    """
    text = _clean(text)
    if _text_width(text, size) <= max_width:
        return text
    budget, used, kept = max_width - _text_width("…", size), 0.0, []
    for char in text:
        used += _char_width(char) * size
        if used > budget:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"
