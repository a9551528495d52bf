"""Questions residents ask in the middle of a report, which the form answers itself.

The patterns run on folded text and name the Traditional forms that folding leaves
as they are (洩露, 隱私, 解決 …).

"电话你们要来干嘛，会不会泄露给KTV老板？" while the phone is asked, "提交之后要等多久
才有人来？" before confirming, "hold on, my colleague already reported this, ticket
SR20260002": the model reads these as anything at all, and taken as answers they become
"that's not a phone number". Each gets its answer, and the form asks its question again,
so the report is neither lost nor filled with the question.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.assistant_questions import answer_about_the_assistant
from actions.city import city_services
from actions.complaints.intent_words import looks_like_question
from actions.complaints.status import answer_status, asked_references, recently_named
from actions.complaints.text import fold, han_count
from actions.last_prompt import responses_since_last_message
from actions.latest_message import text_of
from bot.language.mixed_script import mixed_pattern

_PHONE = mixed_pattern(r"电话|号码|手机|联系方式|\bphone\b|\bnumber\b|\bmobile\b|\bcontact\b", re.I)
_WHY = mixed_pattern(
    r"干嘛|干什么|为什么|为啥|用来|有什么用|做什么|泄露|泄漏|洩露|洩漏|隐私|隱私|给谁|给誰|谁能看"
    r"|誰能看|会不会|会唔会"
    # "do I have to give my number?", "一定要留电话吗": whether it is needed at all
    r"|一定要|必须|非要|非得|要不要留|使唔使|使不使|洗唔洗"
    r"|\bdo i (?:have|need) to\b|\bmust i\b|\bis it (?:required|necessary|mandatory)\b"
    r"|\bwhy\b|what for|what's it for|what is it for|\bprivacy\b|\bshare[sd]?\b|\bleak|\bsafe\b"
    r"|who (?:sees|gets|will see)|\bfor\s*\?",
    re.IGNORECASE,
)
_WHEN = re.compile(
    r"多久|多长时间|几时|几耐|好耐|好久|什么时候|要等|几天|会不会有人|有冇人"
    r"|how long|when will|how soon|how fast|how quickly|how many days"
    r"|will (?:someone|anyone|they) (?:actually )?"
    r"(?:come|fix|remove|tow|clean|look)",
    re.IGNORECASE,
)
_HANDLED = mixed_pattern(
    r"处理|有人|冇人|没人|人理|来修|来整|嚟|答复|答覆|回复|回覆|回音|修好|解决|解決|搞定"
    r"|\bfix|\bsomeone|\breply|\bhear back|\brespond|\bsort(?:ed)? out|\brepair|\bdone\b"
    r"|拖走|清走|移走|清理|\bremove|\btow|\bclean|\bcome\b|\blooks? at"
    r"|\bhandled?|\btakes?\b|\btaking\b",
    re.IGNORECASE,
)


_MEANS = mixed_pattern(
    r"什么意思|啥意思|咩意思|是什么|指什么|意思是|\bmean\b|\bmeans\b|\bmeaning\b|what is|what's",
    re.IGNORECASE,
)
_STAGE = mixed_pattern(
    r"受理|派单|办理中|办结|回访|\baccepted\b|\bdispatched\b|\bpassed to\b|\bin progress\b"
    r"|\bbeing dealt with\b|\bresolved\b|\bclosed\b",
    re.IGNORECASE,
)


#: Another person: whoever reported it before, a neighbour, "that guy".
_SOMEONE_ELSE = mixed_pattern(
    r"那个人|那人|别人|其他人|其他市民|投诉人|举报人|报料人|之前投诉|之前报|上次投诉|邻居|对方|业主|老板"
    r"|谁投诉|谁反映|谁举报|谁报的|处理人|经办人|承办人"
    r"|someone else|other (?:person|people|resident|residents)|the person who|whoever"
    r"|who (?:reported|complained|filed)|\bneighbou?r|\bthe owner|\bthe other",
    re.IGNORECASE,
)
_DETAILS = mixed_pattern(
    r"电话|号码|手机|姓名|名字|地址|住址|联系方式|身份证|微信|邮箱"
    r"|\bphone\b|\bnumber\b|\bname\b|\baddress\b|\bcontact|\bwechat\b|\bid\b|\be-?mail\b",
    re.IGNORECASE,
)
_HAND_OVER = mixed_pattern(
    r"给我|发我|告诉我|是谁|查一下|透露|提供|俾我|话我知|讲俾我知|(?:电话|号码|手机)(?:是)?(?:多少|几多)"
    r"|give me|tell me|send me|share|who is|who was|let me (?:have|know)|\bwhat(?:'s| is)\b"
    r"|\bwhats\b|\bgimme\b",
    re.IGNORECASE,
)


def asks_for_someone_elses_details(text: str) -> bool:
    """ "那你把之前投诉那个人的电话给我", "give me the other resident's number".

    Other residents' details are never shown; the resident is told so in words, and the
    report goes on (taken as an answer it would be "that's not a phone number").
    """
    folded = fold(text)
    if _WHO_REPORTED.search(folded):
        return True  # "who reported it originally? I want to team up with them"
    return bool(
        _SOMEONE_ELSE.search(folded) and _DETAILS.search(folded) and _HAND_OVER.search(folded)
    )


#: Who made a report, asked outright: the reporter's identity is their details.
_WHO_REPORTED = mixed_pattern(
    r"\bwho (?:reported|complained about|filed|made|sent in|called in) (?:it|this|that|the)\b"
    r"|\bwho (?:was it that|is it that) (?:reported|complained)"
    # "someone reported my car … who was it?? give me their name and number"
    r"|\b(?:someone|somebody|a neighbou?r) (?:reported|complained about|called in)\b"
    r".*\bwho (?:was it|did (?:it|that|this)|it was)\b"
    r"|\bgive me (?:their|his|her) names?\b|\bgive me the reporter'?s\b"
    r"|\b(?:pull up|list|show me|send me) (?:all|every)\b.{0,60}\breports?\b.{0,60}"
    r"\b(?:phone|numbers?|names?|contacts?)\b"
    r"|谁报的|是谁投诉|谁投诉的|谁举报的|谁反映的|边个报|边个投诉",
    re.IGNORECASE,
)


#: A penalty asked about: "这种情况一般罚多少钱？", "is there a fine for whoever did it?".
_FINE = mixed_pattern(
    r"罚多少|罚款|罰款|会不会被罚|会罚|处罚|處罰|罚钱|罰錢|扣分|罚几多|罰幾多"
    # "fine" as a noun or a verb, never the "fine," of "do you need my number? fine, 092…"
    r"|\bfine[ds]\b|\b(?:a|the|any|big|hefty|get|gets|give|issue|pay|paid)\s+(?:a\s+)?fine\b"
    r"|\bfine (?:them|him|her|the\b|people|drivers|owners?|someone)"
    r"|\bpenalt(?:y|ies)\b|\bget (?:a )?ticket(?:ed)?\b|\bpunish",
    re.IGNORECASE,
)


def asks_about_a_fine(text: str) -> bool:
    """A question about the penalty for the problem reported, which the assistant cannot
    know: the department decides it once it has checked."""
    return bool(_FINE.search(fold(text))) and looks_like_question(text)


#: Refusals of someone's details: a message right after one that asks for details again
#: ("it's emergency!! at least the email then") is refused again.
DETAILS_REFUSED = frozenset(
    {
        "utter_complaint_reporter_details_not_shown",
        "utter_complaint_others_details_not_shown",
        "utter_personal_data_not_shown",
    }
)


async def refuses_details_again(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Says no again to details asked for again right after a refusal; True if it did.

    Whatever the model reads "at least the email then" as (a trip, once), it is the same
    request for a person's details, in fewer words.
    """
    folded = fold(text_of(tracker))
    if not (refused_just_now(tracker) and (_DETAILS.search(folded) or _INSISTS.search(folded))):
        return False
    shown = sorted(responses_since_last_message(tracker) & DETAILS_REFUSED)[0]
    dispatcher.utter_message(response=shown)
    if shown == "utter_complaint_reporter_details_not_shown" and (
        recently_named(tracker) or asked_references(tracker)
    ):
        # The refusal says the status follows: of the ticket named before, or now ("…the
        # phone number attached to SR20260001").
        await answer_status(dispatcher, tracker)
    return True


