"""Reference numbers in the city's own format, as residents type them.

A city's ticket and application numbers have a format, configured as a regular
expression for the whole number (``city.ticket_pattern``, ``city.application_pattern``:
Shenzhen's ``SR\\d{8}`` and ``PA\\d{8}``, another city's ``\\d{12}`` or ``SR\\d{2}-\\d{8}``).
Residents do not type it exactly: they change the case ("sr20261234"), space it out
("sr 2026 1234", "PA-2026-1187"), type it on a Chinese keyboard ("ＳＲ２０２６１２３４")
or paste it inside a sentence. :class:`NumberFormat` finds all of these.

And when the assistant has just asked for a number, the single token that comes back is
the number whatever its shape (:func:`lone_number`): the city's systems know their ids
better than any pattern, and they answer "not found" for a wrong one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: What residents put between the parts of a number: "SR-2026 1234", "PA#20261187".
_SEPARATORS = r"[\s\-_#:：]{1,3}"
#: A stretch of letters and digits, possibly cut into parts by separators.
_RUN = re.compile(r"[A-Za-z0-9]+(?:" + _SEPARATORS + r"[A-Za-z0-9]+)*")
_PART = re.compile(r"[A-Za-z0-9]+")
#: Numbers longer than this are not reference numbers (and are not searched for).
MAX_CHARS = 40
#: A lone reply taken as the city's own number: letters, digits, "-", "_", "." and "/"
#: ("WAB.6740.1532.2024"), from and to a letter or digit, with a digit.
_LONE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{1,38}[A-Za-z0-9]")
#: What may surround a number typed alone: quotes, brackets, a full stop.
_AROUND = " \t\r\n\"'“”‘’「」『』()（）[]【】<>《》.,;:!?。，；：！？、"


#: A letter O (or a run of them) with a digit on each side.
_O_AMONG_DIGITS = re.compile(r"(?<=\d)[Oo]+(?=\d)")


@lru_cache(maxsize=8)
def _dashes_optional(pattern: str) -> re.Pattern[str] | None:
    """The pattern with each literal dash (outside a character class) left out, each
    place marked by an empty named group; None when it has no such dash."""
    out: list[str] = []
    in_class = escaped = False
    dashes = 0
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
            out.append(char)
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == "-" and not in_class:
            out.append(f"(?P<dash{dashes}>)")
            dashes += 1
        else:
            out.append(char)
    if not dashes:
        return None
    try:
        return re.compile("".join(out))
    except re.error:
        return None


def width_folded(text: str) -> str:
    """Full-width letters and digits as ASCII; the same length, so spans still fit ``text``."""
    return "".join(
        unicodedata.normalize("NFKC", char) if 0xFF00 < ord(char) < 0xFF5F else char
        for char in text
    )


@dataclass(frozen=True)
class NumberFormat:
    """One kind of reference number of the city (tickets, applications), found in text."""

    pattern: re.Pattern[str]

    @staticmethod
    @lru_cache(maxsize=8)
    def of(pattern: str) -> NumberFormat:
        """The format for a configured pattern (compiled once per process).

        The pattern describes the whole number, so anchors ("^…$") add nothing and
        would stop it being found inside a sentence: they are dropped.
        """
        unanchored = pattern.removeprefix("^")
        if unanchored.endswith("$") and not unanchored.endswith("\\$"):
            unanchored = unanchored[:-1]
        return NumberFormat(re.compile(unanchored))

    def find(self, text: str) -> list[str]:
        """Every number in ``text``, canonical, in order, without repeats."""
        numbers: dict[str, None] = {}
        for _, _, number in self.spans(text):
            numbers.setdefault(number, None)
        return list(numbers)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Every number in ``text`` with where it stands: ``(start, end, canonical)``.

        A letter O among digits is read as a zero ("PA2026O315", "SR2026OOO7"): the two
        sit side by side on a keyboard and look alike on a receipt.
        """
        folded = _O_AMONG_DIGITS.sub(lambda o: "0" * len(o.group(0)), width_folded(text or ""))
        candidates: list[tuple[int, int, str]] = []
        for match in self._standing_alone.finditer(folded):
            candidates.append((match.start(), -match.end(), match.group(0)))
        for run in _RUN.finditer(folded):
            candidates.extend(self._spaced_out(run))
            candidates.extend(self._zeros_left_out(run))
        found: list[tuple[int, int, str]] = []
        taken_until = -1
        # By start, the longest first: "SR19-01234567" before "SR19" if both would do.
        for start, negative_end, written in sorted(candidates):
            canonical = self.canonical_form(written)
            if start >= taken_until and canonical:
                found.append((start, -negative_end, canonical))
                taken_until = -negative_end
        return found

    def canonical(self, value: str) -> str | None:
        """``value`` as one canonical number, or None unless it holds exactly one."""
        numbers = self.find(value)
        return numbers[0] if len(numbers) == 1 else None

    def canonical_form(self, written: str) -> str | None:
        """A number as the city writes it: its own case if the pattern says, else upper case.

        A format with dashes is found without them too ("fk2019 03318" for
        ``FK-\\d{4}-\\d{5}``): the dashes go back where the format has them.
        """
        for candidate in (written.upper(), written):
            if self.pattern.fullmatch(candidate):
                return candidate
        if self._any_case.fullmatch(written):
            return written
        return self._with_dashes(written)

    def _with_dashes(self, written: str) -> str | None:
        loose = self._without_dashes
        if loose is None or "-" in written:
            return None
        for candidate in (written.upper(), written):
            match = loose.fullmatch(candidate)
            if match is None:
                continue
            cuts = sorted(match.start(name) for name in match.groupdict())
            dashed = candidate
            for cut in reversed(cuts):
                dashed = dashed[:cut] + "-" + dashed[cut:]
            if self.pattern.fullmatch(dashed):
                return dashed
        return None

    @property
    def _without_dashes(self) -> re.Pattern[str] | None:
        return _dashes_optional(self.pattern.pattern)

    def near_miss(self, text: str) -> str | None:
        """What the resident typed when it starts like a number but is not one (else None).

        Only for formats that start with letters ("PA2026118" for ``PA\\d{8}``): the
        resident is then told to check the number rather than asked what they meant.
        """
        if self._looks_like is None:
            return None
        folded = width_folded(text or "")
        if self.find(folded):
            return None
        match = self._looks_like.search(folded)
        if match is None:
            return None
        return text[match.start() : match.end()].strip()[:30]

    @property
    def _standing_alone(self) -> re.Pattern[str]:
        return _compiled(
            r"(?<![A-Za-z0-9])(?:" + self.pattern.pattern + r")(?![A-Za-z0-9])", re.IGNORECASE
        )

    @property
    def _any_case(self) -> re.Pattern[str]:
        return _compiled(self.pattern.pattern, re.IGNORECASE)

    @property
    def _looks_like(self) -> re.Pattern[str] | None:
        prefix = re.match(r"[A-Za-z]+", self.pattern.pattern)
        if prefix is None:
            return None
        return _compiled(
            r"(?<![A-Za-z0-9])" + prefix.group(0) + r"[\s\-_#:：]*(\d[\d\s\-]{0,20})",
            re.IGNORECASE,
        )

    def _spaced_out(self, run: re.Match[str]) -> list[tuple[int, int, str]]:
        """Numbers typed in parts within one run of letters and digits ("sr 2026 1234").

        The parts are the run's words (what spaces separate); a number is whole words,
        so "BP-2024-00123" is never read as the 9 digits in its middle.
        """
        words = [
            (run.start() + word.start(), run.start() + word.end(), _compact(word.group(0)))
            for word in re.finditer(r"\S+", run.group(0))
        ]
        found = []
        for first in range(len(words)):
            compact = ""
            for last in range(first, len(words)):
                compact += words[last][2]
                if len(compact) > MAX_CHARS:
                    break
                if self._any_case.fullmatch(compact) or self._with_dashes(compact):
                    found.append((words[first][0], -words[last][1], compact))
                    break
        return found

    def _zeros_left_out(self, run: re.Match[str]) -> list[tuple[int, int, str]]:
        """A number typed in its parts with a part's leading zeros left out ("kb 2026 4817"
        for ``KB-\\d{4}-\\d{6}``): read as KB-2026-004817, as a person at the counter
        would. Only for a format of dash-separated parts, each typed apart."""
        segments = _dashed_segments(self.pattern.pattern)
        if segments is None:
            return []
        parts = [
            (run.start() + m.start(), run.start() + m.end(), m.group(0))
            for m in _PART.finditer(run.group(0))
        ]
        found = []
        for first in range(len(parts) - len(segments) + 1):
            window = parts[first : first + len(segments)]
            filled = [
                _filled(segment, part)
                for segment, (_, _, part) in zip(segments, window, strict=True)
            ]
            if any(part is None for part in filled):
                continue
            number = "-".join(part for part in filled if part is not None)
            padded = any(
                len(part) != len(typed)
                for part, (_, _, typed) in zip(filled, window, strict=True)
                if part
            )
            if padded and self.pattern.fullmatch(number):
                found.append((window[0][0], -window[-1][1], number))
        return found


