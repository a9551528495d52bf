"""Which platform a train leaves from, as the feed tells it.

"在哪个月台上车？", "which platform at Palo Alto for Sunnyvale?": riders of a railway with
a platform per direction ask where to stand. A feed says it in ``platform_code`` ("SB",
"3") or in the platform's own name ("Government Center - to Bowdoin", "Maverick -
Inbound"); many feeds say neither, and then the answer says so and names the way to
look for on the signs, rather than guessing a platform.
"""

from __future__ import annotations

import re

from actions.catalogue import ENGLISH
from actions.clients.gtfs.model import TransitFeed
from actions.transit.departures import Board
from actions.transit.wording import line_label, train_time
from bot.language.mixed_script import mixed_pattern
from bot.language.normalise import nlu_text

#: "哪个月台", "哪边站台", "幾號月台", "which platform", "what track", "which side do I stand".
_ASKS_PLATFORM = mixed_pattern(
    r"(?:哪|边|邊|几|幾|什么|咩)[^\s，。？?！!]{0,5}?(?:月台|站台)"
    r"|(?:月台|站台)\W{0,2}(?:是|喺|在)?\W{0,2}(?:哪|边|邊|几|幾)"
    r"|\b(?:which|what)\s+(?:platform|track|side)\b|\bplatform\s+(?:number|no\.?)\b",
    re.IGNORECASE,
)
#: What a platform's name adds to its station's: "Maverick - Inbound" -> "Inbound".
_DESIGNATOR = re.compile(r"^\W*(?:-|–|—|/|,)\s*")


def asks_platform(text: str) -> bool:
    """Whether the message asks which platform to board at."""
    return bool(_ASKS_PLATFORM.search(nlu_text(text or "")))


def platform_of(feed: TransitFeed, stop_id: str) -> str | None:
    """What the feed calls the platform a train leaves from, or None if it does not say."""
    stop = feed.stops.get(stop_id)
    if stop is None:
        return None
    if stop.platform_code:
        return stop.platform_code
    station = feed.station_of(stop_id)
    if station.stop_id == stop.stop_id or stop.name == station.name:
        return None
    if stop.name.startswith(station.name):
        rest = _DESIGNATOR.sub("", stop.name[len(station.name) :]).strip()
        return rest or None
    return stop.name


def platforms_text(board: Board, feed: TransitFeed, language: str | None) -> str | None:
    """One line per line and direction: where its next train leaves from; None when the
    feed names no platform for any of them."""
    english = language == ENGLISH
    lines = []
    known = False
    for group in board.boards:
        first = group.trains[0]
        platform = platform_of(feed, first.departure.stop_id)
        known = known or platform is not None
        towards = group.headsign_in("en" if english else "zh")
        label = line_label(group.route, language)
        time = train_time(first, feed, language)
        if english:
            where = f"platform {platform}" if platform else "platform not given"
            lines.append(f"• {label} → {towards} (next {time}): {where}")
        else:
            where = f"{platform} 站台" if platform else "时刻表未注明站台"
            lines.append(f"• {label} → {towards}（下一班 {time}）：{where}")
    return "\n".join(lines) if known else None
