"""Is a message mostly markup? Residents write words; a probe sends tags.

``<script>alert(1)</script>`` has one English word in it, and the model, which has
only words to go on, read it as a question about service alerts. No resident writes
HTML or XML tags to the assistant (a pasted link is a URL, not a tag), so a message
whose visible characters are mostly tags, or the script and style they enclose, is
not a request about anything: the NLU sends it to the fallback
(:mod:`bot.nlu.language_gate`), which says it did not understand.
"""

from __future__ import annotations

import re

from bot.language.mixed_script import mixed_pattern

#: A tag: ``<b>``, ``</div>``, ``<img src=x onerror=alert(1)>``, ``<!-- … -->``, ``<?xml …?>``.
#: A tag's name is letters (h1–h6 aside), so "<SR20260101>" around a ticket number is not one.
_TAG = re.compile(r"<\s*(?:/\s*)?(?:[A-Za-z]+[1-6]?(?=[\s/>])|[!?])[^<>]{0,500}>")
#: Code that a tag wraps: what lies between <script> and </script> is not prose either.
_WRAPPED_CODE = mixed_pattern(r"<\s*(script|style)\b[^<>]*>.*?<\s*/\s*\1\s*>", re.I | re.S)
#: Share of the message's non-space characters in tags above which it is read as markup.
MARKUP_SHARE = 0.5


def markup_share(text: str) -> float:
    """The share of ``text``'s non-space characters inside tags (and script/style)."""
    visible = sum(not char.isspace() for char in text)
    if not visible:
        return 0.0
    stripped = _TAG.sub("", _WRAPPED_CODE.sub("", text))
    remaining = sum(not char.isspace() for char in stripped)
    return (visible - remaining) / visible


def mostly_markup(text: str) -> bool:
    """True when at least half of the message is tags: a probe, not a question."""
    return markup_share(text) >= MARKUP_SHARE
