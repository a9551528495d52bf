"""Contact phone numbers in complaints: find them, mask them, and hear "no, thanks".

Why this matters: a phone number is personal data. The form stores only the
number it parsed, the summary and every echo of the resident's words show it
masked ("138****8000"), and a number typed into the description is masked
before the description is repeated back.

What counts as a contact number depends on the city's phone region
(``city.phone_region``). In Shenzhen's, ``CN`` (the default):

* a mainland mobile, ``1[3-9]`` + 9 digits, written whole or in 3-4-4 groups
  with the same space or dash ("138 0013 8000", "138-0013-8000"), with or
  without +86 / 0086 / 86 in front → the 11 digits;
* an international number in E.164 form, "+" then 8–15 digits, spaces or
  dashes allowed between digits ("+44 7911 123456") → "+" and the digits.

Not contact numbers: landlines (also +86 landlines: the city calls back and
texts mobiles), 10- or 12-digit numbers, and any digits that are part of a
longer run of digits or letters — order numbers, 18-digit ID numbers, ticket
numbers such as SR20261234, dates and house numbers.

Elsewhere, Google's libphonenumber (``phonenumbers``) reads the region's own national
formats ("(415) 555-2671" in the US, "07911 123456" in Britain, "030 1234567" in
Germany) and international ones; a valid mobile or fixed line is kept in E.164
("+14155552671") and masked like an international number ("+141****2671").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberType

from actions.complaints.text import Vocabulary, clauses, fold, made_of, tokens
from bot.language.mixed_script import mixed_pattern
from bot.language.script import is_han, to_simplified

#: The region whose rules are the original, hand-written ones: mainland mobiles only.
MAINLAND = "CN"
#: Numbers a department can call back elsewhere (not toll-free, premium or pager numbers).
_CONTACT_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.PERSONAL_NUMBER,
        PhoneNumberType.VOIP,
    }
)

#: Separators residents put between digit groups (the dash variants of phone keyboards).
_SEPARATOR = "[ \\-\u2010\u2011\u2012\u2013\u2014]"

_MAINLAND = re.compile(
    r"(?<![0-9a-z+])(?<!\d-)"
    r"(?:(?:\+|00)86" + _SEPARATOR + r"?|86" + _SEPARATOR + r"?|\(\+?86\)\s?)?"
    r"(?P<number>1[3-9]\d(?P<sep>" + _SEPARATOR + r"?)\d{4}(?P=sep)\d{4})"
    r"(?![0-9a-z])(?!-\d)"
)
_INTERNATIONAL = re.compile(
    r"(?<![0-9a-z+])\+(?P<number>[1-9](?:" + _SEPARATOR + r"?\d){7,14})"
    r"(?![0-9a-z])(?!" + _SEPARATOR + r"\d)"
)
#: A message of digits and separators only, in any grouping.
_DIGITS_ONLY = re.compile(r"\s*\d[\d ]{9,20}\s*")
#: Digits kept visible at the start of a masked international number, at most.
_INTERNATIONAL_VISIBLE_START = 4
#: Digits kept visible at the end of any masked number.
_VISIBLE_END = 4


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    #: Where the digits of the number itself begin (after +86, after "+").
    number_start: int
    phone: str


def _find_all(text: str, region: str = MAINLAND) -> list[_Found]:
    """Every contact number in ``text``, in order, with its span in ``text``."""
    if region != MAINLAND:
        return _find_all_in(text, region)
    folded = fold(text)
    found: dict[int, _Found] = {}
    for match in _MAINLAND.finditer(folded):
        digits = re.sub(r"\D", "", match.group("number"))
        found[match.start()] = _Found(match.start(), match.end(), match.start("number"), digits)
    for match in _INTERNATIONAL.finditer(folded):
        digits = re.sub(r"\D", "", match.group("number"))
        # +86 numbers are mainland numbers: a mobile was found above, a landline is not wanted.
        if digits.startswith("86") or match.start() in found:
            continue
        if any(other.start < match.end() and match.start() < other.end for other in found.values()):
            continue
        found[match.start()] = _Found(
            match.start(), match.end(), match.start("number"), "+" + digits
        )
    return [found[start] for start in sorted(found)]


def _find_all_in(text: str, region: str) -> list[_Found]:
    """Every contact number in ``text`` as written in ``region`` or internationally."""
    folded = fold(text)
    found = []
    for match in phonenumbers.PhoneNumberMatcher(folded, region, leniency=Leniency.VALID):
        if phonenumbers.number_type(match.number) not in _CONTACT_TYPES:
            continue
        first_digit = next(
            (i for i, char in enumerate(match.raw_string) if char.isdigit() or char == "+"), 0
        )
        number_start = match.start + first_digit + (match.raw_string[first_digit] == "+")
        phone = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
        found.append(_Found(match.start, match.end, number_start, phone))
    return found


#: Digits as a voice keyboard or a careful resident writes them: "一三九二二二二三三三三"
#: (幺 and 洞 as read out on the phone). Matched in Simplified; a character map, not a
#: word list, so the pattern names the characters by code point.
_SPOKEN_DIGIT = {
    "\u96f6": "0", "\u3007": "0", "\u6d1e": "0", "\u5e7a": "1", "\u4e00": "1",
    "\u4e8c": "2", "\u4e24": "2", "\u4e09": "3", "\u56db": "4", "\u4e94": "5",
    "\u516d": "6", "\u4e03": "7", "\u516b": "8", "\u4e5d": "9",
}  # fmt: skip
#: A run of them this long is a number read out, not words ("一个", "三五天").
_SPOKEN_NUMBER = re.compile(
    "[" + "".join(f"\\u{ord(char):04x}" for char in _SPOKEN_DIGIT) + "]{7,}"
)


def spoken_digits(text: str) -> str:
    """ "电话是一三九二二二二三三三三" → "电话是13922223333": long runs of digit words only."""
    simplified = to_simplified(text)
    if len(simplified) != len(text) or not _SPOKEN_NUMBER.search(simplified):
        return text
    return _SPOKEN_NUMBER.sub(lambda m: "".join(_SPOKEN_DIGIT[c] for c in m.group(0)), simplified)


def parse_phone(text: str, region: str = MAINLAND) -> str | None:
    """The first contact number in ``text``: "13800138000" or "+447911123456"; else None.

    "我的电话是 138 0013 8000" → "13800138000"; "+86 138-0013-8000" → "13800138000";
    "0755-8888 8888" (landline) → None; "订单号 2025113800138000" → None. In another
    ``region`` the number comes in E.164: "(415) 555-2671" in ``US`` → "+14155552671".
    """
    text = spoken_digits(text or "")
    found = _find_all(text, region)
    if not found and _DIGITS_ONLY.fullmatch(fold(text or "")):
        # "1391234567 8": a number typed with a slip of the space bar.
        found = _find_all(re.sub(r"[\s\-()]", "", fold(text)), region)
    return found[0].phone if found else None


def _masked_positions(digit_count: int, mainland: bool) -> range:
    """Which digits (by index among the number's digits) are hidden.

    Mainland mobiles follow the national habit, 3 shown + 4 hidden + 4 shown.
    International numbers show the last four digits and, at the start, the
    country code and a little more: as many digits as are hidden, at most four
    ("+447911123456" → "+4479****3456", "+14155552671" → "+141****2671").
    """
    if mainland:
        return range(3, 7)
    hidden_or_start = digit_count - _VISIBLE_END
    start = min(_INTERNATIONAL_VISIBLE_START, hidden_or_start // 2)
    return range(start, hidden_or_start)


def _mask_digits(written: str, mainland: bool) -> str:
    """``written`` with the hidden digits replaced by "*", separators and the rest kept."""
    digit_count = sum(1 for char in fold(written) if char.isdigit())
    return _hidden(written, _masked_positions(digit_count, mainland))


def _hidden(written: str, hidden: range) -> str:
    """``written`` with its digits at ``hidden`` (counted among its digits) as "*"."""
    out = []
    index = 0
    for char, folded in zip(written, fold(written), strict=True):
        if folded.isdigit():
            out.append("*" if index in hidden else char)
            index += 1
        else:
            out.append(char)
    return "".join(out)


def mask_phone(phone: str, region: str = MAINLAND) -> str:
    """A phone number as it may be shown: "13800138000" → "138****8000".

    International numbers (and every number outside the mainland): see
    ``_masked_positions`` ("+447911123456" → "+4479****3456"). A value that is not a
    contact number keeps only its last four digits visible.
    """
    parsed = parse_phone(phone, region)
    if parsed is None:
        digits = [index for index, char in enumerate(phone) if char.isdigit()]
        hidden = set(digits[: max(0, len(digits) - _VISIBLE_END)])
        return "".join("*" if index in hidden else char for index, char in enumerate(phone))
    if parsed.startswith("+"):
        national = _national(parsed, region)
        if national is not None:
            return national
        return "+" + _mask_digits(parsed[1:], mainland=False)
    return _mask_digits(parsed, mainland=True)


def _national(phone: str, region: str) -> str | None:
    """A number of the city's own country as residents write it, masked: "(917) ***-0134".

    "+191****0134" reads as a foreign number to a New Yorker; the area code and the last
    four digits are what a resident checks. None for a number of another country.
    """
    if region == MAINLAND:
        return None
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.region_code_for_number(number) != region.upper():
        return None
    written = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    digits = sum(1 for char in written if char.isdigit())
    return _hidden(written, range(min(3, max(0, digits - _VISIBLE_END - 1)), digits - _VISIBLE_END))


def mask_phones_in(text: str, region: str = MAINLAND) -> str:
    """``text`` with every contact number masked where it stands, as the resident wrote it.

    "电话 138 0013 8000，SR20261234" → "电话 138 **** 8000，SR20261234": ticket
    numbers, ID numbers, dates and house numbers are left alone.
    """
    out = []
    position = 0
    for found in _find_all(text, region):
        out.append(text[position : found.number_start])
        written = text[found.number_start : found.end]
        out.append(_mask_digits(written, mainland=not found.phone.startswith("+")))
        position = found.end
    out.append(text[position:])
    return "".join(out)


_DECLINES = Vocabulary(
    (
        "不用", "不用了", "不留", "不留了", "没有", "没", "无", "跳过", "不需要", "不必", "不必了",
        "不想留", "不方便", "不方便留", "不给", "不提供", "不想给", "不想提供", "保密", "匿名",
        "不要留", "不用留", "别留", "免了", "不了", "略过", "空着", "留空", "不填", "不写", "暂不",
        "暂时不留", "先不留", "就算了", "不愿意", "不愿意留", "不用联系", "别打", "不要打",
        "唔使", "唔洗", "唔需要", "唔留", "冇", "唔好", "唔要", "唔想留",
        "no", "nope", "nah", "skip", "no thanks", "no thank you", "no need", "n/a", "na",
        "none", "not needed", "not necessary", "rather not", "prefer not", "don't want",
        "do not want", "don't have", "do not have", "pass", "anonymous", "not now", "blank",
        "leave it blank", "without", "don't call", "do not call", "no calls", "not giving",
        "no way", "nothing",
    )
)  # fmt: skip
_PHONE_WORDS = Vocabulary(
    ("电话", "号码", "手机", "手机号", "联系方式", "phone", "number", "mobile", "contact",
     "call me", "cell", "cellphone", "cell phone", "text me", "reach me", "ring me", "tel")
)  # fmt: skip
#: A phrase that declines the phone whatever else the message says.
_DECLINED_IN_SO_MANY_WORDS = mixed_pattern(
    r"\bno (?:phone|number|cell|calls?|contact)\b(?!\s+(?:signal|service|battery|reception))"
    r"|\bwithout (?:a |my )?(?:phone|number)\b|\bskip (?:the )?(?:phone|number)\b"
    r"|\b(?:don'?t|do not|no) need to (?:call|contact|text)\b"
    r"|\b(?:don'?t|do not) (?:call|contact|text) me\b"
    r"|\bno need (?:for )?(?:a |my )?(?:phone|number)\b"
    r"|不用打(?:电话|给我)|唔使打(?:电话|俾我)|不用联系我|唔使联络我",
    re.IGNORECASE,
)
#: Letters around a lone number that still make the message that number.
MAX_WORDS_AROUND_A_NUMBER = 6
#: Latin words around a lone number that still make the message that number.
MAX_LATIN_WORDS_AROUND_A_NUMBER = 3
#: What a number is written with besides its digits: "415-555-0167", "(415) 555.0110".
_NUMBER_PUNCTUATION = str.maketrans("", "", " -().+/")
#: What may come with a decline: "不留电话了，谢谢", "no, I'd rather not give my number".
_DECLINE_COMPANIONS = Vocabulary(
    (
        "电话", "号码", "手机", "手机号", "电话号码", "手机号码", "联系方式", "联系电话", "号",
        "联络方式", "联络电话", "联络",
        "留", "给你", "给", "你", "你们", "我", "联系我", "联系", "回访", "回电", "打电话",
        "打给我", "了", "吧", "啦", "呀", "啊", "哦", "嗯", "的", "谢谢", "谢了", "这个", "先",
        "就", "也", "没关系", "麻烦了", "暂时", "喇", "咯",
        # "那就不留了", "算了不留了", "then no": the decline after the question's rejection
        "那", "那就", "那么", "咁", "咁就", "算了", "then", "so", "well", "oh",
        "phone", "number", "phone number", "mobile", "contact", "my", "a", "it", "one", "to",
        "give", "share", "leave", "provide", "please", "thanks", "thank you", "you", "that",
        "this", "details", "call", "me", "i", "i'd", "i'll", "not", "out", "any", "thx", "say",
        "ok", "okay", "sorry", "just", "id", "im", "ill", "i would", "would",
        # asking leave to decline: "电话就不留了可以吗", "can I skip it, is that ok?"
        "可以吗", "可以么", "行吗", "行不行", "好吗", "可不可以", "得唔得", "得吗", "可以嘛", "吗",
        "is that ok", "is that okay", "can i", "ok?", "alright",
    )
)  # fmt: skip


#: Where one clause of a written answer ends: "支灯柱写住 FT-1128，我电话係 135…".
_CLAUSE_BREAK = re.compile(r"(?<=[,，。;；!！?？\n])|(?<=\.)(?=\s)|(?<=[:：])(?=\s*\D)")
#: "can you tell them the bins overflow too": the words for the department follow.
_TELL_THEM = re.compile(
    r"^(?:oh|and|also|plus|\s)*(?:(?:can|could) you |please )?"
    r"(?:tell|let) (?:them|the department)(?: know)?(?: that)?\s+"
    r"|^(?:还有|另外)?(?:麻烦)?(?:跟|和|同)(?:他们|佢哋)说(?:一下)?",
    re.IGNORECASE,
)
#: Words about being called back or about the number itself, not about the problem:
#: "随时可以打", "call after 6", "哦少打了一位".
_ABOUT_CALLING = mixed_pattern(
    r"随时|可以打|打我|打这个|打给|回电|联系我|白天|晚上打|少打|多打|打错|输错|写错|按错|[少多漏]了?一位"
    r"|\bcall\b|\banytime\b|\bany time\b|\btext\b|\btypo|\bmistyped|\bdigit",
    re.IGNORECASE,
)


def beside_the_number(text: str, region: str = MAINLAND) -> list[str]:
    """What an answer with a phone number says besides the number, clause by clause.

    "支灯柱写住 FT-1128，我电话係 13560781234" → ["支灯柱写住 FT-1128"]; "phone is
    13912345678. it's not blocking the road" → ["it's not blocking the road"]; "Sure,
    it's 17727654321. Oh and can you tell them the bins overflow too" → ["Sure", "the
    bins overflow too"]. Clauses holding the number, and clauses about being called back
    ("随时可以打"), are left out.
    """
    kept = []
    for part in _CLAUSE_BREAK.split(text or ""):
        clause = part.strip().rstrip(",，。;；!！:：").strip()
        if not clause or parse_phone(clause, region) or _ABOUT_CALLING.search(fold(clause)):
            continue
        if mistyped_number(clause):
            continue  # "电话 1376001234": the number, one digit short
        clause = _TELL_THEM.sub("", clause).strip()
        if clause:
            kept.append(clause)
    return kept


_DIGIT_RUN = re.compile(r"(?<![0-9a-z])\d[\d \-]{5,16}\d(?![0-9a-z])")


def mistyped_number(text: str) -> str | None:
    """ "电话 1376001234": digits given as the phone that are no phone number; else None.

    The message names the phone and holds a run of 7 to 18 digits that is not a valid
    number (a digit short, a digit too many). Such an answer is a slip to be asked
    again, not more about the problem.
    """
    if not names_phone(text):
        return None
    match = _DIGIT_RUN.search(fold(text))
    return match.group(0) if match else None


def names_phone(text: str) -> bool:
    """The message speaks of the phone ("不用电话", "no number")."""
    return _PHONE_WORDS.found_in(tokens(text))


#: Someone else's number in a pasted notice: "联系人：业委会刘姐 13600001111".
_SOMEONE_ELSES = mixed_pattern(
    r"联系人|业委会|物业|居委|社区|[\u4e00-\u9fff](?:姐|哥|叔|伯|姨|阿姨|师傅|老师|经理|主任|书记)"
    r"|\bcontact (?:person|is)\b|\b(?:his|her|their)\b|\b(?:the )?(?:landlord|manager|super)'?s\b",
    re.IGNORECASE,
)
_MINE = mixed_pattern(r"我|本人|\bmy\b|\bme\b|\bmine\b|\bi'?m\b", re.IGNORECASE)


def someone_elses_number(text: str, region: str = MAINLAND) -> bool:
    """The clause holding the number says it is another person's, and not the resident's.

    "联系人：业委会刘姐 13600001111" in an owners' group notice pasted whole is 刘姐's;
    "我孙子帮我打的字，留他电话吧 13912346789" is still to be called (我 is there).
    """
    for part in _CLAUSE_BREAK.split(text or ""):
        if parse_phone(part, region):
            folded = fold(part)
            return bool(_SOMEONE_ELSES.search(folded)) and not _MINE.search(folded)
    return False


def phone_given(text: str, region: str = MAINLAND) -> str | None:
    """The number of a message that gives one unasked: it names the phone, or is only digits.

    "我孙子帮我打的字，留他电话吧 13912346789" → "13912346789"; "(415) 555-0167" and
    "yeah u can text me at 415-555-0167" → the number; "福华三路88号2栋" → None; nor is
    "联系人：业委会刘姐 13600001111" in a pasted notice (``someone_elses_number``).
    """
    phone = parse_phone(text, region)
    if phone is None or someone_elses_number(text, region):
        return None
    if _PHONE_WORDS.found_in(tokens(text)) or text.translate(_NUMBER_PUNCTUATION).isdigit():
        return phone
    last = re.split(r"[.!?;。！？；\n]\s+|[，,]\s*", text.strip())[-1].strip(" .。")
    if last and last.translate(_NUMBER_PUNCTUATION).isdigit() and parse_phone(last, region):
        # "…is overflowing again. 819-555-0183": a number said on its own at the end
        return phone
    rest = re.sub(r"[\d()+./-]", " ", text)
    han = sum(1 for char in rest if is_han(char))
    latin = len(re.findall(r"[^\W\d_]+", re.sub(r"[\u4e00-\u9fff]", " ", rest)))
    if han <= MAX_WORDS_AROUND_A_NUMBER and latin <= MAX_LATIN_WORDS_AROUND_A_NUMBER:
        # "不好意思，206-623-8812", "oh right 212-555-0173": the number, with a word or two
        return phone
    return None


def declines_phone(text: str) -> bool:
    """True when the resident would rather not leave a number.

    "不用了", "不留电话", "無", "跳过", "no thanks", "skip", "n/a" → True.
    A longer message declines when one of its clauses does and names the phone
    ("好，继续刚才那个，电话就不留了"). False whenever the message contains a digit
    (it may be the number after all) and for anything else with more to it:
    "没问题" and "no problem" agree, they do not decline. "算了" alone is left to
    ``is_cancel_request``.
    """
    if any(char.isdigit() for char in fold(text)):
        return False
    if made_of(tokens(text), _DECLINES, (_DECLINE_COMPANIONS,)):
        return True
    if _DECLINED_IN_SO_MANY_WORDS.search(fold(text)):
        return True  # "ya go no phone", "… somebody dumped it overnight. dont need to call me"
    # "好，继续刚才那个，电话就不留了": one clause declines, naming the phone. Residents
    # typing on a phone often separate clauses by spaces: "好 坑的事 不挡路 电话不留了".
    found = clauses(text)
    if found and made_of(found[-1], _DECLINES, (_DECLINE_COMPANIONS,)):
        return True  # "do i have to? … just skip it": the last word is the decision
    parts = [tokens(part) for part in re.split(r"[\s,.!?;:，。！？；：、]+", text) if part]
    return any(
        made_of(part, _DECLINES, (_DECLINE_COMPANIONS,)) and _PHONE_WORDS.found_in(part)
        for part in [*clauses(text), *parts]
        if part
    )
