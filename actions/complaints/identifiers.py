"""A number that identifies the thing reported, told again correctly.

"车牌粤Ｂ８８８ＸＸ后面两位没看清" in the description, then at the summary "等下，车牌
我刚下楼看清楚了 是粤B88812": the plate is the one in the description, now complete.
Residents read plates and lamp-post numbers off the street and correct them as they
look again; the correction replaces the number of the same kind in the description,
instead of being asked "did you mean to submit?".

Kinds: a Chinese number plate (province character, letter, five or six letters or
digits) and a code of letters and digits ("FT-0832", "BUS 1234"). A number of one
kind only replaces one of the same kind with the same start (粤B…, FT-…). Full-width
letters and digits (a Chinese IME in full-width mode) are read as plain ones.
"""

from __future__ import annotations

import re
import unicodedata

_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·•\s]?[A-Z0-9]{4,6}"
)
_CODE = re.compile(r"(?<![A-Z0-9])[A-Z]{1,4}[-\s]?\d[A-Z0-9]{2,7}(?![A-Z0-9])")


def _plain(text: str) -> str:
    """Full-width letters and digits as plain ones, upper case, one character for one."""
    return "".join(
        unicodedata.normalize("NFKC", char)
        if len(unicodedata.normalize("NFKC", char)) == 1
        else char
        for char in text
    ).upper()


def _found(text: str) -> list[tuple[str, int, int]]:
    """(kind-and-start, start, end) of every identifier in ``text`` (already plain)."""
    found = [(f"plate:{m.group(0)[:2]}", m.start(), m.end()) for m in _PLATE.finditer(text)]
    taken = [(start, end) for _, start, end in found]
    for m in _CODE.finditer(text):
        if any(start < m.end() and m.start() < end for start, end in taken):
            continue
        found.append((f"code:{re.match(r'[A-Z]+', m.group(0)).group(0)}", m.start(), m.end()))  # type: ignore[union-attr]
    return found


def corrected_identifier(said: str, description: str) -> str | None:
    """``description`` with its identifier replaced by the one ``said`` gives, or None.

    None when ``said`` gives no identifier, when the description has none of the
    same kind and start, or when the two are the same already.
    """
    told, before = _plain(said), _plain(description)
    for kind, start, end in _found(told):
        new = told[start:end]
        for other, at, until in _found(before):
            if other == kind and before[at:until] != new:
                return description[:at] + said[start:end] + description[until:]
    return None
