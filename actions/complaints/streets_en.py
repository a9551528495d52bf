"""Street addresses written the way residents of grid cities type them.

``address`` recognises a place by a capitalised name before its kind ("Nanhai Avenue",
"Gangxia Station"). Residents of a US-style city type "1450 polk st", "24th and
harrison", "mission & 30th", "geary near 20th ave", "natoma st between 6th and 7th",
"Clement 同 6th Ave", "3100 S Halsted" or "Stockton 街 1200 号": lower case, numbered
streets, a direction instead of a street's kind (Chicago), a cross
street for a house number. No list of the city's streets is needed to see these: a
house number before a street kind, or two streets joined by "and", "&", "/", "同" …
where one of them is numbered ("24th") or carries its kind ("harrison st"), names a
spot a crew can find. A lone street ("on geary") is not specific and is not taken.
"""

from __future__ import annotations

import re

from bot.language.mixed_script import mixed_pattern

__all__ = ["street_named", "street_spot", "street_spots", "streets_with_kind"]

#: Street kinds, as written after a name (case does not matter).
_KIND = (
    r"(?:street|st|road|rd|avenue|ave|av|boulevard|blvd|lane|ln|drive|dr|way|place|pl|"
    r"court|ct|terrace|ter|parkway|pkwy|highway|hwy|alley|circle|cir|square|sq|plaza|"
    r"row|walk|expressway|expy)\.?"
)
#: Directions a US address may carry ("Pennsylvania Ave NW").
_QUADRANT = r"(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
#: A numbered street: "24th", "1st", "22nd".
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
#: Words that are never a street's name.
_FUNCTION_WORDS = (
    "the|a|an|my|our|your|his|her|their|this|that|these|those|on|in|at|near|by|and|or|of|"
    "to|from|is|it|its|it's|there|here|outside|opposite|behind|corner|between|off|across|"
    "front|block|side|street|road|avenue|just|right|next|every|some|one|two|three|i|we|"
    "you|he|she|they|me|us|him|them|for|with|since|again|still|been|has|have|was|were|"
    "be|being|getting|going|not|no|so|very|really|like|also|then|when|where|which|who|what|how"
)
#: Words that are never a street's name on their own (a bare name before "and"/"&"):
#: "bench at the bus stop mission & 30th" is at Mission, not "stop mission".
_NOT_NAMES = (
    _FUNCTION_WORDS + "|sidewalk|pothole|trash|garbage|bench|tree|light|graffiti|meter|car|bus|"
    "stop|house|home|door|building|apartment|laundromat|store|shop|school|library|park|"
    "station|alley|can|cans|bin|bins|lamp|pole|sign|hydrant|fence|wall|bridge|drain|hole|"
    "manhole|curb|gutter|lane|crosswalk"
)
_NAME = rf"(?!(?:{_NOT_NAMES})\b)[A-Za-z][A-Za-z'’.-]*"
#: A word of a name that its street kind follows: "Hyde Park Ave", "School St", "Park St".
_KIND_NAME = rf"(?!(?:{_FUNCTION_WORDS})\b)[A-Za-z][A-Za-z'’.-]*"
#: A direction before a street's name: "E 4th St", "N Main St", "West Broadway".
_PREFIX = r"(?:(?:[NSEW]|NE|NW|SE|SW|north|south|east|west)\.?\s+)?"
#: A street named with its kind: "polk st", "San Jose Ave", "22nd Ave", "Stockton 街".
_WITH_KIND = (
    rf"{_PREFIX}(?:{_ORDINAL}|{_KIND_NAME}(?:\s+{_KIND_NAME}){{0,2}})"
    rf"\s*(?:\s{_KIND}\b|街|路|大道){_QUADRANT}"
)
#: A street that says it is one without its kind: "24th".
_NUMBERED = rf"{_ORDINAL}(?:\s+{_KIND}\b)?{_QUADRANT}"
#: Any street name, with or without its kind: "harrison", "Van Ness".
_ANY = rf"(?:{_WITH_KIND}|{_NUMBERED}|{_NAME}(?:\s+{_NAME})?)"
#: What joins two streets at a junction.
_JOIN = r"\s*(?:&|/|@|\+|\band\b|\bat\b|\by\b|\bx\b|同|和|与|與|跟|及)\s*"

