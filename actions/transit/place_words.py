"""The words that vary in how place names are written, and their one canonical spelling.

"34 St - Herald Sq" and "34th Street Herald Square", "Elephant & Castle" and "Elephant and
Castle", "Friedrichstraße" and "Friedrichstrasse", "пл. Ленина" and "Площадь Ленина" are the
same stop. Both the feed's names and the rider's text are rewritten with the same table
before they are compared, keeping, for the rider's text, where each character came from so
a mention still points into the words the rider typed.

Sources for the abbreviations: USPS Publication 28, Appendix C1 (street suffixes); Australia
Post's road-type abbreviations; the usual German, French, Spanish and Russian abbreviations
of street and square on street signs (Straße/Str., Platz/Pl., Bahnhof/Bhf, Saint/St,
Avenida/Av., Rua/R., Praça/Pça., Largo/Lgo., Parque/Pq., Jardim/Jd. as SPTrans writes them,
улица/ул., проспект/просп., площадь/пл.). What a stop is named after, in the feed's
language, is written in English ("Krankenhaus", "Aeroporto": hospital, airport), from
``lexicon/facility_words.yml``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

#: Variant (case-folded) -> canonical spelling. A variant is matched as a whole word.
ABBREVIATIONS: dict[str, str] = {
    # English street types (USPS Publication 28) and common words of stop names.
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "square": "sq",
    "boulevard": "blvd",
    "drive": "dr",
    "place": "pl",
    "lane": "ln",
    "court": "ct",
    "terrace": "tce",
    "highway": "hwy",
    "parkway": "pkwy",
    "crescent": "cres",
    "center": "ctr",
    "centre": "ctr",
    # "smithfield shops" for "Smithfield Shopping Centre": what riders call a mall's stop
    "shops": "shopping ctr",
    "cntr": "ctr",
    "mount": "mt",
    "mountain": "mt",
    "mtn": "mt",
    "saint": "st",
    "fort": "ft",
    "junction": "jct",
    "stn": "station",
    "opposite": "opp",
    # German, French, Spanish/Portuguese.
    "straße": "str",
    "strasse": "str",
    "platz": "pl",
    "hauptbahnhof": "hbf",
    "sainte": "ste",
    "avenida": "ave",
    "plaza": "pl",
    "rua": "r",
    # Spelt out: "pca", "jd" would be taken for a name's initials.
    "pça": "praca",
    "lgo": "largo",
    "pq": "park",
    "jd": "jardim",
    "term": "terminal",
    # Russian.
    "улица": "ул",
    "проспект": "пр",
    "просп": "пр",
    "площадь": "пл",
    "переулок": "пер",
    "бульвар": "бул",
    "шоссе": "ш",
}
#: What places are called in other languages, in English (lexicon/facility_words.yml).
FACILITY_WORDS = Path(__file__).with_name("lexicon") / "facility_words.yml"


#: The same in romanised Japanese, Korean and Chinese, often the end of a word
#: ("Ohorikoen"), and Japanese kanji as Chinese writes them (lexicon/facility_endings.yml).
FACILITY_ENDINGS = Path(__file__).with_name("lexicon") / "facility_endings.yml"
#: An ending this long is split off a word ("Ohori|koen"); shorter ones ("eki") never are.
MIN_ENDING = 4
#: Letters that must come before an ending for it to be one (not "Koen" alone: that's a word).
MIN_STEM = 3


def _facility_words() -> dict[str, str]:
    table = yaml.safe_load(FACILITY_WORDS.read_text(encoding="utf-8"))
    return {word.casefold(): english for english, words in table.items() for word in words}


def _endings_table() -> dict[str, dict]:
    return yaml.safe_load(FACILITY_ENDINGS.read_text(encoding="utf-8"))


def _romanised_words() -> tuple[dict[str, str], dict[str, str]]:
    """(every romanised word -> English, the endings split off words -> English)."""
    table = _endings_table()
    endings = {
        word.casefold(): english for english, words in table["endings"].items() for word in words
    }
    alone = {
        word.casefold(): english for english, words in table["words"].items() for word in words
    }
    return {**endings, **alone}, {w: e for w, e in endings.items() if len(w) >= MIN_ENDING}


def kanji_in_chinese() -> dict[str, str]:
    """Japanese kanji words of station names -> how Chinese writes them (空港 -> 机场)."""
    return dict(_endings_table()["kanji"])


#: One city's words in its other language: "Platja de Sant Joan" is "Playa de San Juan"
#: (lexicon/coofficial_words.yml).
COOFFICIAL_WORDS = Path(__file__).with_name("lexicon") / "coofficial_words.yml"


def _coofficial_words() -> dict[str, str]:
    """Each word of a co-official language's place names -> the other language's word."""
    table = yaml.safe_load(COOFFICIAL_WORDS.read_text(encoding="utf-8")) or {}
    return {
        str(word).casefold(): str(key).casefold()
        for key, words in table.items()
        for word in words or ()
    }


_ROMANISED, _ENDINGS = _romanised_words()
_IN_ENGLISH = {**_ROMANISED, **_facility_words()}
ABBREVIATIONS.update(
    {word: ABBREVIATIONS.get(english, english) for word, english in _IN_ENGLISH.items()}
)
#: Words rewritten that are no kind of place ("sant" is "san", "joan" is "juan"): kept
#: apart from ``ABBREVIATIONS``, whose words are the generic words of names. Catalan's
#: "mercat" is Spanish "mercado", which is "market": rewritten once, to the table's word.
NAME_VARIANTS: dict[str, str] = {
    word: ABBREVIATIONS.get(spanish, spanish) for word, spanish in _coofficial_words().items()
}
#: The English words of those places, as compared ("airport", "hospital", "station"…).
FACILITIES = frozenset(ABBREVIATIONS.get(english, english) for english in _IN_ENGLISH.values())


def canonical_words() -> set[str]:
    """Every canonical word of the table (street types, "station", "hospital"…), folded."""
    return {word for spelling in ABBREVIATIONS.values() for word in spelling.split()}


#: A numbered street in Chinese is the numbered street of a Latin feed: "96街" is "96 St",
#: "第五大道" aside (no digits), "8大道" is "8 Ave" (New York's Chinese usage).
_CHINESE_NUMBERED = re.compile(r"(\d+)\s*(?:号)?\s*(街(?!道)|大道)")
_CHINESE_TYPES = {"街": "st", "大道": "ave"}
#: Ordinals are written with or without their suffix: "34th St" is "34 St".
_ORDINAL = re.compile(r"(?<!\w)(\d+)(?:st|nd|rd|th)(?!\w)", re.IGNORECASE)
#: What follows a numbered street named at a corner: "96th and broadway", "42nd & 8th".
_AT_A_CORNER = re.compile(r"\s*(?:and|&|/|@)\s*[A-Za-z0-9]", re.IGNORECASE)
_WORD = re.compile(
    r"(?<!\w)("
    + "|".join(
        re.escape(w) for w in sorted({*ABBREVIATIONS, *NAME_VARIANTS}, key=len, reverse=True)
    )
    + r")(?!\w)\.?",
    re.IGNORECASE,
)


#: A word ending in a romanised place word: "Ohorikoen", "Fukuoka-kuko", "Gimpogonghang".
_ENDING = re.compile(
    rf"(?<![^\W_])([^\W\d_]{{{MIN_STEM},}}?)-?("
    + "|".join(re.escape(w) for w in sorted(_ENDINGS, key=len, reverse=True))
    + r")(?![^\W_])",
    re.IGNORECASE,
)


def canonical_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` in canonical spelling, and for each character its index in ``text``.

    A rewritten word's first and last characters keep the positions of the original word's
    first and last characters, so a span over the rewritten word covers the original one.
    "&" becomes the word "and".
    """
    pieces: list[str] = []
    origin: list[int] = []
    position = 0
    for match in _rewrites(text):
        start, end, replacement = match
        pieces.append(text[position:start])
        origin.extend(range(position, start))
        pieces.append(replacement)
        origin.extend(_spread(start, end, len(replacement)))
        position = end
    pieces.append(text[position:])
    origin.extend(range(position, len(text)))
    return "".join(pieces), origin