#: Zeros a resident may leave out of one part of a number ("4817" for "004817").
MAX_ZEROS_LEFT_OUT = 3


@lru_cache(maxsize=8)
def _dashed_segments(pattern: str) -> tuple[str, ...] | None:
    """A format's dash-separated parts ("KB", "\\d{4}", "\\d{6}"), if it is that simple."""
    if "-" not in pattern or re.search(r"[\[\](){}|?*+.^$]", re.sub(r"\\d\{\d+\}", "", pattern)):
        return None
    return tuple(pattern.split("-"))


def _filled(segment: str, typed: str) -> str | None:
    """One part as the format writes it: digits padded to the part's width, letters in
    upper case; None when the typed part cannot be that part."""
    width = re.fullmatch(r"\\d\{(\d+)\}", segment)
    if width is not None:
        size = int(width.group(1))
        if typed.isdigit() and size - MAX_ZEROS_LEFT_OUT <= len(typed) <= size:
            return typed.zfill(size)
        return None
    return typed.upper() if typed.upper() == segment.upper() and typed.isalnum() else None


def _compact(word: str) -> str:
    return "".join(_PART.findall(word))


@lru_cache(maxsize=32)
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def lone_number(text: str) -> str | None:
    """The message as one reference number in any format, if that is all it is.

    "101000123456", "SR19-01234567", "2024-00123", "“ＡＢ１２３”。" → the number;
    a sentence, a word without a digit, or anything over 40 characters → None.
    """
    token = width_folded(text or "").strip(_AROUND)
    if _LONE.fullmatch(token) and any(char.isdigit() for char in token):
        return token
    return None


