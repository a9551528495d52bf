"""Lines called by their colour: "the blue line", "linha azul", "红线", "黄色那条".

São Paulo's metro lines are Azul, Verde, Vermelha, Amarela…; Santiago's, Mexico City's,
Lisbon's and Boston's riders name theirs the same way. Where a feed's names do not say
the colour ("METRÔ L1", "TUCURUVI - JABAQUARA"), its ``route_color`` does: the colour a
rider names is matched to the hue of each rail line's colour. Buses are left out (their
colours are liveries, not names), and a colour that fits several lines of the same mode
names them all, for the rider to choose.

The colour words are facts of the languages (English, Chinese, Portuguese, Spanish,
French, Italian, German); the hue bands are the usual names of the colour wheel.
"""

from __future__ import annotations

import colorsys
import re

from actions.clients.gtfs.model import Route, TransitFeed
from actions.transit.feed_words import mode_of
from bot.language.mixed_script import mixed_pattern
from bot.language.script import to_simplified

#: Colour -> its words, per language (lower case; Chinese in Simplified).
COLOUR_WORDS: dict[str, tuple[str, ...]] = {
    "red": ("red", "红", "vermelha", "vermelho", "roja", "rojo", "rouge", "rossa", "rot", "rote"),
    "orange": ("orange", "橙", "橘", "laranja", "naranja", "arancione"),
    "yellow": (
        "yellow",
        "黄",
        "amarela",
        "amarelo",
        "amarilla",
        "amarillo",
        "jaune",
        "gialla",
        "gelb",
        "gelbe",
    ),
    "green": ("green", "绿", "verde", "vert", "verte", "grün", "grüne"),
    "turquoise": ("turquoise", "teal", "青", "湖蓝", "turquesa", "turchese", "türkis"),
    "blue": ("blue", "蓝", "azul", "bleue", "bleu", "blu", "blau", "blaue"),
    "purple": (
        "purple",
        "violet",
        "lilac",
        "紫",
        "lilás",
        "lilas",
        "roxa",
        "morada",
        "viola",
        "lila",
    ),
    "pink": ("pink", "magenta", "粉", "rosa", "rose"),
    "brown": ("brown", "棕", "咖啡", "marrom", "marrón", "marron", "braun"),
    "silver": (
        "silver",
        "grey",
        "gray",
        "银",
        "灰",
        "prata",
        "plata",
        "argent",
        "grigia",
        "silber",
        "grau",
    ),
}
_WORD_COLOUR = {word: colour for colour, words in COLOUR_WORDS.items() for word in words}
_HAN_WORDS = [w for w in _WORD_COLOUR if "\u4e00" <= w[0] <= "\u9fff"]
_LATIN = "|".join(sorted(set(_WORD_COLOUR) - set(_HAN_WORDS), key=len, reverse=True))
_HAN = "|".join(sorted(_HAN_WORDS, key=len, reverse=True))
#: "blue line", "linha azul", "línea roja", "ligne rouge", "红线", "红色线", "黄色那条".
_NAMED = mixed_pattern(
    rf"\b(?P<en>{_LATIN})\s+line\b"
    rf"|\b(?:linha|l[ií]nea|ligne|linea|linie)\s+(?P<latin>{_LATIN})\b"
    rf"|(?P<zh>{_HAN})色?(?:的)?(?:线|線|那条|那條|嗰条|嗰條|地铁|地鐵|号线)",
    re.IGNORECASE,
)
_RAIL = frozenset({"metro", "rail", "tram"})
#: Which mode's lines a colour names first, where several modes have one of it.
_BY_COLOUR_FIRST = ("metro", "tram", "rail")


def colours_named(text: str) -> list[str]:
    """The colours of lines the text names ("the red line" -> ["red"])."""
    found = []
    for match in _NAMED.finditer(to_simplified(text or "")):
        word = next(g for g in match.groups() if g).casefold()
        colour = _WORD_COLOUR.get(word)
        if colour and colour not in found:
            found.append(colour)
    return found


def colour_of(route: Route) -> str | None:
    """The colour name of a route's ``route_color`` ("EE372F" -> "red"), or None."""
    code = (route.color or "").strip().lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", code):
        return None
    red, green, blue = (int(code[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    degrees = hue * 360
    if saturation < 0.15:
        return "silver" if value >= 0.45 else None
    if value < 0.2:
        return None
    bands = (
        (15, "red"), (40, "orange"), (70, "yellow"), (165, "green"), (195, "turquoise"),
        (255, "blue"), (315, "purple"), (345, "pink"), (360, "red"),
    )  # fmt: skip
    colour = next(name for limit, name in bands if degrees < limit)
    if colour == "orange" and value < 0.6:
        return "brown"
    return colour


def routes_of_colours(feed: TransitFeed, colours: list[str]) -> list[Route]:
    """The feed's rail lines of those colours (buses' liveries do not name them)."""
    if not colours:
        return []
    found = [
        route
        for route in feed.routes.values()
        if mode_of(route.route_type) in _RAIL and colour_of(route) in colours
    ]
    # São Paulo's metro Linha Vermelha, not CPTM's coral Line 11: a metro's lines are
    # the ones called by colour where rail lines share a colour with them.
    for mode in _BY_COLOUR_FIRST:
        of_mode = [route for route in found if mode_of(route.route_type) == mode]
        if of_mode:
            return of_mode
    return found
