"""Japanese kana readings spelt in Latin letters (Hepburn), as visitors type stop names.

Japanese feeds (GTFS-JP) name stops in kanji and give their readings in kana
(``translations.txt``, language ``ja-Hrkt``: 東室蘭駅 → ひがしむろらんえき). A visitor
types "Higashi-Muroran station" or "higashi muroran eki"; neither the kanji nor the kana
can be matched to that, but the reading can be spelt as the rider spells it. The table is
the modified Hepburn romanisation (as on Japanese station signs and JR timetables);
long vowels are written both ways riders write them ("koudai" and "kodai").
"""

from __future__ import annotations

import unicodedata

#: Kana (hiragana; katakana is folded to it) -> Hepburn.
_SYLLABLES = {
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o",
    "か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
    "さ": "sa", "し": "shi", "す": "su", "せ": "se", "そ": "so",
    "た": "ta", "ち": "chi", "つ": "tsu", "て": "te", "と": "to",
    "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no",
    "は": "ha", "ひ": "hi", "ふ": "fu", "へ": "he", "ほ": "ho",
    "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo",
    "や": "ya", "ゆ": "yu", "よ": "yo",
    "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro",
    "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ん": "n",
    "が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go",
    "ざ": "za", "じ": "ji", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
    "だ": "da", "ぢ": "ji", "づ": "zu", "で": "de", "ど": "do",
    "ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
    "ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po",
    "ゔ": "vu", "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o",
}  # fmt: skip
#: A consonant kana and a small ya/yu/yo: きょ → kyo, しゃ → sha, ちゅ → chu, じょ → jo.
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SOKUON = "っ"
_LONG = "ー"


def is_kana(text: str) -> bool:
    """Whether ``text`` is written in kana only (spaces and the long-vowel mark allowed)."""
    letters = [ch for ch in text if not ch.isspace()]
    return bool(letters) and all(
        "\u3041" <= ch <= "\u3096" or "\u30a1" <= ch <= "\u30fc" for ch in letters
    )


def romaji(kana: str) -> list[str]:
    """The Hepburn spellings of a kana reading: as written, and with long vowels short.

    "ひがしむろらんえき" → ["higashimuroraneki", "higashimuroran"]; "こうだいまえ" →
    ["koudaimae", "kodaimae"].
    """
    spelt = _hepburn(unicodedata.normalize("NFKC", kana))
    if not spelt:
        return []
    short = spelt.replace("ou", "o").replace("uu", "u").replace("oo", "o")
    forms = [spelt, short]
    # Words of a stop's name written apart, as on signs ("chikyumisaki danchi",
    # "shiritsubyoin mae"), so that its first words alone find it.
    forms += [spaced for form in (spelt, short) if (spaced := _spaced(form)) != form]
    for form in (spelt, short):
        # 駅, 駅前, 駅西口 ("eki", "ekimae", "ekinishiguchi"): what an English speaker calls
        # "X Station", which matching already reads as X.
        at = form.rfind("eki")
        if at > 2 and form[at + 3 :] in _STATION_PARTS:
            forms.append(form[:at])
    return list(dict.fromkeys(forms))


#: Words that end a Japanese stop's name: a housing estate, a station, in front of,
#: an entrance, a block, a park, a school, a hospital, a terminal, a street.
_NAME_ENDS = tuple(sorted((
    "danchi", "ekimae", "eki", "mae", "iriguchi", "nishiguchi", "higashiguchi",
    "minamiguchi", "kitaguchi", "chome", "choume", "kouen", "koen", "gakkou", "gakko",
    "byouin", "byoin", "taaminaru", "doori", "dori", "douri", "machi", "cho", "chou",
), key=len, reverse=True))  # fmt: skip


def _spaced(form: str) -> str:
    """The reading with its ending words apart: "chikyumisakidanchi" → "chikyumisaki
    danchi", "muroranekimae" → "muroran ekimae"."""
    words: list[str] = []
    rest = form
    while True:
        for end in _NAME_ENDS:
            if rest.endswith(end) and len(rest) > len(end) + 2:
                words.insert(0, end)
                rest = rest[: -len(end)]
                break
        else:
            break
    return " ".join([rest, *words])


#: What follows 駅 in a stop's name: in front of it, or one of its exits.
_STATION_PARTS = frozenset(
    {"", "mae", "nishiguchi", "higashiguchi", "minamiguchi", "kitaguchi", "chuouguchi",
     "chuoguchi", "iriguchi", "dori", "doori", "douri"}
)  # fmt: skip


def _hepburn(kana: str) -> str:
    out: list[str] = []
    double_next = False
    chars = [_hiragana(ch) for ch in kana]
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch.isspace() or ch == "・":
            i += 1
            continue
        if ch == _SOKUON:
            double_next = True
            i += 1
            continue
        if ch == _LONG:
            if out:
                out.append(out[-1][-1])  # ラーメン → raamen
            i += 1
            continue
        syllable = _SYLLABLES.get(ch)
        if syllable is None:
            return ""
        following = chars[i + 1] if i + 1 < len(chars) else ""
        if following in _SMALL_Y and syllable.endswith("i") and len(syllable) > 1:
            stem = syllable[:-1]
            vowel = _SMALL_Y[following]
            syllable = stem + vowel if stem in ("sh", "ch", "j") else stem + "y" + vowel
            i += 1
        if double_next:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double_next = False
        out.append(syllable)
        i += 1
    return "".join(out)


def _hiragana(ch: str) -> str:
    """Katakana folded to hiragana (the two syllabaries are 0x60 apart)."""
    code = ord(ch)
    return chr(code - 0x60) if 0x30A1 <= code <= 0x30F6 else ch
