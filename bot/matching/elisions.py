"""German compounds written with a shared part left out, written out in full.

German lists join compounds that share a part with a hyphen: "Straßen- und
Gehwegschäden" is Straßenschäden and Gehwegschäden, "Schrottautos und -Fahrräder" is
Schrottautos and Schrottfahrräder (Duden's rule on the Ergänzungsstrich, the hyphen
standing for the part left out). A matcher reading the words as written finds
"Straßen" and "-Fahrräder", neither of them the thing. The missing part is taken from
the compound beside it, split where the whole compound is a word the caller knows
(the concept lexicon's terms), so nothing is guessed from German grammar.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: "Straßen- und Gehwegschäden", "Rad-, Fuß- oder Gehwege": a part, its hyphen, a joiner.
_HEAD_LEFT_OUT = re.compile(
    r"(?<![\w-])([^\W\d_]{3,})-(?=\s*(?:,|und|oder|bzw\.?|sowie|&|/)\s*(?:[^\W\d_]{3,}-\s*(?:,|und|oder|bzw\.?|sowie|&|/)\s*)*([^\W\d_]{4,}))",
    re.IGNORECASE,
)
#: "Schrottautos und -Fahrräder": a compound, a joiner, a hyphen and the other part.
_MODIFIER_LEFT_OUT = re.compile(
    r"([^\W\d_]{4,})\s*(?:,|und|oder|bzw\.?|sowie|&|/)\s*-([^\W\d_]{3,})", re.IGNORECASE
)
#: Shortest part of a compound that can be left out and stood for by the hyphen.
_MIN_PART = 3


def written_out(text: str, known: Callable[[str], bool]) -> str:
    """``text`` with each compound whose shared part was left out added in full after it.

    The text is kept as written (it is shown to residents elsewhere); the compounds are
    appended in brackets for matching only: "Straßen- und Gehwegschäden (Straßenschäden)".
    """
    found: list[str] = []
    for match in _HEAD_LEFT_OUT.finditer(text):
        part, whole = match.group(1), match.group(2)
        found += _joined(part, whole, known, head=True)
    for match in _MODIFIER_LEFT_OUT.finditer(text):
        whole, part = match.group(1), match.group(2)
        found += _joined(part, whole, known, head=False)
    return f"{text} ({', '.join(found)})" if found else text


def _joined(part: str, whole: str, known: Callable[[str], bool], *, head: bool) -> list[str]:
    """``part`` completed by the end (or the start) of ``whole``, if that makes a known word."""
    for cut in range(_MIN_PART, len(whole) - _MIN_PART + 1):
        candidate = (part + whole[cut:] if head else whole[:cut] + part).lower()
        if known(candidate):
            return [candidate]
    return []
