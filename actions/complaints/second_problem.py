"""A second problem told in the middle of a report: set aside, and reported after it.

"哦还有，楼下那个垃圾桶也满了" while the place of a broken streetlight is asked, "oh and
also the bin on the corner is overflowing" while the phone is asked. Taken as the
answer, the bin became the streetlight's place, or "that's not a phone number"; and
starting the second report at once would drop the first half-way. So the first report
goes on, and the second problem waits in a slot: once the first is filed, the next
report starts with the resident's own words as its description.

Only a message that opens with a word of "one more thing" and tells a problem that
fits other services of the city (clearly, or a close call over a thing the concept
lexicon knows), none of them the one under way, is one: "also it's been like this for a week" or
"还有，灯一闪一闪的" adds to the report under way, and is left to the form.
"""

from __future__ import annotations

import re
from typing import Sequence

from actions.clients.open311 import Open311Service
from actions.complaints.concepts import lexicon
from actions.complaints.description import describes_problem
from actions.complaints.service_match import Verdict, rank_services
from actions.complaints.text import fold
from bot.language.mixed_script import mixed_pattern

#: The slot the second problem waits in (the resident's words, as written).
SET_ASIDE = "complaint_set_aside"

#: "哦还有", "对了，另外", "仲有", "oh and also", "btw", "another thing": at the start.
_ONE_MORE = mixed_pattern(
    r"^\W*(?:(?:哦|噢|喔|啊|诶|欸|对了|对啦|哎|唉|另外|还有|仲有|重有|顺便(?:说一下|讲下|提一下)?"
    r"|同埋|以及|再有)[\s,，、。.!！~]*)+"
    r"|^\W*(?:(?:oh|ah|and|also|btw|by the way|plus|another thing|one more thing"
    r"|while i(?:'m| am) at it|while we(?:'re| are) at it|while i (?:have|got|ve got) (?:you|u)"
    r"|ok(?:ay)?|oh wait)\b[\s,.:;!-]*)+",
    re.IGNORECASE,
)
#: Words that mark the opening as "one more", not a plain "oh" or "and".
_MORE = mixed_pattern(
    r"还有|另外|仲有|重有|顺便|同埋|以及|再有|也|\balso\b|\bbtw\b|\bby the way\b|\bplus\b"
    r"|\banother\b|\bone more\b|\btoo\b|\bas well\b|\bwhile (?:i|we)\b",
    re.IGNORECASE,
)


#: A service that scores this share of the best one fits the words as well.
FITS_SHARE = 0.9
#: How much of the problem's words a reply quotes (the description keeps them all).
QUOTED = 60


def quoted(problem: str) -> str:
    """The problem's words as a reply quotes them: the first ``QUOTED`` characters."""
    words = " ".join(problem.split())
    return words if len(words) <= QUOTED else words[: QUOTED - 1].rstrip() + "…"


#: "just add it to this one", "put it in the same report", "一起报吧", "加到这个里面":
#: the problem set aside joins the report under way instead of waiting for its own.
_JOINS_THIS_ONE = mixed_pattern(
    r"\b(?:add|put|include|merge|combine|stick|throw)\b.{0,24}?"
    r"\b(?:this|same|that|current|one) (?:one|report|complaint|ticket)\b"
    r"|\bsame (?:report|complaint|ticket)\b|\badd (?:it|that|this) (?:in|on|too)\b"
    r"|\bjust add (?:it|that|this)\b|\b(?:all )?in one (?:report|go)\b"
    r"|一起(?:报|提交|反映|投诉|写|登记)|(?:加|写|放|并)(?:到|进|入)(?:这|這|同一)|合并|放在一起|写在一起"
    r"|一并|一併|一齐报|一齊報|加埋|一齐写|同一张单|同一个单|同一份",
    re.IGNORECASE,
)


def joins_this_report(text: str) -> bool:
    """The resident wants the problem set aside added to the report under way."""
    return bool(_JOINS_THIS_ONE.search(fold(text or "")))


def opens_with_one_more(text: str) -> bool:
    """The message opens with a word of "one more thing" ("哦还有", "oh and also")."""
    stripped = (text or "").strip()
    return bool(_ONE_MORE.match(stripped)) and bool(_MORE.search(fold(stripped)))


def another_problem(
    text: str, services: Sequence[Open311Service], current_code: str | None
) -> str | None:
    """The words of a second problem the message tells, or None.

    ``current_code`` is the service of the report under way: a problem that fits it
    (or fits nothing clearly) is more about this report, not a second one.
    """
    stripped = (text or "").strip()
    if not stripped or stripped.startswith("/") or not services:
        return None
    opening = _ONE_MORE.match(stripped)
    if opening is None or not _MORE.search(fold(stripped)):
        return None
    rest = stripped[opening.end() :].strip()
    if not rest or not describes_problem(rest):
        return None
    ranking = rank_services(rest, services)
    if ranking.best is None or ranking.verdict is Verdict.NOTHING:
        return None
    scores = {service.service_code: score for service, score in ranking.candidates}
    top = max(scores.values(), default=0.0)
    if current_code is not None and scores.get(str(current_code), 0.0) >= FITS_SHARE * top:
        # It fits the report under way (about as well as anything): more about it. A
        # list's fifth button is no fit: a broken bin lid after missed collection is a
        # second problem.
        return None
    if ranking.verdict is Verdict.CLOSE_CALL and not lexicon().find(rest):
        return None  # a few loose words of the list, no thing the lexicon knows
    return rest
