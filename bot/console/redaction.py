"""Personal data hidden from transcripts before staff read them.

Why: under PIPL, staff who review conversations should see only what they
need. Personal data is hidden by default. What is left shows what *kind* of
thing the resident wrote ("a mobile", "an e-mail address") and at most four
identifying characters, so that staff can match it to what a resident reads
out over the phone, but cannot identify anyone from it.

Masking scheme, one rule per kind:

* ``mobile``: mainland mobile, ``1[3-9]`` + 9 digits, whole or in 3-4-4 groups
  joined by one kind of space or dash, with or without +86 / 86 / 0086 / (+86)
  in front. Digits 4-7 become ``*``. Everything else stays as written, the
  same shape the complaint flow shows to residents:
  ``13800138000`` → ``138****8000``, ``+86 138-0013-8000`` → ``+86 138-****-8000``.
* ``resident_id``: 18-character PRC resident identity number (GB 11643-1999),
  whole or in 6-8-4 groups. It needs a valid ISO 7064 MOD 11-2 check character
  and a real date of birth between 1900-01-01 and today. The number becomes
  ``[ID ****002X]`` (only the last four characters are kept).
* ``bank_card``: 16-19 digits, whole or in groups of four, that pass the Luhn
  check. The number becomes ``[card ****1234]`` (only the last four digits are kept).
* ``email``: ASCII local part, ``@``, a domain with a dot. The local part
  becomes its first character plus ``***``: ``zhang.san@example.com`` →
  ``z***@example.com``.
* ``licence_plate``: province abbreviation, issuing-authority letter (never I
  or O), optional ``·``/space/dash, then a five-character serial (ordinary)
  or a six-character new-energy serial (``D``/``F`` first, or last after five
  digits). The serial becomes ``*``: ``粤B12345`` → ``粤B*****``,
  ``粤B·D12345`` → ``粤B·******``.

Identity and card numbers become tokens. A long run of ``*`` would still show
the length of the number and leave staff to count stars. Mobiles, e-mail
addresses and plates keep the masked form people already know. No mask
matches any rule again, so redacting a redacted text changes nothing.

Where the rules overlap, the kinds are tried in this order: e-mail, resident
ID, bank card, mobile, plate. A span taken by one kind is never reused. An
address such as ``13800138000@163.com`` is one e-mail address, and an 18-digit
ID is never also read as a card.

Chinese has no word boundaries. A number is recognised only when it stands
alone: no ASCII letter or digit touches it, and it does not continue a chain
of digits joined by dashes (or by spaces, for IDs and cards written in groups). So
``电话13800138000谢谢`` is a mobile, but ``813800138000`` is not, and neither is
any part of ``SR20261234``. Full-width digits and letters from Chinese
keyboards (``１３８…``) are treated as ASCII. Each one is one character, so
every position still points into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

PiiKind = Literal["mobile", "resident_id", "email", "bank_card", "licence_plate"]


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: ``kind`` at ``text[start:end]`` of the original text."""

    kind: PiiKind
    start: int
    end: int


@dataclass(frozen=True)
class Redacted:
    """A text as staff may see it, and where the hidden data sat in the original."""

    text: str
    found: tuple[Finding, ...]


class _Candidate(NamedTuple):
    """A span one rule recognised, with what staff see in its place."""

    start: int
    end: int
    shown: str


# Only the full-width characters the rules read are folded: digits, letters, the
# ideographic space and the symbols used in numbers and addresses. Common
# full-width punctuation such as "，" and "？" cannot be part of a match, so it
# is left alone and costs nothing on ordinary Chinese text.
_FOLDABLE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a＋－．＠（）％＿\u3000]")
# Cheap checks that rule a kind out, because most messages contain no personal data.
_DIGITS_IN_A_ROW = re.compile("[0-9]{3}")

_DASH = "\\-\u2010-\u2014"  # ASCII hyphen and the dashes phone keyboards offer
_SEPARATOR = f"[ {_DASH}]"
_ALNUM = "[0-9A-Za-z]"
# "2025-13800138000-01" is a reference with a phone-shaped middle, not a phone.
_ALONE_BEFORE = rf"(?<!{_ALNUM})(?<![0-9][{_DASH}])"
_ALONE_AFTER = rf"(?!{_ALNUM})(?![{_DASH}][0-9])"
# Four-digit groups are common. A card is a whole chain of groups, never a slice of a longer one.
_GROUPED_BEFORE = rf"(?<!{_ALNUM})(?<![0-9]{_SEPARATOR})"
_GROUPED_AFTER = rf"(?!{_ALNUM})(?!{_SEPARATOR}[0-9])"