#: A reference given first, with words after it: "its 4471203, the pothole on Dale Mabry",
#: "编号是 4471203，就是那个坑". Four digits or more, so "it's 2 weeks" gives none.
_GIVEN_FIRST = re.compile(
    r"^\W*(?:(?:it'?s|it is|that'?s|the number is|number|no\.?|ticket|ref(?:erence)?|"
    r"编号是?|单号是?|號碼係|编号系|是)\s*[:：#]?\s*)?#?"
    r"(?P<number>[A-Za-z0-9][A-Za-z0-9._/-]{1,38}[A-Za-z0-9])(?=\s*(?:[,，。;；:：!！-]|\s|$))",
    re.IGNORECASE,
)


def number_given_first(text: str) -> str | None:
    """The reference a message opens with, before words about it, or None: for a
    message right after the assistant asked for a ticket, where the number comes first
    and the resident says what it was about after it."""
    match = _GIVEN_FIRST.match(width_folded(text or ""))
    if match is None:
        return None
    number = match.group("number")
    return number if sum(char.isdigit() for char in number) >= 4 else None


#: A reference introduced as one: "编号 17057298", "ticket #4471203", "ref: WAB-2024-7",
#: "report number 1234567". Whatever its format, it is the city's own.
_NAMED_NUMBER = re.compile(
    r"(?:(?<![杆桿牌柜箱灯燈])编号|單號|单号|工单号|工单|工單|ticket|reference|ref"
    r"|report (?:number|no\.?)|case (?:number|no\.?)|request (?:number|no\.?)|service request)"
    r"\s*(?:is|是|係|:|：|#|no\.?)?\s*#?"
    r"(?P<number>[A-Za-z0-9][A-Za-z0-9._/-]{1,38}[A-Za-z0-9])(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def number_named(text: str, *, of_a_report: bool = True) -> str | None:
    """The reference a message introduces as a ticket's ("编号 17057298"), four digits or
    more, whatever its format, or None. ``of_a_report``: the message speaks of a report
    made; without it a bare 编号 may be a lamp post's or a bin's."""
    folded = width_folded(text or "")
    match = _NAMED_NUMBER.search(folded)
    if match is not None and not of_a_report and match.group(0).startswith("编号"):
        return None
    if match is None:
        return None
    number = match.group("number")
    return number if sum(char.isdigit() for char in number) >= 4 else None
