"""Decide which language a short resident message is written in.

Resident messages are short ("好的", "ok", "Line 1?", "不是"), and statistical
detectors such as langdetect mislabel about one in five of them (``不是`` comes
out as Korean, ``correct`` as Spanish). Script analysis settles almost all
cases for the two languages we serve: Han characters mean Chinese, Latin words
mean English. Only the genuinely unclear cases reach langdetect, restricted to
the languages we serve and seeded so that it is deterministic:

* mixed-script messages whose function words do not settle the sentence frame,
* Chinese text with as much Traditional as Simplified evidence.

A message with no language evidence at all (an emoji, ``ok``, a ticket number,
``Line 1?``) gets ``language=None`` so that the caller keeps the language the
conversation already uses.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict

import yaml
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from bot.language.mixed_script import mixed_pattern
from bot.language.script import (
    is_han,
    is_kana_or_hangul,
    is_simplified_only,
    is_traditional_only,
    is_unserved_letter,
)

ENGLISH = "en"
CHINESE = "zh"
SIMPLIFIED = "hans"
TRADITIONAL = "hant"

# Spans that look the same in any language: links, ids, line numbers, digits.
_NEUTRAL_SPANS = mixed_pattern(
    r"""
    https?://\S+ | www\.\S+                       # links
    | [\w.+-]+@[\w-]+\.[\w.]+                    # e-mail addresses
    | (?<![A-Za-z])(?:sr|pa)[\s-]*\d(?:[\s-]*\d){7}  # ticket / application numbers
    | \b(?:line|l)\s*\d+\b                        # "Line 1", "L5"
    | \d+
    """,
    re.IGNORECASE | re.VERBOSE,
)
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
#: Words in any Latin alphabet, accented letters included ("estación", "tôi").
_ACCENTED_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Interjections and acknowledgements typed the same way by Chinese and English speakers.
_NEUTRAL_WORD = re.compile(
    r"(?:o+k+a*y*|o+k+e+y*|k+|(?:ha)+h?|(?:he)+|(?:hi){2,}|h+m+|m+|e+m+|a+h+|lo+l|x+d+|[b-hj-z])",
    re.IGNORECASE,
)
_ENGLISH_FUNCTION_WORDS = frozenset(
    (
        "i you me my we our it is are am was be do does did can could would will should "
        "how what where when which who why the a an to from at in on for of and or with "
        "get go going please pls want need there this that next much many any have has "
        "not no yes tell show help take between near by about"
    ).split()
)
# Particles, pronouns and question words that only appear in a Chinese sentence frame.
_CHINESE_FUNCTION_CHARS = frozenset(
    "我你您他她它想要吗嗎呢吧啊呀的了在去到从從是有没沒几幾请請哪谁誰什甚么麼怎能可帮幫给給还還不很也和跟就都这這那个個多少"
)
_SERVED_PROFILES = ("en", "zh-cn", "zh-tw")
#: Articles and prepositions inside place names ("Porta del Mar", "Plaza la Coruña", "Rua
#: dos Andradas", "Unter den Linden"): a city's stops say nothing of the sentence's
#: language, so they alone never make a message foreign.
_NAME_PARTICLES = frozenset(
    "el la los las del de della delle dei di da do dos das du des le les der den dem van von "
    "het il lo gli al".split()
)
_FOREIGN_WORDS_FILE = Path(__file__).with_name("foreign_words.yml")


@dataclass(frozen=True)
class LanguageGuess:
    """What a message tells about its language.

    ``language`` is ``"en"``, ``"zh"`` or ``None`` (no evidence). For Chinese,
    ``script`` is ``"hans"`` or ``"hant"`` when the characters show it and
    ``None`` when every character is written the same in both scripts.
    ``unsupported`` marks text in a script we do not serve (kana, hangul).
    """

    language: str | None
    script: str | None = None
    unsupported: bool = False

    @property
    def code(self) -> str | None:
        """Language code as used for replies: ``en``, ``zh``, ``zh-Hant`` or ``None``."""
        if self.language == CHINESE and self.script == TRADITIONAL:
            return "zh-Hant"
        return self.language

    def as_dict(self) -> dict[str, object]:
        """Plain form stored on the NLU message (and so in the tracker store)."""
        return {
            "code": self.code,
            "language": self.language,
            "script": self.script,
            "unsupported": self.unsupported,
        }


NO_EVIDENCE = LanguageGuess(language=None)


def detect_language(text: str) -> LanguageGuess:
    """Return the language evidence carried by ``text`` (see module docstring)."""
    text = unicodedata.normalize("NFKC", text or "")
    stripped = _NEUTRAL_SPANS.sub(" ", text)

    han = [char for char in stripped if is_han(char)]
    latin_words = [
        word for word in _LATIN_WORD.findall(stripped) if not _NEUTRAL_WORD.fullmatch(word)
    ]
    if _in_unserved_script(stripped, han, latin_words):
        return LanguageGuess(language=None, unsupported=True)
    # Letters of other scripts left in a served sentence are names (a city's own stops:
    # "next bus at Централна Гара", "Централна Гара下一班几点"): read around them.
    stripped = "".join(" " if is_unserved_letter(char) else char for char in stripped)
    if latin_words and not han and _unserved_latin_language(stripped) is not None:
        return LanguageGuess(language=None, unsupported=True)
    if not han and not latin_words:
        return NO_EVIDENCE
    if han and not latin_words:
        return LanguageGuess(CHINESE, _chinese_script(han, text))
    if latin_words and not han:
        return LanguageGuess(ENGLISH)
    return _mixed_script(text, han, latin_words)


def _chinese_script(han: list[str], text: str) -> str | None:
    traditional = sum(1 for char in han if is_traditional_only(char))
    simplified = sum(1 for char in han if is_simplified_only(char))
    if traditional > simplified:
        return TRADITIONAL
    if simplified > traditional:
        return SIMPLIFIED
    if traditional == 0:
        return None
    best = _langdetect_best(text)
    if best == "zh-tw":
        return TRADITIONAL
    if best == "zh-cn":
        return SIMPLIFIED
    return None


def _mixed_script(text: str, han: list[str], latin_words: list[str]) -> LanguageGuess:
    """Pick the sentence frame of a message that mixes Han characters and Latin words.

    Function words decide: "我想办个 business license" is a Chinese sentence with
    an English term, "how to go 车公庙" an English sentence with a Chinese name.
    """
    chinese_function = sum(1 for char in han if char in _CHINESE_FUNCTION_CHARS)
    english_function = sum(1 for word in latin_words if word.lower() in _ENGLISH_FUNCTION_WORDS)
    chinese_score = 2 * chinese_function + len(han) / 2
    english_score = 2 * english_function + len(latin_words)
    chinese = LanguageGuess(CHINESE, _chinese_script(han, text))
    if chinese_score > english_score:
        return chinese
    if english_score > chinese_score:
        return LanguageGuess(ENGLISH)
    best = _langdetect_best(text)
    return LanguageGuess(ENGLISH) if best == "en" else chinese


def _in_unserved_script(text: str, han: list[str], latin_words: list[str]) -> bool:
    """Is the message written in a script we do not serve (not just naming something in it)?

    Kana or hangul mean Japanese or Korean unless English function words frame them
    (Japanese mixes kanji in, so Han characters do not count as Chinese here). Other
    scripts (Cyrillic, Arabic, Thai…) mean another language unless the message also has
    Chinese characters or English function words around them.
    """
    kana_or_hangul = sum(1 for char in text if is_kana_or_hangul(char))
    other = sum(1 for char in text if is_unserved_letter(char)) - kana_or_hangul
    english_frame = sum(1 for word in latin_words if word.lower() in _ENGLISH_FUNCTION_WORDS)
    if kana_or_hangul >= 2 or (kana_or_hangul and not han and not latin_words):
        return english_frame < 2
    if other:
        return not han and not english_frame
    return False


@functools.lru_cache(maxsize=1)
def _foreign_function_words() -> Dict[str, frozenset[str]]:
    document = yaml.safe_load(_FOREIGN_WORDS_FILE.read_text(encoding="utf-8")) or {}
    return {
        str(language): frozenset(str(word).lower() for word in words)
        for language, words in document.items()
    }


def _unserved_latin_language(text: str) -> str | None:
    """The Latin-script language we do not serve that ``text`` is written in, if clear.

    Clear means: at least three words, at least two distinct function words of that
    language (``foreign_words.yml``, none of which is an English word) and more of
    them than English function words, and langdetect over all its profiles agreeing.
    "Where is Estación Norte" stays English; "¿Dónde está la estación?" does not.
    """
    words = [word.lower() for word in _ACCENTED_WORD.findall(text)]
    if len(words) < 3:
        return None
    english = sum(1 for word in words if word in _ENGLISH_FUNCTION_WORDS)
    counts = {
        language: len(set(words) & function)
        for language, function in _foreign_function_words().items()
    }
    language, hits = max(counts.items(), key=lambda item: (item[1], item[0]))
    if hits < 2 or hits <= english:
        return None
    if not (set(words) & _foreign_function_words()[language]) - _NAME_PARTICLES:
        return None  # "porta del mar > plaza la coruna next one?": only names' small words
    detector = _all_languages_factory().create()
    detector.append(text)
    try:
        best = str(detector.detect())
    except LangDetectException:
        return None
    if best == language:
        return language
    # Swedish, Norwegian and Danish share most function words: langdetect's pick among
    # the languages whose words the message uses.
    return best if counts.get(best, 0) >= 2 else None


@functools.lru_cache(maxsize=1)
def _all_languages_factory() -> DetectorFactory:
    """A langdetect factory with every profile it ships, seeded for determinism."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


@functools.lru_cache(maxsize=1)
def _served_factory() -> DetectorFactory:
    """A langdetect factory that knows only the languages we serve, seeded for determinism."""
    profiles = [
        (Path(PROFILES_DIRECTORY) / name).read_text(encoding="utf-8") for name in _SERVED_PROFILES
    ]
    json.loads(profiles[0])  # fail early with a clear error if a profile is damaged
    factory = DetectorFactory()
    factory.load_json_profile(profiles)
    factory.set_seed(0)
    return factory


def _langdetect_best(text: str) -> str | None:
    """langdetect's best guess among the served languages, or None when it has no features."""
    detector = _served_factory().create()
    detector.append(text)
    try:
        return str(detector.detect())
    except LangDetectException:
        return None