_MOBILE = re.compile(
    rf"(?<!\+){_ALONE_BEFORE}"
    rf"(?:(?:\+|00)86{_SEPARATOR}?|86{_SEPARATOR}?|\(\+?86\) ?)?"
    rf"(?P<number>1[3-9][0-9](?P<sep>{_SEPARATOR}?)[0-9]{{4}}(?P=sep)[0-9]{{4}})"
    rf"{_ALONE_AFTER}"
)
_MOBILE_HIDDEN_DIGITS = range(3, 7)

_RESIDENT_ID = (
    re.compile(rf"{_ALONE_BEFORE}[0-9]{{17}}[0-9Xx]{_ALONE_AFTER}"),
    re.compile(
        rf"{_GROUPED_BEFORE}[0-9]{{6}}(?P<sep>{_SEPARATOR})[0-9]{{8}}(?P=sep)[0-9]{{3}}[0-9Xx]"
        rf"{_GROUPED_AFTER}"
    ),
)
_ID_WEIGHTS = tuple(2 ** (17 - index) % 11 for index in range(17))
_ID_CHECK_CHARACTERS = "10X98765432"  # indexed by the weighted sum modulo 11
_EARLIEST_BIRTH = date(1900, 1, 1)

_BANK_CARD = (
    re.compile(rf"{_ALONE_BEFORE}[0-9]{{16,19}}{_ALONE_AFTER}"),
    re.compile(
        rf"{_GROUPED_BEFORE}[0-9]{{4}}(?P<sep>{_SEPARATOR})[0-9]{{4}}(?:(?P=sep)[0-9]{{4}}){{2}}"
        rf"(?:(?P=sep)[0-9]{{1,3}})?{_GROUPED_AFTER}"
    ),
)

# No "*" in the local part: a masked address ("z***@…") must not be found again.
_EMAIL_LOCAL = "[A-Za-z0-9_.%+\\-]"
_EMAIL = re.compile(
    rf"(?<!{_EMAIL_LOCAL})(?P<local>{_EMAIL_LOCAL}+)@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9\-])"
)

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE_LETTER = "A-HJ-NP-Za-hj-np-z"  # I and O are never used: they read as 1 and 0
_PLATE = re.compile(
    rf"[{_PROVINCES}][{_PLATE_LETTER}](?P<sep>[·・• \-]?)"
    rf"(?P<serial>[DFdf][{_PLATE_LETTER}0-9][0-9]{{4}}"
    rf"|[0-9]{{5}}[DFdf]"
    rf"|[{_PLATE_LETTER}0-9]{{4}}[{_PLATE_LETTER}0-9挂学警港澳])"
    rf"(?!{_ALNUM})"
)
# The standard allows at most two letters in a serial. The limit also keeps
# "最新APPLES" from being read as plate 新A·PPLES.
_PLATE_MAX_SERIAL_LETTERS = 2


def _fold(text: str) -> str:
    """``text`` with full-width ASCII forms and the ideographic space as plain ASCII."""
    return _FOLDABLE.sub(_ascii_form, text)


def _ascii_form(match: re.Match[str]) -> str:
    """The ASCII character a full-width form (or the ideographic space) stands for."""
    char = match[0]
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def _without_separators(written: str) -> str:
    """The digits (and a final X) of a number written with spaces or dashes, X upper-case."""
    return re.sub("[^0-9Xx]", "", written).upper()


def _is_resident_id(characters: str, today: date) -> bool:
    """True when 18 characters carry a valid check character and a real date of birth."""
    weighted_sum = sum(
        int(digit) * weight for digit, weight in zip(characters[:17], _ID_WEIGHTS, strict=True)
    )
    if _ID_CHECK_CHARACTERS[weighted_sum % 11] != characters[17]:
        return False
    try:
        born = date(int(characters[6:10]), int(characters[10:12]), int(characters[12:14]))
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= today


