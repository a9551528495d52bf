"""How stop and route names are compared and chosen per language.

Residents type names loosely ("罗湖站", "luohu station", "Ｌｕｏｈｕ") and in their own
language; feeds write them one way and translate them in translations.txt. These two small
functions are the whole policy, shared by loading (which indexes names) and the queries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
# Words riders add or leave out: "罗湖站", "Luohu Station", "Luohu Metro Station".
_SUFFIXES = ("地铁站", "站", "metrostation", "subwaystation", "station", "stop")


def normalise_name(text: str) -> str:
    """A name reduced to what tells it apart.

    Width, case, spaces, punctuation, bracketed notes ("(Demo)", "（东）") and a trailing
    "station"/"站" do not count. Traditional characters are not converted here; the caller
    does that with the one conversion the assistant uses (``bot.language.script.to_simplified``).
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _BRACKETS.sub("", folded)
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")
    for suffix in _SUFFIXES:
        if kept.endswith(suffix) and len(kept) > len(suffix):
            return kept[: -len(suffix)]
    return kept


def pick_name(names: Mapping[str, str], language: str, default: str) -> str:
    """The text for ``language``: exact code, then same primary language, then ``default``.

    "zh" finds "zh-cn" and "zh-CN" finds "zh", because feeds and residents rarely agree on
    how precisely to write a language code.
    """
    wanted = language.lower()
    if wanted in names:
        return names[wanted]
    primary = wanted.split("-")[0]
    for code, text in names.items():
        if code.split("-")[0] == primary:
            return text
    return default