#: Pressing for what was just refused: "just give it to me", "I'm a city employee".
_INSISTS = mixed_pattern(
    r"给我吧|快给我|就给我|直接给我|我是(?:工作人员|警察|公务员|政府的人|当事人)|我有权|俾我啦"
    r"|\bjust (?:give|tell|send)\b|\bgive it\b|\bhand it over\b"
    r"|\bi'?m (?:a |an )?(?:city )?(?:employee|officer|cop|police|staff|official|inspector)\b"
    r"|\bi (?:work for|am with) the city\b",
    re.IGNORECASE,
)


def refused_just_now(tracker: Tracker) -> bool:
    return bool(responses_since_last_message(tracker) & DETAILS_REFUSED)


def asks_what_a_stage_means(text: str) -> bool:
    """ "what does dispatched even mean", "已派单是什么意思": the stages of a ticket."""
    folded = fold(text)
    return bool(_MEANS.search(folded) and _STAGE.search(folded))


#: "can I stay anonymous?", "可以匿名吗", "唔留名得唔得": whether the report needs who files it.
_ANONYMOUS = mixed_pattern(
    r"\banonymous(?:ly)?\b|\bwithout (?:giving |leaving )?my (?:name|details)\b"
    r"|\bleave my (?:name|details) out\b|匿名|不留名|唔留名|不想留名|不记名|不記名",
    re.IGNORECASE,
)


