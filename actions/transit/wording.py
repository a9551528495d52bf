"""Transit answers as text: line labels, clock times, delays, boards and journey legs.

Plain text with line breaks, so the same reply reads well in web chat, WeChat and
Telegram. Names come from the feed in the rider's language (translations.txt), the
feed's own name when it has no translation; Traditional Chinese is produced by the NLG
like every other reply.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from actions.clients.gtfs.model import Route, Stop, TransitFeed
from actions.transit.departures import Board, Headway, LiveDeparture
from actions.transit.feed_words import mode_of

ENGLISH = "en"
#: Modes whose numbered routes riders call "Line N" (a bus route 5 stays "5").
_LINE_MODES = frozenset({"tram", "metro", "rail"})
#: A delay shorter than this is "on time" for a rider.
LATE_FROM_S = 60


def lang(language: str | None) -> str:
    """Reply language for names: English, or the Chinese the feed writes."""
    return ENGLISH if language == ENGLISH else "zh"


def station_name(stop: Stop, language: str | None) -> str:
    return stop.name_in(lang(language))


def line_label(route: Route, language: str | None) -> str:
    """ "Line 1 (Luobao Line)" / "1号线（罗宝线）"; "AB (Airport - Bullfrog)" for a bus."""
    language = lang(language)
    short = route.short_name.strip()
    long_name = route.name_in(language).strip() if route.long_name or route.names else ""
    if not any(char.isalnum() for char in long_name):
        long_name = ""  # Metro do Porto's "-": no name, not "E (-)"
    if short.isdigit() and mode_of(route.route_type) in _LINE_MODES:
        short = f"Line {short}" if language == ENGLISH else f"{short}号线"
    if short and long_name and long_name != route.short_name:
        return f"{short} ({long_name})" if language == ENGLISH else f"{short}（{long_name}）"
    return short or long_name or route.route_id


def lines_label(routes: Sequence[Route], language: str | None) -> list[str]:
    """Each line once: routes that share a number ("9 - Benidorm - Dénia", "9 - Benidorm -
    Garganes": one line's branches and short workings, as many feeds publish them) are
    "Line 9" alone, the others as :func:`line_label` writes them."""
    shared: dict[str, int] = {}
    for route in routes:
        key = route.short_name.strip().casefold()
        if key:
            shared[key] = shared.get(key, 0) + 1
    labels: list[str] = []
    for route in routes:
        key = route.short_name.strip().casefold()
        if key and shared[key] > 1:
            alone = dataclasses.replace(route, long_name="", names={})
            label = line_label(alone, language)
        else:
            label = line_label(route, language)
        if label not in labels:
            labels.append(label)
    return labels


def line_order(route: Route) -> tuple:
    """How riders list lines: the feed's sort_order, then "A8" before "A42" before "B1"."""
    order = route.sort_order if route.sort_order is not None else 1 << 30
    name = route.short_name or route.long_name or route.route_id
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.findall(r"\d+|\D+", name)
    )
    return (order, parts)


def clock(moment: dt.datetime, feed: TransitFeed) -> str:
    """ "08:05" in the feed's time zone."""
    return moment.astimezone(ZoneInfo(feed.timezone)).strftime("%H:%M")


def train_time(train: LiveDeparture, feed: TransitFeed, language: str | None) -> str:
    """The time a rider should expect, with the delay when the live feed reports one."""
    delay = train.delay_s or 0
    if abs(delay) < LATE_FROM_S:
        return clock(train.scheduled, feed)
    minutes = round(abs(delay) / 60)
    expected = clock(train.expected, feed)
    if lang(language) == ENGLISH:
        word = "late" if delay > 0 else "early"
        return f"{expected} ({minutes} min {word})"
    word = "晚点" if delay > 0 else "提前"
    return f"{expected}（{word}{minutes}分钟）"


def board_text(board: Board, feed: TransitFeed, language: str | None) -> str:
    """One line per line and direction: "• Line 1 (Luobao Line) → Airport East: 08:00, 08:03"."""
    separator = ", " if lang(language) == ENGLISH else "、"
    colon = ": " if lang(language) == ENGLISH else "："
    lines = []
    for group in board.boards:
        times = separator.join(train_time(t, feed, language) for t in group.trains)
        towards = group.headsign_in(lang(language))
        label = line_label(group.route, language)
        lines.append(f"• {label} → {towards}{colon}{times}")
    return "\n".join(lines)


def headway_text(found: tuple[Headway, ...], feed: TransitFeed, language: str | None) -> str:
    """One line per line and direction: "• Line 1 → Airport East: about every 6 min (10
    trains in the hour), next 08:03"."""
    english = lang(language) == ENGLISH
    lines = []
    for each in found:
        label = line_label(each.route, language)
        towards = each.headsign_in(lang(language))
        first = train_time(each.trains[0], feed, language)
        gap = each.usual_gap
        count = len(each.trains)
        if english:
            how = (
                f"about every {_minutes(gap)} min ({count} in the hour), next {first}"
                if gap is not None and count > 2
                else f"{count} in the hour: "
                + ", ".join(train_time(t, feed, language) for t in each.trains)
            )
            lines.append(f"• {label} → {towards}: {how}")
        else:
            how = (
                f"约每 {_minutes(gap)} 分钟一班（一小时内 {count} 班），下一班 {first}"
                if gap is not None and count > 2
                else f"一小时内 {count} 班："
                + "、".join(train_time(t, feed, language) for t in each.trains)
            )
            lines.append(f"• {label} → {towards}：{how}")
    return "\n".join(lines)


def _minutes(gap: dt.timedelta) -> int:
    return max(1, round(gap.total_seconds() / 60))


def changes_text(count: int, language: str | None) -> str:
    if lang(language) == ENGLISH:
        return "no changes" if count == 0 else f"{count} change" + ("s" if count > 1 else "")
    return "无需换乘" if count == 0 else f"换乘 {count} 次"