_HOUSE = mixed_pattern(
    # "1520 broadway": the street of many US cities named without a kind
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:{_WITH_KIND}|(?:[NSEW]\s+)?broadway\b)"
    # "3100 S Halsted", "2650 s emerald": Chicago's grid, a direction and no kind
    rf"|\b\d{{2,6}}\s+(?:[NSEW]|north|south|east|west)\.?\s+(?:{_ORDINAL}|{_NAME})"
    rf"(?:\s+{_KIND}\b)?",
    re.IGNORECASE,
)
#: "Stockton 街 1200 号": the name, its kind in Chinese, then the number.
_HOUSE_ZH = mixed_pattern(rf"\b{_NAME}(?:\s+{_NAME})?\s*(?:街|路|大道)\s*\d{{1,6}}\s*号")
_JUNCTIONS = tuple(
    mixed_pattern(pattern, re.IGNORECASE)
    for pattern in (
        # "24th and harrison", "mission & 30th", "Clement 同 6th Ave"
        rf"\b(?:{_NUMBERED}|{_WITH_KIND}){_JOIN}{_ANY}",
        rf"\b{_ANY}{_JOIN}(?:{_NUMBERED}|{_WITH_KIND})",
        # "natoma st between 6th and 7th", "geary near 20th ave", "polk off 5th"
        rf"\b{_ANY}\s+(?:between|btwn|b/w)\s+{_ANY}{_JOIN}{_ANY}",
        rf"\b{_ANY}\s+(?:near|by|off|at)\s+(?:{_NUMBERED}|{_WITH_KIND})",
        # "corner of Grant and Jackson": both named without kinds, "corner" says it
        rf"\b(?:corner|intersection|junction)\s+(?:of\s+)?{_ANY}{_JOIN}{_ANY}",
    )
)
#: "Grant 同 Jackson 街口", "Taraval 和 22nd Ave 路口": a Chinese word for the corner.
_CORNER_ZH = mixed_pattern(rf"\b{_NAME}(?:\s+{_NAME})?{_JOIN}{_ANY}\s*(?:街口|路口|交界|交叉口)")


def street_spots(text: str) -> list[tuple[int, int]]:
    """Where in ``text`` every specific street address is, in order, overlapping finds
    merged ("natoma st between 6th and 7th" is found as a junction and as "between")."""
    spans = sorted(
        match.span()
        for pattern in (_HOUSE, _HOUSE_ZH, _CORNER_ZH, *_JUNCTIONS)
        for match in pattern.finditer(text)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def street_spot(clause: str) -> tuple[int, int] | None:
    """Where in ``clause`` the first specific street address is (house number or junction)."""
    spots = street_spots(clause)
    return spots[0] if spots else None


#: A street named with its kind in lower case, and up to two words of its area after it:
#: "woodward st edge hill".
_STREET_AND_AREA = mixed_pattern(
    rf"\b{_WITH_KIND}(?:\s+(?!(?:{_NOT_NAMES}|again|today|yesterday|tonight|every|is|are|"
    rf"was|were|has|have)\b)[a-z][a-z'’-]*){{0,2}}",
    re.IGNORECASE,
)


#: A street named with its kind after a word of where: "on snow hill st", "on the sumner st
#: side" (not "the big road" a pothole is on, whose words may be the problem's).
_STREET_AFTER_WHERE = mixed_pattern(
    rf"\b(?:on|at|along|off|near|by|from|of|down)\s+(?:the\s+)?(?P<street>{_WITH_KIND})",
    re.IGNORECASE,
)


def streets_with_kind(text: str) -> list[tuple[int, int]]:
    """Where each street named with its kind after a word of where is (its own words)."""
    return [match.span("street") for match in _STREET_AFTER_WHERE.finditer(text)]


def street_named(clause: str) -> tuple[int, int] | None:
    """Where in ``clause`` a street named with its kind is, a lone one too ("on polk st")."""
    found = _STREET_AND_AREA.search(clause)
    return found.span() if found else None