def asks_to_stay_anonymous(text: str) -> bool:
    """The resident asks whether the report can be made without giving who they are."""
    return bool(_ANONYMOUS.search(fold(text)))


#: "will they know it was me?", "会不会知道是我举报的": whether the one reported learns who.
_KNOWN_TO_BE_ME = mixed_pattern(
    r"\b(?:will|would|could|can|do|does)\s+(?:they|he|she|the\s+\w+|anyone|my\s+\w+)\s+"
    r"(?:know|find\s+out|see|be\s+told|learn)\s+(?:it\s+was\s+me|it'?s\s+me|that\s+i\b|who\b)"
    r"|\bknow\s+(?:it\s+was\s+me|who\s+(?:reported|complained|called))"
    r"|\bget\s+(?:in\s+)?trouble\b|\bdon'?t\s+want\s+(?:any\s+)?trouble\b"
    r"|知道是我|知道系我|知系我|知道谁举报|知道谁投诉|会不会被发现|报复我|唔想惹麻烦|不想惹麻烦",
    re.IGNORECASE,
)


def asks_if_they_will_know(text: str) -> bool:
    """The resident asks whether the one reported will learn who reported them."""
    return bool(_KNOWN_TO_BE_ME.search(fold(text)))


def asks_why_phone(text: str) -> bool:
    """ "电话你们要来干嘛", "why do you need my number? will the shop see it?"."""
    folded = fold(text)
    return bool(_PHONE.search(folded) and _WHY.search(folded))


#: A trip's time, not the report's: "how long does it take to get to Wonderland".
_TRAVEL = mixed_pattern(
    r"\b(?:train|bus|subway|metro|tram|ride|walk|drive|get to|go to|get there|reach)\b"
    r"|地铁|公交|坐车|搭车|走路",
    re.IGNORECASE,
)


def asks_when_handled(text: str) -> bool:
    """ "提交之后要等多久才有人来", "how long until someone fixes it?", "how long do they
    usually take with these" (not "how long does the train take")."""
    folded = fold(text)
    return bool(_WHEN.search(folded) and _HANDLED.search(folded)) and not _TRAVEL.search(folded)


async def answer_aside(
    dispatcher: CollectingDispatcher, tracker: Tracker, requested: str | None, phone_slot: str
) -> bool:
    """Answer a question asked inside the form; True when one was answered.

    A ticket number named in the middle of the form gets that ticket's status (at the
    opening too, where it stays part of the description: "之前投诉过一次单号是…").
    """
    text = text_of(tracker)
    if asked_references(tracker):
        await answer_status(dispatcher, tracker)
        return True
    if requested not in (None, _DESCRIPTION) and asks_how_it_is_going(text):
        # "can you check if anyones looked at it yet?" at the summary: nothing is sent yet.
        dispatcher.utter_message(response="utter_complaint_nothing_to_check_yet")
        return True
    if answer_about_the_assistant(dispatcher, text, city_services().identity.hotline):
        return True  # "whats the number if im calling from work in jersey" (311's, not mine)
    if requested == phone_slot and (asks_why_phone(text) or asks_to_stay_anonymous(text)):
        # "can I stay anonymous?": the number is only for a call back, and optional.
        dispatcher.utter_message(response="utter_complaint_phone_why")
        return True
    if requested is not None and asks_if_they_will_know(text):
        # "will they know it was me? i dont want trouble": what goes to the city, and no more.
        dispatcher.utter_message(response="utter_complaint_who_sees_it")
        return True
    if asks_what_a_stage_means(text):
        dispatcher.utter_message(response="utter_complaint_stages")
        return True
    if requested is not None and asks_when_handled(text):
        dispatcher.utter_message(response="utter_complaint_what_happens_next")
        return True
    if requested is not None and asks_about_a_fine(text):
        dispatcher.utter_message(response="utter_complaint_fine_not_known")
        return True
    if requested is not None and asks_whose_job_it_is(text):
        dispatcher.utter_message(response="utter_complaint_whose_job")
        return True
    return False


