"""Cyrillic stop names in Latin letters, as visitors type them.

Sofia's feed names its stops "Ул. Охрид", "Хладилен Завод"; a visitor types "ul. Ohrid"
or "Hladilen Zavod", a Russian speaker's friend "Khladilen Zavod". Both spellings are
made from the official romanisations, which differ where the languages' sounds do:
Bulgaria's Streamlined System (2009: х h, щ sht, ъ a) and the BGN/PCGN system for
Russian (х kh, щ shch, ъ and ь dropped); letters of Ukrainian, Serbian and Macedonian
follow their own national systems. Matching then forgives the small differences left
("Ohrid"/"Okhrid").
"""

from __future__ import annotations

#: Letters every system spells the same.
_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "ц": "ts", "ч": "ch", "ш": "sh",
    "ю": "yu", "я": "ya", "ы": "y", "э": "e", "ё": "yo",
    # Ukrainian, Belarusian, Serbian and Macedonian letters
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj",
    "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
#: Where Bulgarian's and Russian's official spellings differ.
_BULGARIAN = {"х": "h", "щ": "sht", "ъ": "a", "ь": "y"}
_RUSSIAN = {"х": "kh", "щ": "shch", "ъ": "", "ь": ""}


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def latin_forms(name: str) -> list[str]:
    """The name in Latin letters, Bulgarian-style then Russian-style (one if they agree)."""
    if not has_cyrillic(name):
        return []
    forms = [_spelt(name, _BULGARIAN), _spelt(name, _RUSSIAN)]
    return [form for form in dict.fromkeys(forms) if form.strip()]


def _spelt(name: str, table: dict[str, str]) -> str:
    out = []
    for ch in name:
        lower = ch.lower()
        latin = table.get(lower, _COMMON.get(lower))
        if latin is None:
            out.append(ch)
        elif ch != lower and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)
