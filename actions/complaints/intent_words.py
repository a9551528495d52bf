"""What a short message in the complaint form means: cancel, yes, change something, a question.

Why rules and not the NLU model: inside the form, the answer to "where is it?"
can be any text at all, and the model's intents were trained on whole requests,
not on "算了" or "looks good". These words are few, and a wrong guess is costly
(a description read as "cancel" drops the complaint), so the rules are strict:
a message counts when it is *made of* the words below plus particles and
politeness, so "不对" is never "对", and "路灯坏了取消不了" is never a cancel.

Every list is Simplified Chinese and English; Traditional input is folded to
Simplified first (``actions.complaints.text.fold``). A few Cantonese forms
(係, 冇問題, 唔使) are there because Hong Kong residents write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.complaints.text import (
    Vocabulary,
    clauses,
    fold,
    is_short,
    made_of,
    strip_leading,
    tokens,
)
from bot.language.mixed_script import mixed_pattern

#: Particles, politeness and discourse words that change nothing about a short answer.
FILLERS = Vocabulary(
    (
        "嗯", "嗯嗯", "哦", "噢", "喔", "啊", "呀", "吧", "啦", "了", "的", "哈", "哈哈", "嘛",
        "唉", "哎", "哎呀", "唉呀",
        "喇", "咯", "啰", "呗", "那", "那么", "那就", "就", "还是", "干脆", "直接", "先",
        "暂时", "其实", "现在", "我", "我们", "你", "你们", "您", "请", "麻烦", "麻烦你",
        "麻烦您", "谢谢", "谢谢你", "谢谢您", "谢了", "多谢", "感谢", "好吧", "要", "想",
        "想要", "也", "都", "这样",
        "please", "pls", "plz", "thanks", "thank you", "thx", "ty", "oh", "um", "uh", "er",
        "well", "just", "actually", "hmm", "so", "then", "and", "but", "sorry", "hey", "hi",
        "i", "i'd", "i'll", "i'm", "let's", "lets", "now", "ok", "okay", "alright", "already",
    )
)  # fmt: skip

_AFFIRMATIONS = Vocabulary(
    (
        "确认", "确定", "提交", "对", "是", "好", "行", "可以", "没问题", "没有问题", "没错",
        "正确", "无误", "同意", "嗯", "嗯嗯", "发送", "发", "对的", "是的", "好的", "行的",
        "可以的", "都对", "全对", "没毛病", "妥", "就这样", "就这么办", "好嘞", "好滴", "好哒",
        "好呀", "好啊", "对啊", "是啊", "确认无误", "信息无误", "资讯无误", "不错", "传送",
        "系", "系呀", "系啊", "冇问题", "得", "啱",
        "yes", "yeah", "yea", "yep", "yup", "y", "ya", "k", "kk", "ok", "okay", "sure",
        "confirm", "confirmed", "submit", "send", "go ahead", "go", "looks good", "look good",
        "looks right", "looks fine", "looks correct", "all good", "good", "correct", "right",
        "fine", "perfect", "great", "exactly", "absolutely", "definitely", "of course",
        "do it", "lgtm", "agreed", "agree", "alright", "all right", "sounds good",
        "that's right", "that's correct", "it's correct", "that is correct", "that's it",
        "\U0001f44d", "\U0001f44c", "\u2705", "\u2714", "\U0001f646",
    )
)  # fmt: skip

#: What may come with an affirmation: "帮我提交吧", "submit it please", "everything looks good".
_AFFIRMATION_OBJECTS = Vocabulary(
    (
        "帮我", "帮忙", "直接", "信息", "资讯", "资料", "内容", "全部", "一切", "就", "都", "吧",
        "it", "that", "this", "that's", "it's", "is", "all", "everything", "looks", "the",
        "complaint", "report", "details", "info", "information", "now",
    )
)  # fmt: skip

#: A cancel on its own or with the complaint as its object: "取消吧", "please cancel it".
_CANCEL_WORDS = Vocabulary(
    (
        "取消", "算了", "算啦", "不要了", "停", "停止", "停下", "退出", "结束", "终止", "放弃",
        "撤销", "撤回", "不弄了", "别弄了", "不办了", "不搞了", "不填了", "不做了", "不报了",
        "不投诉", "不投诉了", "不反映了", "不举报了", "不提交了", "别提交", "不要提交",
        "不想投诉了", "不要投诉了", "别投诉了", "不用投诉了", "不投了", "不用弄了", "不登记了",
        "唔投诉", "唔要喇", "唔搞喇", "唔使投诉",
        "cancel", "stop", "quit", "exit", "abort", "end", "enough", "withdraw", "halt",
    )
)  # fmt: skip

_CANCEL_OBJECTS = Vocabulary(
    (
        "投诉", "这个", "这次", "本次", "它", "掉", "一下", "整个", "全部", "所有", "申请",
        "工单", "登记", "流程", "操作", "表单", "反映", "举报", "吧", "了",
        "it", "this", "that", "the", "my", "complaint", "report", "request", "ticket",
        "everything", "all", "form", "process", "want", "to", "a", "whole", "thing", "mine",
        "one", "please", "pls", "then",
    )
)  # fmt: skip

#: Cancels that count anywhere in a short message: no description says them.
_STRONG_CANCELS = Vocabulary(
    (
        "不投诉了", "取消投诉", "投诉取消", "撤销投诉", "撤回投诉", "不用投诉了", "不想投诉了",
        "不要投诉了", "别投诉了", "不报了", "不举报了", "不反映了", "不用反映了", "不提交了",
        "不用提交了", "别提交了", "不弄了", "别弄了", "不办了", "不搞了", "算了吧", "算了算了",
        "取消吧", "取消掉", "不登记了", "不填了", "不想弄了", "先不投诉了", "先不弄了",
        "不想报了", "唔投诉喇", "唔使投诉",
        # the problem went away: "环卫车刚来收走了，不用报了", "唔使报喇"
        "不用报了", "不需要报了", "不用反映了", "不用登记了", "唔使报喇",
        "no need to report", "no need to file", "don't need to report",
        "never mind", "nevermind", "nvm", "forget it", "forget about it", "forget that",
        "cancel the complaint", "cancel my complaint", "cancel this complaint",
        "cancel the report", "cancel my report", "don't file", "do not file",
        "don't submit it", "do not submit it", "don't send it", "changed my mind",
        "don't want to complain", "do not want to complain", "don't want to report",
        "don't want to file", "withdraw the complaint", "withdraw my complaint",
        "don't bother", "let's not", "forget the report", "forget the complaint",
        "forget about the report", "forget about the complaint", "scrap the report",
        "drop the report", "drop the complaint", "dont file", "dont submit", "dont report",
        "don't report", "don't submit", "no need to file it", "dont bother",
    )
)  # fmt: skip
#: What may come before a cancel that opens a message: "nah forget it then …".
_BEFORE_A_CANCEL = Vocabulary(
    (
        "nah",
        "no",
        "nope",
        "oh",
        "ah",
        "ugh",
        "actually",
        "hmm",
        "well",
        "wait",
        "sorry",
        "唉",
        "哎",
        "哦",
        "噢",
    )
)

#: Cancels that also count opening a long message ("算了吧，我自己打12345问").
_OPENING_CANCELS = Vocabulary(
    (
        "算了吧", "算了算了", "取消投诉", "不投诉了", "不用投诉了", "不想投诉了", "不要投诉了",
        "先不投诉了", "撤销投诉", "撤回投诉",
        "never mind", "nevermind", "nvm", "forget it", "cancel the complaint",
        "cancel my complaint", "cancel this complaint", "cancel the report", "cancel it",
        "i changed my mind",
        "forget the report", "forget the complaint", "forget about the report",
        "forget about the complaint", "不报了", "不反映了", "不用反映了",
    )
)  # fmt: skip


_SUBMIT = mixed_pattern(
    r"提交|交上去|发出去|报上去|送出|交咗|交佢|报咗|\bsubmit|\bsend it\b|\bgo ahead\b|\bfile it\b"
    r"|\blodge it\b|\bjust file\b|\bjust do it\b|\bsend (?:the )?report\b",
    re.IGNORECASE,
)


#: A clause that asks about submitting rather than asking for it: "提交之后要等多久？".
_ABOUT_SUBMITTING = re.compile(
    r"[?？]|吗|系咪|是不是|多久|after|before|when|how|what happens", re.I
)
_NOT_YET = re.compile(r"不要|别|先别|还没|暂不|不用|don't|do not|dont|not yet|never", re.I)


def asks_to_submit(text: str) -> bool:
    """ "好，提交啦", "great go ahead": the resident wants the report sent as it is.

    Not when the message also cancels or refuses ("不要提交", "don't submit it").
    """
    if is_cancel_request(text):
        return False
    for clause in re.split(r"(?<=[。！!；;，,.])", fold(text)):
        match = _SUBMIT.search(clause)
        if match is None or _ABOUT_SUBMITTING.search(clause):
            continue
        if not _NOT_YET.search(clause[max(0, match.start() - 10) : match.start()]):
            return True
    return False


#: At the summary, asking for what only a sent report has: its ticket number. The
#: resident takes it as sent ("唔該晒。啱啱個單號係咩話？我要抄低"). (When someone will
#: come is answered as it is: once sent, the department handles it.)
_PRESUMES_SENT = mixed_pattern(
    r"单号|工单号|工单编号|单号码|编号是|号码是多少|单系|"
    r"\b(?:ticket|reference|case|tracking) (?:number|no|#)|\bwhat(?:'s| is| was) the number\b"
    r"|\bcheck (?:that|the|my) ticket\b|\bthe number again\b",
    re.IGNORECASE,
)


def presumes_sent(text: str) -> bool:
    """ "what's the ticket number?", "啱啱個單號係咩話？" at the summary: asked as if sent.

    Not when the message also cancels or holds the report back.
    """
    folded = fold(text)
    return bool(_PRESUMES_SENT.search(folded)) and not (
        is_cancel_request(text) or _NOT_YET.search(folded)
    )


#: Words after a first "算了"/"never mind" that go on to edit the report instead.
_KEEPS_EDITING = mixed_pattern(
    r"不用写|别写|不要写|就写|只写|写上|写成|改成|换成|去掉|"
    r"\bjust (?:put|write|say|keep)|\bonly (?:put|write|keep)|\binstead\b|\bleave out|\bremove",
    re.IGNORECASE,
)


_ANOTHER_REPORT = mixed_pattern(
    r"(?:另外|还有|再|也).{0,20}(?:报|投诉|反映|举报)"
    r"|\b(?:also|another|and)\b.{0,80}\b(?:report|complain|file)"
    # "and can u also do one for the trash"
    r"|\b(?:also|another)\b.{0,40}\b(?:do|make|open|start) (?:one|another)\b",
    re.IGNORECASE,
)


def also_reports(text: str) -> str | None:
    """ "对。另外楼道里那个垃圾能一起报吗" at the summary: yes, and another report.

    The words after the yes when the first clause agrees and a later one asks to report
    something more; None otherwise.
    """
    found = clauses(text)
    if len(found) < 2:
        return None
    first = _FIRST_CLAUSE.match(text.strip())
    agrees = made_of(found[0], _AFFIRMATIONS, (FILLERS, _AFFIRMATION_OBJECTS)) or bool(
        first and asks_to_submit(first.group(0))
    )  # "yes file it. and can u also do one for the trash"
    if not agrees:
        return None
    rest = _FIRST_CLAUSE.sub("", text.strip(), count=1).lstrip(" 。｡！？；，,.!?;:")
    return rest if rest and _ANOTHER_REPORT.search(fold(rest)) else None


#: Cancel words that mean nothing else: not "exit" ("exit A" is a place), "stop", "end".
_CLEAR_CANCELS = Vocabulary(
    ("取消", "算了", "算啦", "不要了", "撤销", "撤回", "放弃", "不报了", "不提交了", "不投诉了",
     "cancel", "withdraw", "abort")
)  # fmt: skip


#: "先不用了", "no need", "not now": declining, which before the phone is asked can only
#: decline the report itself (at the phone step it declines the phone).
_NOT_NOW = Vocabulary(
    ("不用了", "先不用了", "先不用", "暂时不用", "不需要了", "先不报", "唔使喇", "唔使住",
     "no need", "not now", "no thanks", "maybe later", "not yet")
)  # fmt: skip


def declines_to_go_on(text: str) -> bool:
    """The first clause only declines ("先不用了。还有一个…", "no thanks, not now")."""
    found = clauses(text)
    return bool(found) and made_of(found[0], _NOT_NOW, (FILLERS,))


def keeps_editing(text: str) -> bool:
    """ "算了，停车那个不用写，就写噪音就行", "never mind, just put the noise": edits the report."""
    return bool(_KEEPS_EDITING.search(fold(text)))


def cancels_in_a_clause(text: str, *, unmistakable: bool = False) -> bool:
    """ "ok same hole then, cancel mine, no point doubling up": a clause that cancels.

    Looser than ``is_cancel_request``: for the steps where no free text is expected
    (the phone, the summary). With ``unmistakable`` the clause must hold a cancel no
    place names ("楼梯间。唉算了这个不报了"), for the step that asks for a place.
    """
    if _KEEPS_EDITING.search(fold(text)):
        return False
    # Residents typing on a phone separate clauses by spaces: "算了 … 你这个先不提交了".
    spaced = [tokens(part) for part in re.split(r"[\s,.!?;:，。！？；：、]+", text) if part]
    return any(
        made_of(part, _CLEAR_CANCELS | _STRONG_CANCELS, (FILLERS, _CANCEL_OBJECTS))
        and (not unmistakable or _STRONG_CANCELS.found_in(part))
        for part in [*clauses(text), *spaced]
        if part
    )


def is_cancel_request(text: str) -> bool:
    """True when the resident clearly wants to stop the complaint.

    Counts: a first clause made only of cancel words, particles and the
    complaint as object ("算了", "取消吧", "please cancel it"); a short message
    (≤ 12 Chinese characters, ≤ 6 other words) holding an unmistakable cancel
    ("我看还是不投诉了", "ok never mind then"); a message of any length opening
    with one ("算了吧，我自己打12345"). Not a cancel: "Stop signs are missing",
    "路灯坏了取消不了闪烁", "don't cancel", "不要取消".
    """
    whole = tokens(text)
    if not whole:
        return False
    if is_short(whole) and _STRONG_CANCELS.found_in(whole):
        return True
    parts = clauses(text)
    if _KEEPS_EDITING.search(fold(" ".join("".join(part) for part in parts[1:]))):
        # "算了，停车那个不用写，就写噪音就行": "never mind" that part, not the report.
        return False
    if made_of(parts[0], _CANCEL_WORDS | _STRONG_CANCELS, (FILLERS, _CANCEL_OBJECTS)):
        return True
    if len(parts) > 1 and made_of(
        parts[-1], _CLEAR_CANCELS | _STRONG_CANCELS, (FILLERS, _CANCEL_OBJECTS)
    ):
        # "… my neighbour says she already reported it this morning. cancel this one"
        return True
    return _OPENING_CANCELS.starts(strip_leading(whole, FILLERS | _BEFORE_A_CANCEL))


def is_affirmation(text: str) -> bool:
    """True for a short yes to "shall I submit this?": "确认提交", "對的", "looks good", "👍".

    Only a message (≤ 10 Chinese characters, ≤ 6 other words) made of
    affirmations, politeness and particles counts, so "不对", "not correct",
    "可以吗", "is it correct?" and "对了，地址写错了" are not affirmations.
    """
    sequence = tokens(text)
    if not is_short(sequence, han=10, words=6) or _asks(text, sequence):
        return False
    return made_of(sequence, _AFFIRMATIONS, (FILLERS, _AFFIRMATION_OBJECTS))


def says_yes_somewhere(text: str) -> bool:
    """True when a yes-word occurs anywhere in ``text`` ("ok la, send it", "冇問題呀").

    Why: the NLU model is sure of ``affirm`` for some gibberish and muddled messages
    ("啊吧啊吧咕噜咕噜": affirm 0.95), and an ``affirm`` at the summary files a report. A
    message the model reads as yes must also say yes in some word before it counts.
    """
    return _AFFIRMATIONS.found_in(tokens(text))


#: "is it correct", "can I submit": an affirmation's words, asked.
_ASKING_FIRST_WORDS = frozenset(
    ("is", "are", "was", "does", "did", "can", "could", "should", "will", "would", "shall")
)


def _asks(text: str, sequence: tuple[str, ...]) -> bool:
    return "?" in fold(text) or (bool(sequence) and sequence[0] in _ASKING_FIRST_WORDS)


@dataclass(frozen=True)
class ChangeRequest:
    """The resident wants to change something they gave: which field, and the new value if said."""

    field: str | None
    new_value: str | None


#: The form's fields as residents name them. Where two overlap, the longer wins ("问题描述").
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "location": (
        "地址", "位置", "地点", "地方", "具体位置", "详细地址", "门牌号", "门牌号码", "定位",
        "街道", "在哪", "在哪里",
        "address", "location", "place", "where", "street", "spot", "position",
    ),
    "description": (
        "描述", "内容", "情况", "问题描述", "具体情况", "详情", "细节", "说明", "描述内容",
        "情况说明", "具体描述", "问题内容",
        "description", "details", "detail", "what happened", "text", "wording",
        "problem description",
    ),
    "category": (
        "类别", "类型", "分类", "问题类型", "问题分类", "种类", "类目", "问题类别", "投诉类型",
        "category", "type", "kind", "problem type", "type of problem", "kind of problem",
        "issue type", "type of issue",
    ),
    "phone": (
        "电话", "手机", "号码", "联系方式", "手机号", "电话号码", "联系电话", "手机号码",
        "联系号码", "联络方式", "联络电话", "联系人",
        "phone", "number", "mobile", "contact", "phone number", "contact number",
        "mobile number", "cell", "telephone", "tel",
    ),
}  # fmt: skip

_CHANGE_MARKERS_ZH = (
    "修改", "更改", "更正", "改正", "修正", "订正", "改", "换", "不对", "错", "有误",
    "不正确", "不准确", "重新填", "重填", "唔啱",
)  # fmt: skip
_CHANGE_MARKERS_EN = mixed_pattern(
    r"\b(?:change|changes|changed|changing|edit|edits|editing|fix|update|updated|modify|"
    r"amend|wrong|incorrect|mistake|mistaken|typo|not right|isn't right|not correct|"
    r"isn't correct|correction|replace|redo)\b"
    # "correct" as a verb only: "correct the address", not "that's correct".
    r"|\bcorrect(?=\s+(?:the|my|it|this|that)\b)"
)
#: Words that contain a marker and mean something else ("道路改造", "换乘", "没错", "是否").
_NOT_MARKERS = (
    "改造", "改善", "改建", "改装", "改革", "改道", "改线", "改行", "改天", "改进", "整改",
    "更换", "换乘", "交换", "兑换", "换季", "替换", "转换", "换气", "不对劲", "不对称", "对不对",
    "没错", "不错", "错过", "错峰", "错开", "交错", "错落", "个地方", "些地方",
    "不是", "但是", "还是", "就是说", "是否", "是不是", "可是", "也是", "只是", "于是", "总是",
    "作为", "因为", "为了", "为什么", "认为", "以为", "成为",
)  # fmt: skip
#: After these the rest of the message is the new value.
_VALUE_MARKERS_ZH = (
    "应该改成", "应该改为", "应该是", "应是", "应为", "改成", "改为", "改到", "换成", "换为",
    "更正为", "更改为", "修改为", "更正成", "修改成", "正确的是", "正确是", "其实是", "实际是",
    "实际上是", "写成", "填成",
)  # fmt: skip
_VALUE_MARKERS_EN = mixed_pattern(r"\b(?:should be|should read|must be|needs to be|ought to be)\b")
#: "to" gives a value only after a change word: "change the address to …", not "I want to …".
_VALUE_AFTER_CHANGE_EN = mixed_pattern(r"\b(?:to|into)\b")
#: What may stand between a change word and its "to": at most four words, no punctuation.
_CLOSE_BY = re.compile(r"\s*(?:[^\W\d_][\w'’]*\s+){0,4}")
#: Weak markers give a value only after a field word: "地址不对，是…", "wrong address: …".
_WEAK_VALUE_MARKERS = mixed_pattern(r"是|为|:|\b(?:is|it's|it is|its)\b")
#: Values that only repeat that something is wrong: "the address is wrong", "地址是错的".
_EMPTY_VALUE = re.compile(
    r"^(?:错的|错了|不对|不对的|错误的?|有误|wrong|incorrect|not right|not correct|a mistake|"
    r"mistaken|outdated|the wrong one|wrong one)$"
)
_LEADING = re.compile(r"^[\s:,\-—]+")
_TRAILING = re.compile(r"(?:[\s.,!?;:。~…]|吧|啊|呀|哦|哈|啦|了|谢谢|thanks|thank you|please)+$")
#: Where a short value ends: "地址改成福华三路88号，其他都对" keeps "福华三路88号".
_CLAUSE_END = mixed_pattern(
    r"[。｡！？；，\n!?;]|,(?=\s*[\u4e00-\u9fff])|,\s*(?:and|other|everything|the rest|thanks)\b",
    re.IGNORECASE,
)


def change_request(text: str) -> ChangeRequest | None:
    """The field the resident wants to change, and the new value when the message says it.

    A change needs a change word ("改", "不对", "写错", "change", "wrong" …) or the
    form "<field> 应该是/改成/换成 X" / "the address should be X":
    "地址改成福田区福华三路88号" → ("location", "福田区福华三路88号");
    "change the address to 1 Fuhua Road" → ("location", "1 Fuhua Road");
    "我想改一下" → (None, None); "地址是福华路" (no change word) → None.
    The value is cut from the resident's own text (same script and case),
    up to the end of the clause, except a description, which is kept whole.
    Button payloads are handled by the form, not here.
    """
    folded = _mask(fold(text))
    marker = _change_marker(folded)
    value_marker = _strong_value_marker(folded, marker)
    if marker is None and value_marker is None:
        return None
    if value_marker is not None:
        field, field_end = _field(folded, before=value_marker[0], last=True)
    else:
        field, field_end = _field(folded, before=len(folded))
    if marker is None and field is None:
        return None
    if value_marker is None and field is not None:
        value_marker = _weak_value_marker(folded, after=max(field_end, marker[1] if marker else 0))
    new_value = _value(text[value_marker[1] :], field) if value_marker else None
    return ChangeRequest(field, new_value)


def _mask(folded: str) -> str:
    """Blank out words that contain a marker but mean something else; lengths are kept."""
    for word in _NOT_MARKERS:
        folded = folded.replace(word, "\u3007" * len(word))
    return folded


def _change_marker(folded: str) -> tuple[int, int] | None:
    found = [
        (index, index + len(word))
        for word in _CHANGE_MARKERS_ZH
        if (index := folded.find(word)) >= 0
    ]
    english = _CHANGE_MARKERS_EN.search(folded)
    if english:
        found.append((english.start(), english.end()))
    # "新地址是…", "new number: …" say a change as clearly as "改".
    for new in re.finditer(r"新的?|\bnew\s+", folded):
        if _field(folded[new.end() :], before=None)[0]:
            found.append((new.start(), new.end()))
    return min(found) if found else None


def _strong_value_marker(folded: str, marker: tuple[int, int] | None) -> tuple[int, int] | None:
    found = [
        (index, index + len(word))
        for word in _VALUE_MARKERS_ZH
        if (index := folded.find(word)) >= 0
    ]
    english = _VALUE_MARKERS_EN.search(folded)
    if english:
        found.append((english.start(), english.end()))
    if marker is not None:
        after_change = _VALUE_AFTER_CHANGE_EN.search(folded, marker[1])
        # "change the address to …", not the "to" of "it's weekday mornings 7 to 9".
        if after_change and _CLOSE_BY.fullmatch(folded[marker[1] : after_change.start()]):
            found.append((after_change.start(), after_change.end()))
    # Earliest first; at the same place the longer marker ("应该改成" over "改成").
    return min(found, key=lambda span: (span[0], -span[1])) if found else None


def _weak_value_marker(folded: str, after: int) -> tuple[int, int] | None:
    found = _WEAK_VALUE_MARKERS.search(folded, after)
    return (found.start(), found.end()) if found else None


def _field(folded: str, before: int | None, last: bool = False) -> tuple[str | None, int]:
    """The field named in ``folded[:before]``, and where its name ends.

    The first one named, or with ``last`` the one named closest before ``before``
    ("地址是福华路，电话改成…" changes the phone). Of names ending at the same place
    the longest wins ("门牌号码" is a location, not a "号码"). ``before`` None:
    only a field name at the very start counts.
    """
    best: tuple[int, int, str, int] | None = None
    for field, words in FIELD_WORDS.items():
        for word in words:
            pattern = rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
            for match in re.finditer(pattern, folded):
                if before is None and match.start() != 0:
                    break
                if before is not None and match.end() > before:
                    break
                # Smaller is better: the first start (or the last end), then the longer name.
                place = -match.end() if last else match.start()
                candidate = (place, -len(word), field, match.end())
                if best is None or candidate < best:
                    best = candidate
                if not last:
                    break
    if best is None:
        return None, 0
    return best[2], best[3]


def _value(raw: str, field: str | None) -> str | None:
    """The new value in ``raw`` (the resident's text after the marker), or None when it is empty.

    Short values end with their clause and lose trailing particles ("…88号吧");
    a description is kept as written.
    """
    folded = fold(raw)
    start = _LEADING.match(folded)
    begin = start.end() if start else 0
    end = len(folded)
    if field != "description":
        clause_end = _CLAUSE_END.search(raw, begin)
        if clause_end:
            end = clause_end.start()
        trailing = _TRAILING.search(folded[:end], begin)
        if trailing:
            end = trailing.start()
    value = raw[begin:end].strip()
    if field == "location":
        # "… it should be Calle Mayor 5 not Calle Menor": the old place is no part of it.
        # ("not far from the station" stays: only a named place after "not" is cut).
        value = re.split(r"\s+(?:not|rather than|instead of)\s+(?=[A-Z0-9])", value, maxsplit=1)[
            0
        ].strip()
    if not value or _EMPTY_VALUE.match(fold(value)):
        return None
    return value


#: Field names that, opening a clause and followed by "是" / "is", give that field anew
#: ("地点是南头古城北口", "the address is 5 Keyuan Road"); the vaguer names ("where",
#: "在哪", "情况") are left out, as they open questions and descriptions too.
_STATED_FIELDS: dict[str, tuple[str, ...]] = {
    "location": ("地址", "位置", "地点", "详细地址", "具体位置", "具体地址", "address", "location"),
    "phone": ("电话", "手机", "手机号", "电话号码", "联系电话", "手机号码", "phone", "mobile",
              "phone number", "number"),
    "category": ("类别", "问题类型", "问题类别", "category"),
}  # fmt: skip
#: What may come between a clause's start and the field's name: "the", "my", "and so".
_STATED_OPENING = re.compile(
    r"(?:^|[。｡！？；，,.!?;:\n])\s*"
    r"(?:(?:the|my|and|so|ok|okay|oh|actually|its|it's|please|just|put|set|use|write|wait|sorry|no)\s+)*$"
)
#: "是", and Cantonese "係" (folded to 系): "地點係南頭古城北口".
_STATED_MARKER = mixed_pattern(r"\s*(?:就是|就系|是|系|为|:|\bis\b|'s\b|\bas\b)\s*")


#: The field said to be wrong, then what it should be: "地址唔啱，應該係 Avenida de
#: Jijona", "地址错了，应该是科技南路18号", "the address is wrong, it should be …".
_SAID_WRONG = mixed_pattern(
    r"\s*(?:is |was )?(?:唔啱|唔对|不对|错了|有错|写错了|搞错了|弄错了|wrong|not right|incorrect)"
    r"[\s，,。.!！]*(?:(?:应该|should|it should|it)\s*(?:是|系|be|is|'s)?|is|是|系)\s*",
    re.IGNORECASE,
)


def field_statement(text: str) -> ChangeRequest | None:
    """A field given anew without a change word: "哈哈开玩笑的。地点是南头古城中山南街北口".

    The field's name must open a clause and be followed by "是", "为", ":" or "is"; the
    value is cut as ``change_request`` cuts it. The form takes it only for a field already
    answered while it asks another (``actions.complaints.form``).
    """
    folded = fold(text)
    for field, names in _STATED_FIELDS.items():
        for name in sorted(names, key=len, reverse=True):
            # Letters only bound an English name: "location就是东纵路东门" names it too.
            pattern = (
                rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])"
                if name.isascii()
                else re.escape(name)
            )
            for match in re.finditer(pattern, folded):
                if not _STATED_OPENING.search(folded[: match.start()]):
                    continue
                marker = _SAID_WRONG.match(folded, match.end()) or _STATED_MARKER.match(
                    folded, match.end()
                )
                if marker is None:
                    continue
                value = _value(text[marker.end() :], field)
                if value:
                    return ChangeRequest(field, value)
    return None


_ADDITION_ZH = re.compile(
    # "改一下，描述里加一句：…": a few words asking for a change may come first.
    r"^(?:(?:改一下|改下|改改|帮我|麻烦你?|请|对了|还有|另外)[，,。\s]*)*"
    r"(?P<field>.{1,8}?)(?:再|也)?(?:加上?|补充|添上?|补上?)"
    r"(?:一句|一下|一点|上)?[：:，,\s]*(?P<value>.+)$"
)
_ADDITION_EN = re.compile(
    r"^(?:please\s+|can you\s+|could you\s+)?(?:also\s+)?add\s+(?P<value>.+?)\s+to\s+"
    r"(?:the|my)\s+(?P<field>[a-z ]{3,20}?)[.!]?$",
    re.IGNORECASE,
)
#: "add to the description: a child already got cut".
_ADDITION_EN_TO_FIELD = re.compile(
    r"^(?:please\s+|can you\s+|could you\s+)?(?:also\s+)?add\s+to\s+(?:the|my)\s+"
    r"(?P<field>[a-z ]{3,20}?)\s*[:,-]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_QUOTES = "“”\"'‘’「」『』《》"
_ADDITION_EN_DETAIL = re.compile(
    r"^(?:(?:hmm+|oh|ok|okay|and|also|wait)[.,]?\s+)*(?:can you |could you |pls |please )?"
    r"(?:also )?add (?:that |this:? )(?P<value>.{3,})$"
)


def addition(text: str) -> ChangeRequest | None:
    """ "地址后面再加一句“靠近黄贝岭地铁站”", "add 'near exit B' to the address".

    What to add to a field already given (the field is named, the words to add follow);
    None otherwise. The value returned is only the addition.
    """
    folded = fold(text).strip()
    match = (
        _ADDITION_ZH.match(folded)
        or _ADDITION_EN.match(folded)
        or _ADDITION_EN_TO_FIELD.match(folded)
    )
    if match is None:
        detail = _ADDITION_EN_DETAIL.match(folded)
        if detail is None or any(char.isdigit() for char in detail.group("value")):
            return None
        # "hmm can you add that they're blocking the tactile paving too": the problem.
        return ChangeRequest("description", detail.group("value").strip().rstrip(".!"))
    field, _ = _field(match.group("field").strip(), None)
    written = text.strip() if len(text.strip()) == len(folded) else folded
    value = written[match.start("value") : match.end("value")].strip().strip(_QUOTES)
    value = value.strip().rstrip("。.!！")
    if field is None or not value:
        return None
    return ChangeRequest(field, value)


def stated_change(text: str) -> ChangeRequest | None:
    """``change_request``, with the new value a clause states when the change word gave none.

    "不对不对，地址是桃园路跟南新路的路口，我记错了": "不对" asks for a change, and
    "地址是…" (``field_statement``) says what the address is.
    """
    change = change_request(text)
    if change is not None and change.new_value is None:
        stated = field_statement(text)
        if stated is not None and stated.field == change.field and stated.new_value:
            return stated
    return change


#: Units a number is written with in an address ("1250 号", "3 栋").
_UNITS = "号栋楼室"


def _substitution_part() -> str:
    """The words of one side of "是 X，不是 Y": no clause marks or spaces, except a space
    between a number and its unit ("1250 号") or after a block ("中岛町3丁目 5-3")."""
    return rf"(?:[^，,。.！!？?；;\s]|(?<=\d)\s(?=[{_UNITS}])|(?<=[丁目号])\s(?=\d)){{2,30}}?"


_SUBSTITUTIONS = (
    # "是南山大道，不是南海大道", "应该是88号不是86号", Cantonese "係120唔係210"
    re.compile(
        rf"(?:应该是|其实是|是|系)\s*(?P<new>{_substitution_part()})\s*[，,]?\s*(?:而)?(?:不是|唔系)\s*"
        rf"(?P<old>{_substitution_part()})[呀啊啦喇了喔哦咯吖嘛]?(?=$|[，,。.！!？?；;\s])"
    ),
    # "不是南海大道，是南山大道", "不是86号而是88号"
    re.compile(
        rf"(?:不是|唔系)\s*(?P<old>{_substitution_part()})\s*[，,]?\s*(?:而|应该|其实)?(?:是|系)\s*"
        rf"(?P<new>{_substitution_part()})(?=$|[，,。.！!？?；;\s])"
    ),
    # "it's Shennan Road, not Shenhai Road", "it's 25 not 23"
    mixed_pattern(
        r"\b(?:it's|it is|its|should be|i meant|meant)\s+(?:actually\s+|really\s+)?"
        r"(?P<new>[\w'-]+\.?(?:\s+[\w'-]+\.?){0,4}?)"
        r",?\s+not\s+(?P<old>[\w'-]+(?:\s+[\w'-]+){0,4}?)(?=$|[,.!?;—–]|\s+[-—–])"
    ),
    # "last two digits are 87 not 78", "the number is 138… not 139…"
    mixed_pattern(
        r"\b(?:are|is|should be)\s+(?P<new>\d[\d ]*\d)\s*,?\s*(?:and\s+)?not\s+"
        r"(?P<old>\d[\d ]*\d)\b"
    ),
    # "it's not Shenzhen Bay Road, it's Houhai Avenue", "not 23 but 25", "not Sajik — it's …"
    mixed_pattern(
        r"\bnot\s+(?P<old>[\w'-]+(?:\s+[\w'-]+){0,4}?)\s*(?:,|[—–]|\s-)?\s+"
        r"(?:it's|it is|its|but|rather|it should be)\s+"
        r"(?P<new>[\w'-]+(?:\s+[\w'-]+){0,9}?)(?=$|[,.!?;])"
    ),
)
#: The last word of a place name: two of them are two names for one thing, a place.
_PLACE_KIND = mixed_pattern(
    r"(?:路|大道|街|巷|站|口|门|号|花园|小区|大厦|\b(?:road|rd|street|st|avenue|ave|lane|way"
    r"|boulevard|drive|station|exit|gate|park|plaza|building|tower|estate|village|market))$"
)


def substitution(text: str) -> tuple[str, str] | None:
    """ "是南山大道，不是南海大道", "it's Shennan Road, not Shenhai Road": (old, new) words.

    The words are the resident's own (same script and case); the form looks for the old
    ones in what was already answered.
    """
    folded = fold(text)
    for pattern in _SUBSTITUTIONS:
        found = pattern.search(folded)
        if found:
            old = text[found.start("old") : found.end("old")].strip()
            new = text[found.start("new") : found.end("new")].strip()
            if old and new and fold(old) != fold(new) and _alike(fold(old), fold(new)):
                return old, new
    return None


#: "actually more like no. 26", "sorry, number 26", "其实是26号": a house number said again
#: with a word of correction, and nothing else of a place.
_RENUMBERED = mixed_pattern(
    r"^\W*(?:(?:actually|sorry|oops|no wait|wait|i mean|i meant|more like|make that|"
    r"correction)[\s,:.-]*)+(?:it'?s\s+|its\s+)?(?:more like\s+|closer to\s+)?"
    r"(?:(?:no|nr|number)\.?\s*|#\s*)?(?P<number>\d{1,4}[a-z]?)\b"
    r"(?!\s*(?:min|mins|minutes?|hours?|hrs?|days?|weeks?|months?|years?|times|people|am|pm"
    r"|%|percent|dollars?|bucks|euros?)\b)"
    r"|^\W*(?:其实|应该|不对|说错了|搞错了|是)+[，,\s]*(?:是)?\s*(?P<zh>\d{1,4})\s*号",
    re.IGNORECASE,
)


def renumbered(text: str) -> str | None:
    """The house number a message corrects to, said alone with a word of correction."""
    found = _RENUMBERED.search(fold(text or ""))
    if found is None:
        return None
    return found.group("number") or found.group("zh")


def corrected_answer(text: str) -> str | None:
    """ "no wait, it's not Shenzhen Bay Road, it's Houhai Avenue, outside exit D": the
    answer from the corrected words on ("Houhai Avenue, outside exit D"), or None.

    An answer that corrects itself as it goes keeps only what the resident settled on.
    """
    folded = fold(text)
    # "等下不对，不是车公庙，是竹子林，我记错了": said to be a mistake, any two names.
    owned_up = bool(_OWNS_UP.search(folded))
    for pattern in _SUBSTITUTIONS:
        found = pattern.search(folded)
        if found and found.start("new") > found.start("old"):
            old, new = folded[found.start("old") : found.end("old")], found.group("new")
            if (
                old.strip()
                and fold(old) != fold(new)
                and (owned_up or _alike(old.strip(), new.strip()))
            ):
                return _settled(text[found.start("new") :]) or None
    return None


#: Words owning up to a slip: the two names around "不是…是…" are then a correction.
_OWNS_UP = mixed_pattern(
    r"记错|说错|搞错|讲错|写错|打错|弄错|\bi meant\b|\bmy (?:bad|mistake)\b"
    r"|\bsorry,? (?:i mean|wrong)\b|\bwrong (?:one|street|place|station)\b"
    r"|\bno wait\b|\bwait,? no\b|\bactually no\b|等等不对|等下不对",
    re.IGNORECASE,
)


#: A clause that only apologises ("…port terminal, sorry, the pedestrian underpass…").
_BARE_APOLOGIES = frozenset(
    {"sorry", "oops", "i mean", "抱歉", "不好意思", "唔好意思", "sorry i mean"}
)


def _settled(rest: str) -> str:
    """The corrected words without an "I got it wrong" clause, or a name said again in full.

    "竹子林，我记错了，竹子林地铁站C口往西那段" → "竹子林地铁站C口往西那段".
    """
    clauses = [c.strip() for c in re.split(r"[，,；;。]", rest) if c.strip()]
    kept = [
        c
        for c in clauses
        if not _OWNS_UP.fullmatch(_OWNING_UP_CLAUSE.sub("", fold(c)))
        and fold(c) not in _BARE_APOLOGIES
    ]
    kept = [
        c for i, c in enumerate(kept) if not any(fold(c) in fold(later) for later in kept[i + 1 :])
    ]
    joiner = "，" if any("\u4e00" <= ch <= "\u9fff" for ch in rest) else ", "
    return joiner.join(kept).strip().rstrip("。.!！")


#: What a clause owning up to a slip says besides the slip: "我", "了", "sorry".
_OWNING_UP_CLAUSE = re.compile(r"^(?:哦|噢|啊|我|刚才|刚刚|sorry|oops|\s)+|(?:了|啦|咗|\s|!|！)+$")


def _alike(old: str, new: str) -> bool:
    """Two spellings of one kind of thing: "南海大道"/"南山大道", "86号"/"88号", "23"/"25 …".

    "我不是来找茬的，是真的忍不了" contrasts two clauses; it corrects nothing.
    """
    digits = any(c.isdigit() for c in old) and any(c.isdigit() for c in new)
    # "outside Yitian station, not Shixia": a place said in full for one named short.
    places = bool(_PLACE_KIND.search(old) and _PLACE_KIND.search(new)) or bool(
        _PLACE_KIND.search(new) and len(old.split()) == 1 and old[:1].isalpha()
    )
    # "not Sajik — it's the bus stop outside Sports Complex station exit 1": a name said
    # again as a place described in full.
    described = bool(_PLACE_WORD_ANYWHERE.search(new)) and len(old.split()) <= 2
    return digits or places or described or old[0] == new[0] or old[-1] == new[-1]


_PLACE_WORD_ANYWHERE = mixed_pattern(
    r"\b(?:station|stop|exit|gate|entrance|road|street|avenue|square|park)\b|路|街|站|口|门"
)


_FIRST_CLAUSE = re.compile(r"^[^。｡！？；，,.!?;:\n]*")
_BUT = Vocabulary(
    ("但", "但是", "不过", "可是", "只是", "补充", "还有", "另外", "除了",
     "but", "however", "though", "except", "add", "also")
)  # fmt: skip


#: "对了" opening a clause is "by the way" ("哦对了，…"), not "that's right".
_BY_THE_WAY = re.compile(r"(?:哦|噢|喔|啊|诶|欸|哎|唉|嗯)?对了")


def opens_with_affirmation(text: str) -> bool:
    """Yes, then something else: "冇問題，幫我報咗佢。大概幾時會有人嚟整？", "ok submit. how long?".

    The first clause must be an affirmation on its own (``is_affirmation``) and no later
    clause may add a "but" or something more ("对，不过还有一点", "yes, but add the floor")
    or name one of the form's fields ("好，电话就不留了").
    """
    found = clauses(text)
    if len(found) < 2 or not made_of(found[0], _AFFIRMATIONS, (FILLERS, _AFFIRMATION_OBJECTS)):
        return False
    if _BY_THE_WAY.fullmatch("".join(found[0])):
        return False  # "哦对了，西乡到罗湖要多少钱": "by the way", not "yes"
    if any(_BUT.found_in(clause) for clause in found[1:]):
        return False
    # "好，电话就不留了" changes the phone: a later clause naming a field is no plain yes.
    rest = _FIRST_CLAUSE.sub("", fold(text), count=1)
    return _field(rest, before=len(rest))[0] is None


#: Chinese question words. "?" and "？" fold to the same character and are checked first.
_QUESTION_WORDS_ZH = (
    "怎么", "怎样", "几点", "多少", "哪里", "哪儿", "哪个", "哪些", "哪一", "哪条", "哪路",
    "哪家", "哪天", "什么时候", "什么", "为什么", "为何", "何时", "几时", "多久", "多长时间",
    "是否", "有没有", "能不能", "可不可以", "会不会", "要不要", "是不是", "行不行", "对不对",
    "好不好", "能否", "可否", "如何", "咋", "啥", "几号", "几路", "几站",
    "点样", "几多", "边度", "边个", "咩", "乜嘢", "有冇", "系咪", "得唔得", "可唔可以",
)  # fmt: skip
#: Question words inside statements: "不知道怎么回事，路灯不亮" describes, it does not ask.
_NOT_QUESTIONS_ZH = re.compile(
    r"(?:不知道|不清楚|不晓得|不确定|不记得|忘了|说不清|搞不清)[^,.!?;。，！？；]{0,4}?"
    r"(?:怎么|什么|为什么|为何|哪|多少|几|是否)"
    r"|怎么回事|什么的|没什么|没啥|多少有|不管怎么|无论如何|不知为何"
    # "啊不对不对，地址说错了": a "no" said twice, not "对不对？"
    r"|不对不对|不是不是|不行不行"
)
_QUESTION_END_ZH = re.compile(r"(?:吗|(?<![这那什怎多要])么|呢|了没有?)$")
_QUESTION_OPENERS = (
    r"^(?:(?:hi|hello|hey|sorry|excuse me|and|also|so|ok|okay|btw|by the way|but|oh|wait|um|"
    r"actually|quick question|hold on|hang on|one sec)[\s,]+)*"
)
_QUESTION_START_EN = mixed_pattern(
    _QUESTION_OPENERS
    + r"(?:how|what|when|where|which|who|whom|whose|why|whats|hows|whens|wheres|whos|"
    r"is|are|am|was|were|can|could|do|does|"
    r"did|will|would|should|shall|has|have|had|isn't|aren't|can't|couldn't|don't|doesn't|"
    r"didn't|won't|wouldn't|shouldn't|may i|may we)\b"
)
#: A question asked after something else in the same message ("its on polk near... wait
#: actually whats the last train"): only a question word opens it there.
_LATER_QUESTION_EN = mixed_pattern(
    _QUESTION_OPENERS + r"(?:how|what|when|where|which|whats|hows|whens|wheres)(?:['’]s)?\s+"
    r"(?:is|are|was|were|does|do|did|will|would|can|should|the|time|about|much|many|long|"
    r"far|to|train|bus|next|last|first)\b"
)
_NOT_QUESTIONS_EN = mixed_pattern(r"^(?:i\s+)?(?:don't|do not|dont)\s+know\b|^dunno\b")


def looks_like_question(text: str) -> bool:
    """True when the message asks something instead of answering the form's question.

    "车公庙下一班车几点？" asks; "车公庙地铁站A出口" answers "where is it?".
    Signs: a question mark; a Chinese question word (怎么, 几点, 哪里, 有没有 …) or
    end particle (吗, 呢, "修了没有"); an English sentence opening with a
    question word or auxiliary ("how", "is", "can" …). Statements that use a
    question word ("不知道怎么回事", "don't know") are not questions.
    """
    folded = fold(text).strip()
    if not folded:
        return False
    if "?" in folded:
        return True
    chinese = _NOT_QUESTIONS_ZH.sub("", folded)
    if any(word in chinese for word in _QUESTION_WORDS_ZH):
        return True
    if _QUESTION_END_ZH.search(re.sub(r"[\s.!。~…]+$", "", chinese)):
        return True
    if _NOT_QUESTIONS_EN.match(folded):
        return False
    if _QUESTION_START_EN.match(folded):
        return True
    later = [part.strip() for part in re.split(r"[.,;!…]+", folded)[1:]]
    return any(_LATER_QUESTION_EN.match(part) for part in later if part)