def canonical(text: str) -> str:
    """``text`` in canonical spelling (see :func:`canonical_with_offsets`)."""
    return canonical_with_offsets(text)[0]


def _rewrites(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for match in _WORD.finditer(text):
        word = match.group(1).casefold()
        found.append((match.start(), match.end(), ABBREVIATIONS.get(word) or NAME_VARIANTS[word]))
    for match in _ORDINAL.finditer(text):
        # "96th and broadway": a numbered street at a corner is that street ("96 St").
        corner = _AT_A_CORNER.match(text, match.end())
        found.append((match.start(), match.end(), match.group(1) + (" st" if corner else "")))
    for match in _CHINESE_NUMBERED.finditer(text):
        found.append(
            (match.start(), match.end(), f"{match.group(1)} {_CHINESE_TYPES[match.group(2)]}")
        )
    for match in re.finditer("&", text):
        found.append((match.start(), match.end(), " and "))
    for match in _PARTICLE.finditer(text):
        # "Platja de Sant Joan" is "playa san juan" as riders type it: small words of a
        # Romance name are left out on both sides of the comparison.
        found.append((match.start(), match.end(), " "))
    for match in _ENDING.finditer(text):
        # "Ohorikoen" is "Ohori park" (the stem's accents dropped as below).
        stem = _ACCENTED.sub(lambda m: _unaccented(m.group()), match.group(1))
        english = _ENDINGS[match.group(2).casefold()]
        english = ABBREVIATIONS.get(english, english)
        found.append((match.start(), match.end(), f"{stem} {english}"))
    for match in _ACCENTED.finditer(text):
        found.append((match.start(), match.end(), _unaccented(match.group())))
    # Where two rewrites start together, the longer wins ("École" is the word, not the É).
    found.sort(key=lambda item: (item[0], -item[1]))
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


#: A Latin letter with a diacritic: riders leave the marks off ("Consolacao", "Se") or
#: write a German umlaut as its two letters ("Kaethe", "Schoenwalde"), as German does.
_ACCENTED = re.compile(r"[À-ÖØ-öø-ɏ]")
#: The articles and prepositions inside Romance place names ("Porta del Mar", "Plaza de
#: los Luceros", "Rua dos Andradas", "l'Hospitalet"), which riders often leave out.
_PARTICLE = re.compile(
    r"(?<![\w'’])(?:(?:de|del|dels|della|delle|degli|des|du|da|do|dos|das|di|la|las|los|"
    r"les|el)\s+(?=\w)|[dl]['’](?=\w))",
    re.IGNORECASE,
)
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}


#: Letters that Unicode does not decompose, as riders without the key type them: Polish
#: "Główna" is "glowna", Danish "Nørreport" "norreport", German "Straße" "strasse".
_NO_BASE = {
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae",
    "ß": "ss", "œ": "oe", "Œ": "Oe", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
    "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŀ": "l", "Ŀ": "L",
}  # fmt: skip


def _unaccented(letter: str) -> str:
    """ "ä" -> "ae", "ã" -> "a", "ç" -> "c", "ł" -> "l"; any other letter as is."""
    if letter in _UMLAUTS:
        return _UMLAUTS[letter]
    if letter in _NO_BASE:
        return _NO_BASE[letter]
    base = unicodedata.normalize("NFD", letter)[0]
    return base if base.isascii() else letter


def _spread(start: int, end: int, size: int) -> list[int]:
    """Original positions for ``size`` replacement characters standing for text[start:end]."""
    if size == 0:
        return []
    last = max(start, end - 1)
    return [start if i < size - 1 else last for i in range(size)] if size > 1 else [start]
