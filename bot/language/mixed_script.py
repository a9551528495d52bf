"""Regular expressions whose ``\\b`` still works when English is glued to Chinese.

Residents code-switch without spaces: "我的phone number是…", "明天的last train几点",
"投诉report一下". Python's ``\\b`` is Unicode-aware: a Han character is a word
character, so there is no boundary between 的 and ``l`` and ``\\blast\\b`` does not
match. ``re.ASCII`` fixes the boundary but also narrows ``\\w``, ``\\d`` and ``\\s``,
which many of our patterns use for Chinese text, full-width digits or the ideographic
space. :func:`mixed_pattern` changes the boundary alone: ``\\b`` becomes "not between
two ASCII letters, digits or underscores", so an English word is whole wherever
something that is not part of an English word stands beside it.
"""

from __future__ import annotations

import re

__all__ = ["ASCII_BOUNDARY", "mixed_pattern", "with_ascii_boundaries"]

#: Not between two ASCII word characters (the boundary of an English word or number).
ASCII_BOUNDARY = r"(?:(?<![0-9A-Za-z_])|(?![0-9A-Za-z_]))"


def with_ascii_boundaries(pattern: str) -> str:
    """The pattern with every ``\\b`` outside a character class made an ASCII boundary.

    Escapes are read as ``re`` reads them: ``\\\\b`` is a backslash and a ``b``, and
    ``[\\b]`` (a backspace) is left alone.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            out.append(ASCII_BOUNDARY if escaped == "b" and not in_class else char + escaped)
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            out.append(char)
            i += 1
            # "[]…]" and "[^]…]": a "]" right after the opening is a member, not the end
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i : i + 1] == "]":
                out.append("]")
                i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


def mixed_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` for patterns that look for English words in text that may be Chinese."""
    return re.compile(with_ascii_boundaries(pattern), flags)
