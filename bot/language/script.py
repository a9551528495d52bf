"""Character-level facts about Chinese scripts.

Why character level: the NLU pipeline normalises Traditional input to Simplified
*before* tokenisation, and entity offsets must survive that step, so the
conversion has to map one character to exactly one character. Replies, on the
other hand, are converted phrase-aware with OpenCC, because there offsets do not
matter and phrase rules give better Traditional text.

Which characters count as evidence of a script is decided with the national
character sets: a character is *Traditional evidence* when OpenCC simplifies it
to a different character and GB2312 (the Simplified set) cannot encode it, and
*Simplified evidence* when OpenCC traditionalises it and Big5 (the Traditional
set) cannot encode it. This keeps characters that are correct in both scripts
(著, 乾, 後 in some uses) from being miscounted.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Dict

import opencc

_DICTIONARY_DIR = Path(opencc.__file__).parent / "dictionary"


def is_han(char: str) -> bool:
    """True for CJK unified ideographs (all extensions) and compatibility ideographs."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    )


def is_kana_or_hangul(char: str) -> bool:
    """True for Japanese kana and Korean hangul: scripts we do not serve."""
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF


def is_unserved_letter(char: str) -> bool:
    """True for a letter of a script we do not serve: kana, hangul, Cyrillic, Arabic, Thai…

    Han characters and Latin letters (accented ones included) are served or decided
    by words; bopomofo is how Taiwan writes Mandarin sounds, so it counts as Chinese.
    """
    if is_kana_or_hangul(char):
        return True
    if not char.isalpha() or is_han(char):
        return False
    name = unicodedata.name(char, "")
    return not (name.startswith(("LATIN", "FULLWIDTH LATIN", "BOPOMOFO")) or "CJK" in name)


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _read_char_table(name: str) -> Dict[str, str]:
    """Read an OpenCC character table: first candidate of each single-character entry."""
    table: Dict[str, str] = {}
    with open(_DICTIONARY_DIR / name, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            source, targets = parts
            target = targets.split(" ")[0]
            if len(source) == 1 and len(target) == 1 and source != target:
                table[source] = target
    return table


@functools.lru_cache(maxsize=1)
def _traditional_to_simplified() -> Dict[str, str]:
    table = {
        trad: simp
        for trad, simp in _read_char_table("TSCharacters.txt").items()
        if not _encodable(trad, "gb2312")
    }
    table.update(_ORDINARY_IN_TRADITIONAL)
    return table


#: Traditional characters GB2312 also has (kept there for names), which Traditional text
#: writes for everyday words: "最後一班" is 最后一班, "位於" 位于. Left out of the table
#: above, "最後一班" was never read as "the last one".
_ORDINARY_IN_TRADITIONAL = {"後": "后", "於": "于", "夥": "伙", "徵": "征"}


@functools.lru_cache(maxsize=1)
def _simplified_only() -> frozenset[str]:
    return frozenset(
        simp for simp in _read_char_table("STCharacters.txt") if not _encodable(simp, "big5")
    )


def is_traditional_only(char: str) -> bool:
    """True when the character is written differently in Simplified Chinese."""
    return char in _traditional_to_simplified()


def is_simplified_only(char: str) -> bool:
    """True when the character is written differently in Traditional Chinese."""
    return char in _simplified_only()


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified, one character for one.

    The result always has the same length as the input, so character offsets
    (entity annotations, token positions) stay valid.
    """
    table = _traditional_to_simplified()
    return "".join(table.get(char, char) for char in text)


@functools.lru_cache(maxsize=1)
def _s2t_converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@functools.lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Convert Simplified Chinese text to Traditional with OpenCC's phrase rules."""
    return str(_s2t_converter().convert(text))
