"""A resident who is angry or fed up, heard before anything else is said.

"你们深圳地铁就是垃圾，今天1号线又晚点半小时，赔钱！", "this is so frustrating honestly",
"你不给我就投诉你！信不信我曝光你们": answered with a station's status, the help menu or
"please rephrase", such a message sounds as if nobody listened. The assistant first
says it is sorry for the trouble and that a person can be reached, then answers what it
can. The words are those of annoyance at the service or the situation, not of the
problem reported ("楼下垃圾没人清" names rubbish; it is no insult).
"""

from __future__ import annotations

import re

from actions.complaints.text import fold
from bot.language.mixed_script import mixed_pattern

_ANGRY = mixed_pattern(
    r"干什么吃的|干啥吃的|一群废物|废物|垃圾服务|就是垃圾|什么破|破地铁|烂透|太差劲|差劲|无语|受够了|"
    r"气死|烦死|烦透|忍无可忍|搞什么|搞乜|搞咩|赔钱|曝光你们|投诉你们?|告你们|信不信我|太过分|"
    r"有病吧|坑人|骗人|恶心|破机器人|就是个垃圾|什么都不会|智障|"
    # at how slowly the city works: "你们效率也太低了吧", "拖了这么久"
    r"效率(?:也|真|好|實在|实在)?(?:太|好|咁)?低|太慢了吧|慢死了|拖拖拉拉|不作为|踢皮球|推来推去|"
    r"\btoo slow\b|\bso slow\b|\btaking forever\b|\bincompetent|"
    # swearing and "the same canned words again"
    r"他妈的|妈的|tmd|尼玛|卧槽|我靠|套话|官话|敷衍|\bfuck|\bshit\b|\bbullshit|"
    r"\bfrustrat|\bannoy|\bridiculous|\buseless\b|\bpathetic|\bterrible service|\bfed up|"
    r"\bsick of|\bfurious|\bangry\b|\bwaste of (?:my )?time|\bjoke\b|\bwtf\b|\bunacceptable|"
    r"\bi(?:'ll| will) (?:complain about|report) you|\bdisgrace",
    re.IGNORECASE,
)


def vents(text: str) -> bool:
    """The message is annoyance at the service or the situation ("赔钱！", "so frustrating")."""
    return bool(_ANGRY.search(fold(text or "")))


#: The assistant itself, as fed-up residents call it: "你们这破机器人", "useless bot".
_THE_ASSISTANT = mixed_pattern(
    r"机器人|智障|破助手|你们这(?:个)?(?:破|烂)|\b(?:bot|chatbot|robot|ai)\b|\byou people\b",
    re.IGNORECASE,
)


def about_the_assistant(text: str) -> bool:
    """The message is about the assistant (mostly its failings), not about the city."""
    return bool(_THE_ASSISTANT.search(fold(text)))


#: "垃圾政府", "你们这些废物": the city or its people called rubbish, which is no litter.
_CALLED_RUBBISH = mixed_pattern(
    r"垃圾(?:政府|部门|城管|机器人|服务|系统|热线|客服)|(?:政府|部门|城管|你们)(?:就是|都是|全是|真是)?"
    r"(?:一群|一帮)?(?:垃圾|废物)|你们这些废物|\bgarbage (?:government|council|service|city)\b"
    r"|\b(?:government|council|city|you(?: guys| people)?) (?:is|are) (?:garbage|trash|rubbish)\b",
    re.IGNORECASE,
)


def calls_the_city_rubbish(text: str) -> bool:
    """ "你们这些废物 垃圾政府 什么都不管": an insult, not a report of rubbish."""
    return bool(_CALLED_RUBBISH.search(fold(text or "")))