def _passes_luhn(digits: str) -> bool:
    """True when ``digits`` end in a correct Luhn check digit (ISO/IEC 7812)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _emails(folded: str, original: str, today: date) -> Iterator[_Candidate]:
    """E-mail addresses: ``zhang.san@example.com`` → ``z***@example.com``."""
    if "@" not in folded:
        return
    for match in _EMAIL.finditer(folded):
        at = match.end("local")
        yield _Candidate(
            match.start(), match.end(), original[match.start()] + "***" + original[at : match.end()]
        )


def _resident_ids(folded: str, original: str, today: date) -> Iterator[_Candidate]:
    """Resident identity numbers with a valid checksum and birth date → ``[ID ****002X]``."""
    if not _DIGITS_IN_A_ROW.search(folded):
        return
    for pattern in _RESIDENT_ID:
        for match in pattern.finditer(folded):
            characters = _without_separators(match.group())
            if _is_resident_id(characters, today):
                yield _Candidate(match.start(), match.end(), f"[ID ****{characters[-4:]}]")


def _bank_cards(folded: str, original: str, today: date) -> Iterator[_Candidate]:
    """16-19 digit card numbers that pass Luhn → ``[card ****1234]``."""
    if not _DIGITS_IN_A_ROW.search(folded):
        return
    for pattern in _BANK_CARD:
        for match in pattern.finditer(folded):
            digits = _without_separators(match.group())
            if _passes_luhn(digits):
                yield _Candidate(match.start(), match.end(), f"[card ****{digits[-4:]}]")


def _mobiles(folded: str, original: str, today: date) -> Iterator[_Candidate]:
    """Mainland mobiles, prefix and separators as written: ``+86 138 **** 8000``."""
    if not _DIGITS_IN_A_ROW.search(folded):
        return
    for match in _MOBILE.finditer(folded):
        number_start = match.start("number")
        shown = [original[match.start() : number_start]]
        digit_index = 0
        for written, folded_char in zip(
            original[number_start : match.end()], match["number"], strict=True
        ):
            if folded_char.isdigit():
                shown.append("*" if digit_index in _MOBILE_HIDDEN_DIGITS else written)
                digit_index += 1
            else:
                shown.append(written)
        yield _Candidate(match.start(), match.end(), "".join(shown))


def _licence_plates(folded: str, original: str, today: date) -> Iterator[_Candidate]:
    """Mainland licence plates, serial hidden: ``粤B·12345`` → ``粤B·*****``."""
    for match in _PLATE.finditer(folded):
        serial = match["serial"]
        if sum(char.isascii() and char.isalpha() for char in serial) > _PLATE_MAX_SERIAL_LETTERS:
            continue
        kept = original[match.start() : match.start("serial")]
        yield _Candidate(match.start(), match.end(), kept + "*" * len(serial))


_Detector = Callable[[str, str, date], Iterator[_Candidate]]

# Earlier kinds win overlapping spans (see the module docstring).
_DETECTORS: tuple[tuple[PiiKind, _Detector], ...] = (
    ("email", _emails),
    ("resident_id", _resident_ids),
    ("bank_card", _bank_cards),
    ("mobile", _mobiles),
    ("licence_plate", _licence_plates),
)


def _start_of(item: tuple[Finding, str]) -> int:
    """Sort key of a taken span (``bisect`` needs it as a function)."""
    return item[0].start


def _scan(text: str, today: date | None) -> list[tuple[Finding, str]]:
    """Every finding in ``text`` with its replacement, sorted and non-overlapping."""
    if not text:
        return []
    folded = _fold(text)
    today = today or date.today()
    taken: list[tuple[Finding, str]] = []
    for kind, detect in _DETECTORS:
        for candidate in detect(folded, text, today):
            # Taken spans never overlap, so only the last one starting before this end can.
            before = bisect_left(taken, candidate.end, key=_start_of)
            if before and taken[before - 1][0].end > candidate.start:
                continue
            finding = Finding(kind, candidate.start, candidate.end)
            insort(taken, (finding, candidate.shown), key=_start_of)
    return taken


def find_pii(text: str, *, today: date | None = None) -> list[Finding]:
    """Where personal data sits in ``text``: sorted, non-overlapping, original positions.

    ``today`` is the latest birth date a resident ID may carry. It defaults to
    the real date and is a parameter so that results can be reproduced.
    """
    return [finding for finding, _ in _scan(text, today)]


def redact(text: str, *, today: date | None = None) -> Redacted:
    """``text`` with each piece of personal data masked where it stands.

    All other text is kept exactly as written.
    "我的电话13800138000谢谢" → "我的电话138****8000谢谢". ``today`` as in ``find_pii``.
    """
    pieces: list[str] = []
    position = 0
    found = _scan(text, today)
    for finding, shown in found:
        pieces.append(text[position : finding.start])
        pieces.append(shown)
        position = finding.end
    pieces.append(text[position:])
    return Redacted("".join(pieces), tuple(finding for finding, _ in found))
