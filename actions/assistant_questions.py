"""Questions about the assistant itself, the city's hotline and website, asked at any point.

"你是真人还是机器人" is not a request for a person, and "那311几点有人接" (when does 311
answer?) is no station: the model reads them as a handoff and as a transit question.
Both have short, honest answers from the city's own settings (the ``city:`` section),
after which whatever was under way (a report's question) goes on.
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.complaints.text import fold
from bot.language.mixed_script import mixed_pattern

_A_PERSON = mixed_pattern(
    r"(?:你|您)(?:是|系|係|到底是)?(?:不是|唔系|唔係|咪)?(?:真人|机器人|人工|人类|真的人|ai|bot)"
    r"|真人(?:还是|定系|定係)机器|是(?:不是)?机器人|系咪机械人|机械人"
    r"|\bare (?:you|u) (?:a |an )?(?:real |actual |live )?(?:person|human|bot|robot|ai|machine)\b"
    r"|\b(?:am i|i'?m) (?:talking|chatting|speaking|texting) (?:to|with) (?:a |an )?"
    r"(?:real |actual |live )?(?:person|human|bot|robot|ai|machine)\b"
    r"|\bis this (?:a |an )?(?:bot|robot|real person|human|live person|ai|machine)\b",
    re.IGNORECASE,
)
_HOTLINE_WORDS = mixed_pattern(
    r"热线|熱線|客服电话|人工电话|\bhotline\b|\bhelpline\b|\bcall cent(?:er|re)\b"
    r"|\bcustomer service\b|\b(?:council|city hall|city)(?:'s)? (?:phone )?(?:number|line)\b"
    r"|\bphone number (?:for|of) the (?:council|city)\b|市政府电话|政府电话|议会电话"
    # "whats the number for the city", "what number do i call the city on"
    r"|\b(?:phone )?number (?:for|of) the (?:city|council|town|municipality)\b"
    r"|\bnumber (?:do|should|can) i (?:call|ring|phone)\b|\bcall the (?:city|council)\b"
    # right after the hotline was given: "what are the phone hours", "明天周六能打吗"
    r"|\bphone hours\b|\bphone lines?\b|能打吗|能唔能打|可以打吗|打得通吗|打唔打得通"
    r"|打电话有人接|电话有人接|打过去有人接|打电话有冇人听|电话有冇人听",
    re.IGNORECASE,
)
#: "ok whats the website then", "你们官网是什么": the city's website.
_WEBSITE = mixed_pattern(
    r"\bweb\s?site\b|\bweb\s?page\b|\burl\b|网址|網址|网站|網站|官网|官網", re.IGNORECASE
)
_ASKS = mixed_pattern(
    r"\?|？|\bwhat|\bwhere|\bwhich|\bgive\b|\bsend\b|\btell\b|\blink\b"
    r"|是什么|是咩|係咩|係乜|哪|给我|俾我|发我|發我|多少|有没有|有冇",
    re.IGNORECASE,
)
#: Where a question ends: a long story is judged sentence by sentence.
_SENTENCES = re.compile(r"[^.?!。？！\n]+[.?!。？！]*")
_WHEN_OR_HOW = mixed_pattern(
    r"几点|幾點|什么时候|几时|幾時|有人接|上班|下班|开到|打不通|多少号|号码是|电话是|怎么打|点打"
    r"|\bhours?\b|\bopen\b|\bclos(?:e|es|ed|ing)\b|\bwhat time\b|\bwhen\b|\bnumber\b"
    r"|\b24\s*/\s*7\b|\bcall (?:it|them)\b|几点关门|关门"
    r"|\bhow do i call\b"
    r"|周[一二三四五六日末天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|明天|今天|今晚"
    r"|\b(?:saturdays?|sundays?|weekends?|tomorrow|today|tonight|now)\b",
    re.IGNORECASE,
)
#: "whats the number if im calling from my work in jersey": the number from elsewhere.
_FROM_ELSEWHERE = mixed_pattern(
    r"\bnumber\b.{0,40}\bcall(?:ing)? (?:from|in from)\b|\bfrom outside\b.{0,30}\bcall"
    r"|外地打|外面打过来|从外地|喺外面打|唔喺本地打",
    re.IGNORECASE,
)


#: "who can I call if it's still not fixed next week?": a sentence, not a story.
MAX_WHO_TO_CALL_CHARACTERS = 80
#: A question about the hotline is short.
MAX_WORDS = 10
MAX_CHARACTERS = 40


#: What follows a line's number ("311路", "the 311 bus").
_A_LINE_AFTER = r"\s*(?:路|号线|號線|号|號|bus|train|line|route|express)"


def asks_if_a_person(text: str) -> bool:
    """ "你是真人还是机器人", "am I talking to a bot?": whether the assistant is a person."""
    return bool(_A_PERSON.search(fold(text)))


#: "who can I call about it?", "该找谁", "打俾边个": whom to call, asked in a few words.
_WHO_TO_CALL = mixed_pattern(
    r"\bwho (?:can|do|should|could) (?:i|we) (?:call|ring|phone|contact|talk to|speak to)\b"
    r"|\bwho(?:'s| is) the (?:right )?(?:number|person|department) to call\b"
    r"|(?:该|應該|应该|可以)?(?:找谁|找誰|打给谁|打給誰|联系谁|聯繫誰|揾边个|搵邊個|打俾边个|打俾邊個)",
    re.IGNORECASE,
)


def asks_about_the_hotline(text: str, hotline: str) -> bool:
    """ "那311几点有人接", "what are the hotline's hours", "the number if I'm calling from NJ",
    "whats the council phone number? and are they open saturdays", "who can I call?"."""
    # "whats the number for the city and are they open on sundays": two questions.
    folded = _SECOND_QUESTION.sub("? ", fold(text))
    if _FROM_ELSEWHERE.search(folded):
        return True
    sentences = [m.group(0).strip() for m in _SENTENCES.finditer(folded) if m.group(0).strip()]
    if any(_WHO_TO_CALL.search(s) and len(s) <= MAX_WHO_TO_CALL_CHARACTERS for s in sentences):
        return True  # "ok. who can I call if it's still not fixed next week?"
    if len(sentences) > 1 and all(_is_short(s) for s in sentences):
        # Two short questions ("…number? and are they open saturdays"): the first names
        # the hotline, the second asks when.
        return any(
            _names_the_hotline(s, hotline) and _WHEN_OR_HOW.search(s) for s in sentences
        ) or (
            _names_the_hotline(sentences[0], hotline)
            and any(_WHEN_OR_HOW.search(s) for s in sentences)
        )
    if not _is_short(folded):
        # "I called 311 and they gave me a number, when will it be fixed?" is a report's
        # story; the question about the hotline is a short one.
        return False
    return _names_the_hotline(folded, hotline) and bool(_WHEN_OR_HOW.search(folded))


#: "… and are they open", "… and when do they close": a second question joined by "and".
_SECOND_QUESTION = re.compile(r"\s+and\s+(?=(?:are|is|do|does|can|when|what|how)\b)")


def _is_short(text: str) -> bool:
    said = _OPENING_FILLERS.sub("", text)  # "ok whatever, what are the call center hours"
    return len(said.split()) <= MAX_WORDS and len(said) <= MAX_CHARACTERS


#: Words a short question may open with that add nothing: "ok whatever, …", "嗯那…".
_OPENING_FILLERS = re.compile(
    r"^(?:(?:ok(?:ay)?|fine|alright|whatever|so|well|then|hmm+|um+|uh+|嗯+|哦+|那|好吧)[\s,，.。!！]*)+",
    re.IGNORECASE,
)


def _names_the_hotline(folded: str, hotline: str) -> bool:
    number = rf"(?<!\d){re.escape(hotline)}(?![\d-])" if hotline else ""
    if number and re.search(number + _A_LINE_AFTER, folded):
        return False  # "when does the 311 train come": a bus or train line of that number
    return bool(_HOTLINE_WORDS.search(folded)) or (
        bool(number) and re.search(number, folded) is not None
    )


def asks_for_the_website(text: str) -> bool:
    """ "ok whats the website then", "官网是什么": the city's website, asked in a few words."""
    folded = fold(text)
    return _is_short(folded) and bool(_WEBSITE.search(folded)) and bool(_ASKS.search(folded))


def answer_about_the_assistant(dispatcher: CollectingDispatcher, text: str, hotline: str) -> bool:
    """Answer either question; True when one was answered."""
    if asks_if_a_person(text):
        dispatcher.utter_message(response="utter_i_am_an_assistant")
        return True
    if asks_about_the_hotline(text, hotline):
        dispatcher.utter_message(response="utter_hotline")
        return True
    if asks_for_the_website(text):
        dispatcher.utter_message(response="utter_portal")
        return True
    return False
