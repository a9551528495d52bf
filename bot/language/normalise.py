"""The text the NLU reads: the resident's message with its spelling variants folded away.

Residents type full-width letters and digits from a Chinese IME in full-width mode
(ＳＲ２０２５０１０１), emoji and runs of punctuation, Traditional characters and
written Cantonese. The model is trained mostly on Simplified Mandarin and ASCII, so
before tokenisation the message is read as:

1. NFKC per character (full-width → ASCII, ideographic space → space), where the
   character's NFKC form is one character;
2. emoji, their joiners and variation selectors → spaces (they carry no words);
3. written Cantonese words → their Mandarin equivalents (``cantonese.yml``);
4. pinyin-IME slips → the word meant ("首般车" → "首班车", ``ime_homophones.yml``);
5. Traditional → Simplified, character by character.

Every step maps a stretch of text to a stretch of the same length, so the result
is exactly as long as the message and entity offsets found in it point into the
resident's own text (``SurfaceTextRestorer`` puts their words back where it matters).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.language.script import to_simplified

CANTONESE_FILE = Path(__file__).with_name("cantonese.yml")
HOMOPHONES_FILE = Path(__file__).with_name("ime_homophones.yml")

#: Symbols that are pictures, not words: emoji and pictographs, dingbats, and the
#: invisible characters that build emoji sequences.
_EMOJI_RANGES: Tuple[Tuple[int, int], ...] = (
    (0x1F000, 0x1FAFF),  # mahjong … symbols and pictographs extended-A
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x2B00, 0x2BFF),  # arrows and stars (⭐)
    (0xFE00, 0xFE0F),  # variation selectors
    (0x200D, 0x200D),  # zero-width joiner
    (0x20E3, 0x20E3),  # combining keycap
    (0xE0020, 0xE007F),  # tag characters (flag sequences)
)


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _EMOJI_RANGES)


def width_fold(text: str) -> str:
    """NFKC each character whose compatibility form is a single character; drop emoji.

    "ＳＲ１２" → "SR12", "　" → " ", "😡😡" → "  ". Characters whose NFKC form is
    longer ("㎞" → "km", "½") are kept as they are, so the length never changes.
    """
    folded: List[str] = []
    for char in text:
        if _is_emoji(char):
            folded.append(" ")
            continue
        if ord(char) < 0x80:
            folded.append(char)
            continue
        compatible = unicodedata.normalize("NFKC", char)
        folded.append(compatible if len(compatible) == 1 else char)
    return "".join(folded)


@dataclass(frozen=True)
class _Rule:
    to: str
    not_before: str
    not_after: str


@functools.lru_cache(maxsize=2)
def _word_rules(path: Path) -> Tuple[re.Pattern[str], Dict[str, _Rule]]:
    """A file of same-length word replacements (``cantonese.yml``'s format)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules: Dict[str, _Rule] = {}
    for entry in document.get("words") or ():
        rule = _Rule(
            to=str(entry["to"]),
            not_before=str(entry.get("not_before") or ""),
            not_after=str(entry.get("not_after") or ""),
        )
        for word in entry["from"]:
            for spelling in {str(word), to_simplified(str(word))}:
                if len(spelling) != len(rule.to):
                    raise ValueError(f"{path.name}: {spelling!r} → {rule.to!r} changes the length")
                rules.setdefault(spelling, rule)
    alternatives = sorted(rules, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), rules


def _replace_words(text: str, path: Path) -> str:
    pattern, rules = _word_rules(path)

    def replace(match: re.Match[str]) -> str:
        rule = rules[match.group()]
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if (before and before in rule.not_after) or (after and after in rule.not_before):
            return match.group()
        return rule.to

    return pattern.sub(replace, text)


def cantonese_to_mandarin(text: str) -> str:
    """Read written Cantonese words as Mandarin ones ("幾時攞" → "何时拿"), same length."""
    return _replace_words(text, CANTONESE_FILE)


def without_ime_slips(text: str) -> str:
    """Read pinyin-IME slips as the words meant ("首般车" → "首班车"), same length."""
    return _replace_words(text, HOMOPHONES_FILE)


def nlu_text(text: str) -> str:
    """The message as the NLU reads it (see module docstring); always the same length."""
    return to_simplified(without_ime_slips(cantonese_to_mandarin(width_fold(text))))
