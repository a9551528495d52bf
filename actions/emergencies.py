"""Danger now: a fire, a gas leak, someone hurt. The emergency number first.

"隔壁那栋楼在冒黑烟好像着火了!!!! 怎么办" was read as a report to file ("冒黑烟" is not
on the city's list, so "Other", and where is it?): a report reaches a department in days,
and the resident needed the fire brigade now. A message that tells a danger happening
now gets the city's emergency numbers (``emergency_en``/``emergency_zh`` in the city's
settings, or the numbers the kept ``phonenumbers`` metadata gives for its phone region)
before anything else, and is not filed.

The words are of a danger under way, not of things named after one: a fire hydrant, a
fire lane, "消防通道", "the gas station" or a fire last year are no emergency.
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.text import fold
from bot.language.mixed_script import mixed_pattern

_DANGER = mixed_pattern(
    # fire and smoke
    r"着火|起火|失火|火灾|烧起来|燒起來|火烧|冒黑烟|冒浓烟|浓烟滚滚|有烟冒出|火好大|火很大"
    r"|\bon fire\b|\b(?:house|building|apartment|kitchen|car|brush|grass) (?:is )?(?:on )?fire\b"
    r"|\bfire (?:in|at|on) (?:the|a|my|our)\b|\bsmoke (?:is )?(?:coming|pouring|billowing)\b"
    r"|\bflames\b|\bburning (?:building|house|car)\b|\bthere'?s a fire\b"
    # gas
    r"|煤气泄漏|燃气泄漏|天然气泄漏|煤气味|燃气味|煤气漏|燃气漏|\bgas leak"
    r"|\bsmells? (?:of |like )?gas\b|\bsmell(?:ing)? gas\b"
    # people hurt or in danger
    r"|有人(?:受伤|晕倒|昏倒|倒地|昏迷|流血|被困|落水|溺水|跳楼|被打|被撞)|不省人事|没有呼吸|没呼吸"
    r"|\bsomeone(?:'s| is)? (?:hurt|injured|unconscious|bleeding|collapsed|trapped|drowning)\b"
    r"|\b(?:he|she|they)(?:'s| is| are) not breathing\b|\bnot breathing\b|\bheart attack\b"
    # "someone just fainted on the platform", "an old man collapsed", "站台上有个老人晕倒了"
    r"|\b(?:someone|somebody|a (?:man|woman|person|guy|lady|kid|child|boy|girl|passenger)"
    r"|an old (?:man|woman|lady|person)|my (?:\w+))\s+(?:just\s+|has\s+|suddenly\s+)?"
    r"(?:fainted|collapsed|passed out|fell unconscious|stopped breathing|(?:is )?having a seizure"
    r"|had a seizure)\b"
    r"|晕倒|昏倒|晕过去|昏过去|晕咗|抽搐|休克|心脏病发|没意识|冇意识"
    r"|\bhit by a car\b|\bbeing (?:attacked|robbed|stabbed)\b"
    # crime under way
    r"|有人(?:在)?(?:打架|抢劫|持刀|砍人|撬门|入室)|正在(?:打架|抢劫|偷)"
    r"|\bbreaking into\b|\bbreak-in (?:right )?now\b|\bsomeone with a (?:gun|knife)\b"
    # live wires
    r"|电线(?:掉|断|垂)(?:下来|在地上|到地上)|漏电|触电|\bdowned? (?:power )?lines?\b"
    r"|\blive wires?\b|\bpower lines? (?:is |are )?(?:down|on the (?:ground|road|street))\b",
    re.IGNORECASE,
)
#: A danger told as over, or as a question of rules: "昨晚着火的那栋", "fire safety".
_NOT_NOW = mixed_pattern(
    r"昨天|昨晚|上周|上个月|去年|之前|以前|曾经|上次|last (?:week|month|year|night)\b|\byesterday\b"
    r"|\bago\b|\bused to\b|\bfire (?:safety|drill|alarm test|inspection|permit|code)\b"
    r"|消防(?:检查|验收|安全|演练|许可)",
    re.IGNORECASE,
)


def tells_an_emergency(text: str) -> bool:
    """The message tells a danger happening now (fire, gas, someone hurt, a live wire)."""
    folded = fold(text or "")
    if not folded or folded.startswith("/"):
        return False
    return bool(_DANGER.search(folded)) and not _NOT_NOW.search(folded)


def warn_of_emergency(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Say whom to call now when the message tells a danger under way; True when said."""
    if not tells_an_emergency(text):
        return False
    dispatcher.utter_message(response="utter_emergency")
    return True