#: The form's description slot: a story told there may speak of an earlier report's
#: progress, and is the description all the same.
_DESCRIPTION = "complaint_description"
#: "status?", "can you check if anyones looked at it yet?", "帮我查一下进度": how a report
#: is going, asked of one not sent yet.
_HOW_IS_IT_GOING = mixed_pattern(
    r"^\W*status\W*$|\bstatus\s*[?？]\s*$|\bwhat(?:'?s| is) the status\b"
    r"|\bcheck (?:on )?(?:the )?(?:status|progress)\b"
    r"|\bany(?:one|body)(?:'?s| has| have)? (?:looked|checked|been)\b"
    r"|\b(?:has|did) (?:anyone|anybody|someone|somebody) (?:looked|checked|picked)\b"
    r"|\bis it (?:fixed|done|sent|filed|submitted) (?:yet|already)\b|\bhow is it going\b"
    r"|进度|进展|处理到哪|到哪一步|有没有人(?:看|处理|管|跟进)|受理了吗|处理了吗|有人处理吗"
    r"|查一下(?:状态|情况)|處理到邊|點樣喇",
    re.IGNORECASE,
)


def asks_how_the_unsent_report_is_going(tracker: Tracker) -> bool:
    """ "status?" while the report is still being filled in (its question asked, nothing
    sent before in this conversation, no number named): the only report to speak of is
    this one, which is not sent yet. Read as a status question (of a complaint or an
    application), it would otherwise be asked for a ticket the resident does not have."""
    from actions.complaints.status import known_references

    if (tracker.active_loop or {}).get("name") != "complaint_form":
        return False
    if tracker.get_slot("requested_slot") in (None, _DESCRIPTION):
        return False
    text = text_of(tracker)
    return (
        asks_how_it_is_going(text)
        and not asked_references(tracker)
        and not known_references(tracker)
    )


def asks_how_it_is_going(text: str) -> bool:
    """The message asks how a report is going (with no ticket number: that one is looked
    up before this is asked)."""
    return bool(_HOW_IS_IT_GOING.search(text or ""))


#: "is that even the city's job?", "这个归谁管？是不是物业的事": who is responsible.
_WHOSE_JOB = mixed_pattern(
    r"归谁管|该谁管|谁来管|谁负责|是不是物业|物业的事|归物业|归不归你们|你们管不管|属于谁管|边个管"
    r"|\bwhose (?:job|problem|responsibility)\b|\bwho(?:'s| is) responsible\b"
    r"|\bis (?:that|this|it) (?:even )?(?:the )?(?:city'?s|council'?s|your|the city|the council)"
    r"(?: guys'?)? (?:job|problem|responsibility|thing)\b"
    r"|\b(?:property manage\w*|building manage\w*|landlord|strata|hoa)(?:'s)?"
    r" (?:job|problem|thing)\b",
    re.IGNORECASE,
)


def asks_whose_job_it_is(text: str) -> bool:
    """A question whether the city, or someone else, deals with the problem reported."""
    return bool(_WHOSE_JOB.search(fold(text)))


#: A call back asked for: the phone question of the form is where it is given.
_CALL_BACK = mixed_pattern(
    r"\bcall(?:ed)?\s+(?:me\s+|us\s+)?back\b|\bcall-?backs?\b|\bgive\s+me\s+a\s+(?:call|ring)\b"
    r"|\b(?:phone|ring)\s+me\b|\bcontact\s+me\b"
    r"|回电|回個電話|回个电话|回复电话|打电话给我|打電話俾我|打个电话给我|联系我|聯絡我|覆电|覆電",
    re.IGNORECASE,
)
#: Clauses of a message, and the "and"/"also" that may open the asking one.
_CLAUSE = re.compile(r"[，,。！？!?；;\n]+|\.(?=\s|$)")
_OPENING = mixed_pattern(r"^(?:and|also|plus|but|then|然后|还有|另外|顺便|再|也)\s*", re.I)


def without_a_call_back(text: str) -> str | None:
    """The rest of a message that also asks to be called back, or None when it asks no
    such thing or says nothing else.

    "Minatojima elementary. and can I get a call back?" answers where the problem is;
    the call back is what the phone number, asked next, is for: no reason to leave the
    report for a person.
    """
    clauses = [c.strip() for c in _CLAUSE.split(text or "") if c.strip()]
    if not any(_CALL_BACK.search(c) for c in clauses):
        return None
    rest = [c for c in clauses if not _CALL_BACK.search(c)]
    rest = [_OPENING.sub("", c).strip() for c in rest]
    rest = [c for c in rest if c]
    if not rest:
        return None
    return ("，" if any(han_count(c) for c in rest) else ", ").join(rest)
