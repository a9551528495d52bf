"""Which permit the resident means: the NLU entity, the catalogue's own names, or context.

The NLU model knows the permit types it was trained on; a city's catalogue may hold
others, or add one tomorrow. So the resident's words are also matched against the
names (and optional ``aliases``) the catalogue gives for each type, which makes a new
type recognisable the day it is published. When nothing matches but the message
clearly names *some* permit ("驾照", "a work visa"), that is worth saying: "the
city's catalogue has nothing on that" is a better answer than "which permit?".

All functions here are pure: the caller passes the catalogue it fetched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz, process

from actions.clients.permits import PermitService
from actions.permits.lookup import CONFIDENT_SCORE, index_for, names_of
from bot.language.mixed_script import mixed_pattern
from bot.language.normalise import nlu_text
from bot.language.script import to_simplified
from bot.matching.features import fold
from bot.matching.index import sound

#: How well a follow-up naming no permit must fit another entry to leave the one discussed.
FOLLOW_UP_SCORE = CONFIDENT_SCORE * 1.5
#: A name shorter than this is not looked for inside a message ("证" would match everything).
MIN_NAME_CHARS = 2
#: The longest permit phrase quoted back to the resident.
MAX_ASKED_CHARS = 30

#: Words that name a permit in general rather than one permit: alone they say nothing.
GENERIC_NAMES = frozenset(
    {
        "证",
        "证件",
        "证明",
        "证照",
        "执照",
        "许可",
        "许可证",
        "牌照",
        "permit",
        "permits",
        "licence",
        "license",
        "licences",
        "licenses",
        "certificate",
        "card",
        "pass",
        "document",
        "documents",
    }
)

# A Chinese permit noun ends in one of these; up to five characters come before it.
_ZH_PERMIT = re.compile(r"([\u4e00-\u9fff]{0,5}?)(证明|证|执照|照|许可证|许可|签证)")
# Characters of the question around a permit's name, never part of it: the name
# starts after the last of them ("我想办驾照" → 驾照, "需要什么证件" → 证件).
_ZH_BOUNDARY = frozenset(
    "我你您想要办理申请问怎么如何去哪里在个的那这给帮查下张本新补换领续考拿带提供准备需什么些啥多少几呢吗话寄"
)
_EN_PERMIT = re.compile(
    r"((?:[a-z][a-z'-]*\s+){0,3}?(?:licen[cs]e|permit|certificate|visa|card|registration|pass))\b",
    re.ASCII,  # "我的driving license下个月": the word ends before 下
)
_EN_LEADING = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "our",
        "your",
        "for",
        "get",
        "getting",
        "to",
        "apply",
        "renew",
        "new",
        "about",
        "of",
        "is",
        "need",
        "what",
        "how",
        "much",
        "long",
        "does",
        "do",
        "i",
        "can",
        "where",
        "and",
        "or",
        "with",
        "on",
        "in",
        "which",
        "this",
        "that",
        "these",
        "any",
        "some",
        "kind",
        "type",
        "sort",
    }
)


class Found(Enum):
    KNOWN = "known"
    #: Several entries fit about as well: the resident picks from ``shortlist``.
    SHORTLIST = "shortlist"
    #: The message names a permit the catalogue does not have.
    NOT_IN_CATALOGUE = "not_in_catalogue"
    NONE = "none"


@dataclass(frozen=True)
class PermitChoice:
    """The outcome of reading a message for a permit type."""

    found: Found
    service: PermitService | None = None
    #: What the resident called it, for "I have nothing on “…”".
    asked: str = ""
    #: The closest entries, best first (buttons for a close call or an unknown name).
    shortlist: tuple[PermitService, ...] = ()


def normalise(text: str) -> str:
    """Simplified, lower case, single spaces: how names and messages are compared."""
    return " ".join(to_simplified(text).casefold().split())


def find_in_text(text: str, services: Sequence[PermitService]) -> PermitService | None:
    """The catalogue type whose longest name occurs in ``text`` (None when none does)."""
    if not text.strip():
        return None
    return index_for(services, GENERIC_NAMES).lookup(text).named


def by_id(permit_type: str | None, services: Sequence[PermitService]) -> PermitService | None:
    if not permit_type:
        return None
    return next((s for s in services if s.permit_type == permit_type), None)


def permit_phrase(text: str) -> str | None:
    """A permit the message names, whatever it is ("驾照", "work visa"), or None.

    Used only after the catalogue has been searched, to tell "a permit you don't
    have" from "no permit named at all".
    """
    simplified = to_simplified(text)
    for match in _ZH_PERMIT.finditer(simplified):
        before, noun = match.group(1), match.group(2)
        cut = max((i + 1 for i, char in enumerate(before) if char in _ZH_BOUNDARY), default=0)
        phrase = before[cut:] + noun
        if phrase not in GENERIC_NAMES and len(phrase) >= MIN_NAME_CHARS:
            start = match.end() - len(phrase)
            return text[start : match.end()][:MAX_ASKED_CHARS]
    lowered = text.casefold()
    for match in _EN_PERMIT.finditer(lowered):
        words = match.group(1).split()
        while words and words[0] in _EN_LEADING:
            words.pop(0)
        phrase = " ".join(words)
        if phrase and phrase not in GENERIC_NAMES:
            # Quote the resident's own spelling ("ID card", not "id card").
            pattern = r"\s+".join(re.escape(word) for word in words)
            original = re.search(pattern, text, re.IGNORECASE)
            return (original.group(0) if original else phrase)[:MAX_ASKED_CHARS]
    local = _LOCAL_DOCUMENT.search(text)
    return local.group(0)[:MAX_ASKED_CHARS] if local else None


#: Official documents named in the city's own language inside an English or Chinese
#: message ("my Personalausweis expires", "我的 CNH 过期了"): German, Portuguese,
#: Spanish, French and Italian names of identity cards, passports, driving licences,
#: residence titles and address registration. Facts of those languages.
_LOCAL_DOCUMENT = mixed_pattern(
    r"\b(?:personalausweis|reisepass|f(?:ü|ue)hrerschein|anmeldung|ummeldung"
    r"|meldebescheinigung|aufenthaltstitel|aufenthaltserlaubnis|elterngeld|kindergeld"
    r"|carteira de identidade|carteira de motorista|carteira de trabalho|passaporte|cnh|cpf"
    r"|alvar(?:á|a)|dni|pasaporte|carn(?:e|é)t de conducir|empadronamiento"
    r"|carte d'identit(?:é|e)|passeport|permis de conduire|titre de s(?:é|e)jour"
    r"|carta d'identit(?:à|a)|permesso di soggiorno|codice fiscale)\b",
    re.IGNORECASE,
)


#: Words of a question about getting, renewing or documenting something official.
_PERMIT_QUESTION = mixed_pattern(
    r"办|申请|申领|补办|换领|续签|签注|材料|证件|手续|流程|收费|费用|多少钱|多久|几天|在哪|哪里办|"
    r"办理|窗口|预约|登记|备案|指南|条件|资格|许可|执照|牌照|证照|"
    r"\b(?:apply|application|renew|replace|documents?|papers|requirements?|fee|fees|cost|"
    r"how long|processing|office|where do i|eligib\w*|register|registration|permit|licen[cs]e|"
    r"certificate|visa|card|passport)\b",
    re.IGNORECASE,
)
#: A question this short with no permit named is a follow-up ("多少钱？"), not a new topic.
_SHORT_QUESTION_CHARS = 16


def about_permits(text: str) -> bool:
    """Whether a message that names no catalogue entry still reads as a permit question.

    "需要带什么材料？" and "how much is it?" do (the resident is asked which permit);
    "my landlord won't return my deposit" does not, and gets no permit list.
    """
    simplified = to_simplified(text or "").strip()
    if _BILLS.search(simplified):
        return False  # "能帮我交水电费吗": paying a bill is no permit (its 费 is no fee)
    return len(simplified) <= _SHORT_QUESTION_CHARS or bool(_PERMIT_QUESTION.search(simplified))


#: Household bills and top-ups: what residents pay, not a permit's fee.
_BILLS = re.compile(
    r"水电费|水费|电费|燃气费|煤气费|天然气费|话费|物业费|网费|宽带费|管理费|充值|缴电|交电"
    r"|\b(?:water|electricity|electric|gas|phone|utility|utilities|internet|power)\s+bills?\b"
    r"|\btop\s+up\b",
    re.IGNORECASE,
)


#: Words that say where the resident's household is registered, or name the household
#: register booklet, rather than ask for the household registration service: "我是湖南
#: 户口，在深圳能办吗" asks about the permit under discussion; "要带户口本吗" asks what
#: to bring. "深圳户口怎么办" or "户口迁入" still name the service. ``{city_zh}`` and
#: ``{city_en}`` are the city's own names (any city's: "非穗户", "non-Guangzhou hukou").
_STATUS_WORDS = (
    r"(?:是|系|属于|都是|也是)[\u4e00-\u9fff]{{1,5}}?(?:户口|户籍)(?!迁|怎么|如何)"
    r"|(?:户口|户籍)(?:在|是|属于|不在|不是)[\u4e00-\u9fff]{{1,6}}"
    r"|(?:非(?!常)[\u4e00-\u9fff]{{1,3}}?|外地|外省|外市|农村|城镇|本地|老家的?)(?:户口|户籍|户)"
    r"(?![\u4e00-\u9fff]*(?:迁|入户|落户))"
    r"|户口本|户口簿|户籍证明"
    # "she's Shenzhen hukou, I'm from Guangxi", "my hukou is in Hunan", "non-local hukou".
    r"|\b(?:i'm|i am|she's|she is|he's|he is|we're|we are|they're|they are|both)\s+(?:a\s+)?"
    r"(?:[a-z]+\s+){{0,2}}hukou\b(?:\s+holders?)?"
    r"|\b(?:my|her|his|our|their)\s+hukou\s+(?:is\s+)?(?:still\s+)?(?:in|from|back\s+in|at)\s+\w+"
    r"|\b(?:non-[a-z]+|local|rural|urban|out-of-town)\s+hukou\b"
    r"|\bhukou\s+(?:booklet|book|register)\b"
    # "我係深圳居住证，可唔可以办一签多行？": a permit the resident holds, said as who
    # they are, not asked about; "使唔使去出入境": an office to go to, not a service.
    r"|(?:我|她|他|我们|我老婆|我老公)(?:是|系|有|持有|拿着|拿的是)(?:{city_zh}本市|本地)?的?居住证"
    r"(?!怎么|如何|办|续)"
    r"|\b(?:i|she|he|we) (?:have|hold|am on|'m on) (?:a |an |my |the )?(?:{city_en}local )?"
    r"residence permit\b(?!\s+(?:renew|expir))"
    r"|(?:去|到|跑|上)(?:一趟|一次)?(?:出入境|派出所|民政局|税务局|社保局|车管所|公安局|政务中心|行政服务大厅)"
    # "社保一直交的，居住证也办了": a permit held, said in passing, ends its clause.
    r"|[\u4e00-\u9fff]{{1,6}}?(?:证|照)(?:也|都|早就)(?:办了|办好了|办过了|有了|拿到了)(?=[，,。.！!？?；;\s]|$)"
)


@functools.lru_cache(maxsize=8)
def _status_words(city_names: tuple[str, ...]) -> re.Pattern[str]:
    """``_STATUS_WORDS`` for a city called ``city_names`` (its Chinese and English names)."""
    names = [to_simplified(n.strip()) for n in city_names if n and n.strip()]
    chinese = "".join(re.escape(n) + "|" for n in names if re.search(r"[\u4e00-\u9fff]", n))
    english = "".join(
        re.escape(n.lower()).replace(r"\ ", r"\s+") + " |"
        for n in names
        if not re.search(r"[\u4e00-\u9fff]", n)
    )
    return re.compile(_STATUS_WORDS.format(city_zh=chinese, city_en=english), re.IGNORECASE)


def without_status_words(text: str, city_names: Sequence[str] = ()) -> str:
    """``text`` with the words about the resident's own household registration blanked.

    The same length, so that the rest keeps its place; see ``_STATUS_WORDS``.
    """
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        text = simplified
    spans = [m.span() for m in _status_words(tuple(city_names)).finditer(simplified)]
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


#: "非深户可以在深圳办吗", "不是广州户口能办吗", "can a foreigner apply?": whether one may,
#: i.e. the conditions. Any city's: "非X户" and "不是X户口" name no city in particular.
_ELIGIBILITY = mixed_pattern(
    # "可以在网上办吗" asks how to apply, not who may: online is no place.
    r"(?:可以|能|能不能|可不可以|可唔可以|得唔得)(?:在|喺)(?!网上|线上|手机|掌上|app)"
    r"[\u4e00-\u9fff]{1,6}(?:办|申请|补|领|换)"
    # "我係香港人…可以辦居住證嗎？": may I apply for it at all
    r"|(?:可以|能不能|可不可以|可唔可以|能否)(?:办|申请)(?!加急|急)[\u4e00-\u9fff]{1,8}(?:吗|么|嘛)"
    r"|(?:非(?!常)[\u4e00-\u9fff]{1,3}?户|外地户口|外地人|外国人|不是[\u4e00-\u9fff]{1,4}?(?:户口|户籍))"
    r"[^？?]{0,8}(?:可以|能|能不能|可不可以)"
    # "我係湖南戶口嘅，喺深圳都得？" (read as "在深圳都得?"): here too, for someone from elsewhere
    r"|(?:在|喺)[\u4e00-\u9fff]{1,6}(?:都|也)(?:得|可以|行|能办)(?:办|补|申请|领|换)?(?:吗|嘛|吧)?[？?]"
    r"|\b(?:can|may) (?:i|we|she|he|they|a foreigner|non-locals?) (?:even |still |also |actually )?"
    r"(?:apply|get one|do it) (?:here|in \w+)|\beligib",
    re.IGNORECASE,
)


def asks_eligibility(text: str) -> bool:
    """The message asks whether the resident may apply (here), not how or where."""
    return bool(_ELIGIBILITY.search(nlu_text(text)))


_ELLIPSIS = re.compile(
    r"^\W*(?:那|那么|还有|那个)?(?P<zh>[\u4e00-\u9fff]{2,10}?)(?:呢|又怎么办|怎么办)"
    r"|^\W*(?:and|what about|how about)\s+(?:the\s+|my\s+|a\s+|an\s+)?(?P<en>[a-z][a-z' -]{2,40}?)"
    r"\s*(?:[?,.!]|$)",
    re.IGNORECASE,
)


def _elliptic_focus(text: str) -> str | None:
    """The X of "那X呢" / "and X?" opening a message, if it opens with one."""
    match = _ELLIPSIS.match(to_simplified(text or ""))
    if match is None:
        return None
    return match.group("zh") or match.group("en")


#: Words of a permit's name that say only that it is one ("licence", "证").
_KIND_WORDS = mixed_pattern(
    r"许可证|许可|执照|牌照|证照|证明|证件|证|登记|办理|申请"
    r"|\b(?:licen[cs]es?|permits?|certificates?|cards?|registration|pass|visa)\b",
    re.IGNORECASE,
)


#: "the temporary one", "臨時嗰個", "临时的那个": another kind of the permit discussed.
_QUALIFIED_ONE = mixed_pattern(
    r"\bthe\s+([a-z][a-z-]{3,})\s+one\b|([\u4e00-\u9fff]{2,5})(?:那个|那張|那张|嗰个|嗰張|嗰张|𠮶个|𠮶张)"
)
#: Words of "the X one" that pick among things shown, not a kind of permit.
_NOT_KINDS = frozenset(
    "other same first second third last next new old right wrong cheaper faster quicker "
    "online paper".split()
)


def _the_other_kind(
    text: str, remembered: PermitService | None, services: Sequence[PermitService]
) -> PermitService | None:
    """The one entry named with the word of "the X one" that shares a word with the entry
    discussed ("the temporary one" after the ID card: the temporary ID card)."""
    found = _QUALIFIED_ONE.search(fold(to_simplified(text)))
    if remembered is None or found is None:
        return None
    if found.group(1):
        words = [found.group(1)]
    else:  # "要临时的那个": the two or three characters before "的那个"
        run = found.group(2).removesuffix("的")
        words = [run[-2:], run[-3:]] if len(run) >= 2 else []
    topic = " ".join(names_of(remembered))
    for word in words:
        if word in _NOT_KINDS:
            continue
        fits = [
            service
            for service in services
            if service is not remembered
            and any(
                (re.search(rf"\b{re.escape(word)}\b", name) if word.isascii() else word in name)
                for name in names_of(service)
            )
            and _shares_a_word(topic, service)
        ]
        if len(fits) == 1:
            return fits[0]
    return None


def _is_a_name_of(words: str, service: PermitService) -> bool:
    """Whether ``words`` are one of the entry's names or aliases, as written."""
    said = fold(to_simplified(words)).strip()
    return any(said == fold(to_simplified(name)).strip() for name in names_of(service))


def _shares_a_word(named: str, service: PermitService) -> bool:
    """Whether the permit a resident named and a catalogue entry share a telling word.

    English words whole; Chinese as character pairs (驾照 and 机动车驾驶证 share
    nothing written, yet the lookup that offered the entry matched them by keyword, so
    an entry with no pair in common is still kept when its keywords have one).
    """
    words = _KIND_WORDS.sub(" ", fold(named))
    english = set(re.findall(r"[a-z]{3,}", words))
    runs = re.findall(r"[\u4e00-\u9fff]+", words)
    chinese = {run[i : i + 2] for run in runs for i in range(len(run) - 1)}
    if not english and not chinese:
        return True  # nothing telling was named: any entry may be it
    texts = [*names_of(service), *(fold(k) for k in _keywords(service))]
    written = {word for text in texts for word in re.findall(r"[a-z]{3,}", text)}
    # English words with a typo ("residense") still share: within the matcher's edit distance.
    if any(process.extractOne(w, written, scorer=fuzz.ratio, score_cutoff=80) for w in english):
        return True
    if any(p in text for p in chinese for text in texts):
        return True
    # A pinyin IME's homophone ("居著证" for 居住证) shares the pair's sound, not its writing.
    heard = {sound(pair) for pair in chinese} - {None}
    return any(sound(pair) in heard for pair in _pairs(texts))


def _pairs(texts: Sequence[str]) -> set[str]:
    """Every pair of neighbouring Chinese characters in the texts."""
    runs = [run for text in texts for run in re.findall(r"[\u4e00-\u9fff]+", text)]
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}


def _keywords(service: PermitService) -> list[str]:
    keywords = service.raw.get("keywords")
    values: list[str] = []
    for value in keywords.values() if isinstance(keywords, dict) else [keywords]:
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, list):
            values.extend(str(v) for v in value if isinstance(v, str))
    return values


def _part_of_a_name(words: str, service: PermitService | None) -> bool:
    """Are ``words`` (two or more characters) inside one of the entry's names or aliases?"""
    key = " ".join(fold(words).split())
    if service is None or len(key) < MIN_NAME_CHARS or key in GENERIC_NAMES:
        return False
    return any(key in name for name in names_of(service))


def _without(text: str, names: Sequence[str]) -> str:
    """``text`` with each of ``names`` (any case) replaced by a space."""
    for name in names:
        if name.strip():
            text = re.sub(re.escape(name.strip()), " ", text, flags=re.IGNORECASE)
    return text


#: The NLU extractor that reads a permit from a whole message that names none
#: (bot/nlu/message_values.py): a reading of the situation, not a name.
WHOLE_MESSAGE_EXTRACTOR = "MessageValueClassifier"


@dataclass(frozen=True)
class Mention:
    """A ``permit_type`` entity: its value (a catalogue id after synonyms) and the words used.

    ``guessed``: read from the whole message ("去澳门看我妈要准备什么"), not from words
    naming the permit; a catalogue entry the message names outranks it.
    """

    value: str
    words: str = ""
    guessed: bool = False


def choose(
    mentions: Sequence[Mention],
    text: str,
    services: Sequence[PermitService],
    remembered: str | None = None,
    city_names: Sequence[str] = (),
    who: str = "",
) -> PermitChoice:
    """The permit type a message is about (``_choose``), made as specific as the message
    and the resident are: a lost card's replacement, a Hong Kong resident's permit.

    ``who``: what the resident said of themselves in the last messages ("I am foreigner,
    american"), which still holds for the next question.
    """
    choice = _choose(mentions, text, services, remembered, city_names)
    if choice.found is Found.KNOWN and choice.service is not None:
        refined = refined_for(text, who, choice.service, services)
        if refined is not None:
            return PermitChoice(Found.KNOWN, refined)
    if choice.found is Found.SHORTLIST:
        # "我係香港人…可以辦居住證嗎？": of the entries offered, the one for Hong Kong people.
        phrase = permit_phrase(text)
        fits = {
            service.permit_type: service
            for asked, named, where in _qualifiers(text, who)
            if asked.search(where)
            for service in choice.shortlist
            if any(named.search(name) for name in names_of(service))
            and (phrase is None or _shares_a_word(phrase, service))
        }
        if len(fits) == 1:
            return PermitChoice(Found.KNOWN, next(iter(fits.values())))
    return choice


def _qualifiers(text: str, who: str) -> list[tuple[re.Pattern[str], re.Pattern[str], str]]:
    """(what the message says, what a specific entry's name says, the words to read)."""
    said = fold(to_simplified(text))
    about = fold(to_simplified(f"{who}\n{text}"))
    return [*((a, n, said) for a, n in _SITUATIONS), *((a, n, about) for a, n in _WHO)]


#: (what the message says, what a more specific entry's name says). The situation is
#: read from the question itself; who the resident is, from their last messages too.
_SITUATIONS = (
    (
        mixed_pattern(
            r"丢|不见|唔见|遗失|被偷|偷了|被盗|冇咗|\blost\b|\bstolen\b|\bmissing\b", re.I | re.A
        ),
        re.compile(r"补|挂失|遗失|丢失|replac|\blost\b", re.I | re.A),
    ),
    (
        re.compile(r"过期|到期|期满|\bexpir|\brenew", re.I | re.A),
        re.compile(r"换|期满|到期|renew|expir", re.I | re.A),
    ),
)
_WHO = (
    (
        mixed_pattern(
            r"香港人|澳门人|台湾人|港澳|hong\s?kong(?:er)?\b|\bmaca[uo]\b|\btaiwan", re.I | re.A
        ),
        re.compile(r"港澳|香港|澳门|台湾|hong kong|maca[uo]|taiwan", re.I | re.A),
    ),
    (
        re.compile(
            r"外国人|外籍|老外|\bforeign(?:er)?\b|\bexpat"
            r"|\bi(?:'m| am) (?:an? )?(?:american|british"
            r"|canadian|australian|german|french|indian|korean|japanese|russian|not chinese)",
            re.I | re.A,
        ),
        re.compile(r"外国|外籍|foreign", re.I | re.A),
    ),
)


def refined_for(
    text: str, who: str, service: PermitService, services: Sequence[PermitService]
) -> PermitService | None:
    """A more specific entry than ``service`` for the situation or the resident.

    "social security card lost了" is the card's replacement, not its first application;
    "我係香港人…居住證" the Hong Kong, Macao and Taiwan residents' permit. The other entry
    must hold one of ``service``'s own names ("社会保障卡", "居住证") and say the
    situation or the group in its name; when several do, ``service`` stays.
    """
    related: list[PermitService] | None = None
    for asked, named, where in _qualifiers(text, who):
        if not asked.search(where) or any(named.search(n) for n in names_of(service)):
            continue
        if related is None:
            # Only entries the message's words reach (a catalogue of thousands is not read
            # whole), and only once a situation or a group is said.
            related = [entry for entry, _ in index_for(services, GENERIC_NAMES).lookup(text).ranked]
        fits = [
            other
            for other in related
            if other is not service
            and any(named.search(n) for n in names_of(other))
            and _same_kind(service, other)
        ]
        if len(fits) == 1:
            return fits[0]
    return None


#: A document the applicant does not have: "孩子没有身份证呢", "I don't have a hukou book".
_LACKS = mixed_pattern(
    r"(?:没有|冇|无|沒有|忘带|没带|忘记带)[^，。？?！!]{0,6}?(?:证|卡|照|户口本|户口簿|本子)"
    r"|\b(?:doesn't|does not|don't|do not|has no|have no|without)\s+(?:have\s+)?(?:an?\s+|any\s+|"
    r"my\s+|his\s+|her\s+)?(?:id|id card|hukou|household register|birth certificate)\b",
    re.IGNORECASE,
)


def _same_kind(one: PermitService, other: PermitService) -> bool:
    """Do two entries name the same document: a name of one ending in a document word
    inside a name of the other ("居住证", "社会保障卡", "residence permit")? Not a shared
    word that names no document ("机动车" in an inspection and a driving licence)."""
    for name in names_of(one):
        for candidate in names_of(other):
            if name.isascii() != candidate.isascii():
                continue
            if name.isascii():
                words = name.split()
                pairs = {
                    " ".join(words[i : i + 2])
                    for i in range(len(words) - 1)
                    if words[i + 1] in _DOCUMENT_WORDS
                }
                if any(f" {pair} " in f" {candidate} " for pair in pairs):
                    return True
            elif any(
                name[i : i + 3] in candidate and name[i + 2] in _DOCUMENT_CHARS
                for i in range(len(name) - 2)
            ):
                return True
    return False


#: Words and characters that end a document's name.
_DOCUMENT_WORDS = frozenset(
    "permit permits card cards licence license licences licenses passport certificate visa"
    " pass".split()
)
_DOCUMENT_CHARS = frozenset("证卡照")


#: Words just before a permit's name that ask for it: "要先办那个居著证", "apply for a …".
_ASKED_FOR = re.compile(
    r"(?:办|办理|申请|申领|补办|换|续|领|拎|搞|要|需要)(?:个|一个|那个|嗰个|张|本)?\s*$"
    r"|\b(?:apply(?:ing)? for|get(?:ting)?|renew(?:ing)?|replace|need)\s+(?:a|an|the|my|our)?\s*$",
    re.IGNORECASE,
)


def _asked_first(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """The mentions, those the message asks for first ("要先办那个居著证"), in their order.

    "我们户口都在湖南…要先办那个居著证才能申请学位，要准备啥材料" names the hukou as a
    fact about the family and asks what the residence permit takes.
    """
    simplified = to_simplified(text)

    def asked(mention: Mention) -> bool:
        words = to_simplified(mention.words or "")
        at = simplified.find(words) if words else -1
        return at > 0 and bool(_ASKED_FOR.search(simplified[max(0, at - 8) : at]))

    return sorted(mentions, key=lambda mention: not asked(mention))


def _choose(
    mentions: Sequence[Mention],
    text: str,
    services: Sequence[PermitService],
    remembered: str | None = None,
    city_names: Sequence[str] = (),
) -> PermitChoice:
    """The permit type a message is about.

    In order: an NLU entity that is a catalogue id; an entity or the message naming
    a catalogue type by name; the type the NLU read from the whole message when no
    words name one; a permit the message names that the catalogue lacks; the type
    remembered from earlier in the conversation; nothing.

    ``city_names``: the city's own names. In a follow-up ("在深圳能办吗" after the
    travel permit) they say nothing about which of the city's services is meant, though
    many entries carry the city's name.
    """
    index = index_for(services, GENERIC_NAMES)
    text = without_status_words(text, city_names)
    guesses = [m for m in mentions if m.guessed]
    # A name the model marked inside "我是湖南户口" is about the resident, not a permit.
    mentions = [
        m
        for m in mentions
        if not m.guessed and (not m.words or to_simplified(m.words) in to_simplified(text))
    ]
    lacking = by_id(remembered, services)
    if lacking is not None and _LACKS.search(to_simplified(text)):
        # "孩子没有身份证呢" after the travel permit's documents: a document the applicant
        # lacks for that permit, not a question about ID cards.
        return PermitChoice(Found.KNOWN, lacking)
    focus = _elliptic_focus(text)
    if focus:
        # "那驾照呢，跟身份证放一个钱包里一起丢了": the permit of "那X呢" is the one asked
        # about, whatever else the rest of the message names.
        focused = index.lookup(focus)
        chosen = focused.named or focused.confident
        if chosen is not None:
            return PermitChoice(Found.KNOWN, chosen)
        if focused.shortlist:
            asked = focus[:MAX_ASKED_CHARS]
            return PermitChoice(Found.SHORTLIST, asked=asked, shortlist=tuple(focused.shortlist))
    remembered_service = by_id(remembered, services)
    other_kind = _the_other_kind(text, remembered_service, services)
    if other_kind is not None:
        # "how much is the temporary one" after the ID card's replacement: the temporary ID.
        return PermitChoice(Found.KNOWN, other_kind)
    if (
        remembered_service is not None
        and mentions
        and all(_part_of_a_name(m.words, remembered_service) for m in mentions)
    ):
        # "how much is the residence permit" while the foreigners' residence permit is
        # discussed: the shorter name is that one's, not another entry's.
        return PermitChoice(Found.KNOWN, remembered_service)
    lookup = index.lookup(text)
    for mention in _asked_first(mentions, text):
        service = (
            by_id(mention.value, services)
            or find_in_text(mention.words, services)
            or find_in_text(mention.value, services)
        )
        if service is not None and mention.words and not _shares_a_word(mention.words, service):
            # "a fishing permit" linked by the model to the parking permit: the words name
            # something else; none of the catalogue's (said so below, with the closest).
            continue
        if (
            service is not None
            and lookup.named not in (None, service)
            and mention.words
            and not _is_a_name_of(mention.words, service)
            and not _part_of_a_name(mention.words, lookup.named)
        ):
            # "出入境记录 how to get one? need it for my visa application": an entry named
            # in full outranks a word the model linked to another ("visa": passport).
            return PermitChoice(Found.KNOWN, lookup.named)
        if service is not None:
            specific = lookup.leader
            if specific not in (None, service) and _part_of_a_name(mention.words, specific):
                # "I'm a British national … a residence permit": the entry the whole
                # message fits whose name holds the words named.
                return PermitChoice(Found.KNOWN, specific)
            return PermitChoice(Found.KNOWN, service)
    if remembered and lookup.named is None and not mentions:
        lookup = index.lookup(_without(text, city_names))
        top = lookup.ranked[0][1] if lookup.ranked else 0.0
        follows = top < FOLLOW_UP_SCORE or asks_eligibility(text)
        if remembered_service is not None and follows and not permit_phrase(text):
            # "咁再签一次要几钱？" after the travel permit's status: loose word matches
            # ("一次", "签") do not take a follow-up to another entry; a name would.
            return PermitChoice(Found.KNOWN, remembered_service)
    if lookup.confident is not None:
        return PermitChoice(Found.KNOWN, lookup.confident)
    for mention in mentions:
        # The words the NLU marked, ranked alone: "bussiness licence" inside a long question.
        by_words = index.lookup(mention.words) if mention.words else None
        if by_words is not None and by_words.confident is not None:
            return PermitChoice(Found.KNOWN, by_words.confident)
    named = permit_phrase(text)
    for guess in guesses:
        service = by_id(guess.value, services)
        if service is not None and not named:
            return PermitChoice(Found.KNOWN, service)
    shortlist = tuple(lookup.shortlist)
    unmatched = [
        m.words or m.value for m in mentions if normalise(m.words or m.value) not in GENERIC_NAMES
    ]
    weak = not lookup.ranked or lookup.ranked[0][1] < CONFIDENT_SCORE
    if remembered_service and weak and not (named or unmatched or lookup.named):
        # "do we both need 户口本? mine is back home" after marriage registration: a few
        # loose word matches do not take the conversation to other entries.
        return PermitChoice(Found.KNOWN, remembered_service)
    if named and shortlist and not any(_shares_a_word(named, service) for service in shortlist):
        # "dog licence or whatever it's called": none of the entries offered has "dog"; it
        # is not in the catalogue (the closest ones still come as buttons).
        return PermitChoice(
            Found.NOT_IN_CATALOGUE, asked=named[:MAX_ASKED_CHARS], shortlist=shortlist
        )
    if len(shortlist) == 1 and named and _shares_a_word(named, shortlist[0]):
        # "我的driving license下个月expire": the one entry close enough, named by its words.
        return PermitChoice(Found.KNOWN, shortlist[0])
    if shortlist and (named or unmatched or remembered is None or len(shortlist) > 1):
        return PermitChoice(
            Found.SHORTLIST,
            asked=(named or (unmatched or [""])[0])[:MAX_ASKED_CHARS],
            shortlist=shortlist,
        )
    if named or unmatched:
        asked = named or unmatched[0]
        return PermitChoice(Found.NOT_IN_CATALOGUE, asked=asked[:MAX_ASKED_CHARS])
    service = by_id(remembered, services)
    if service is not None:
        return PermitChoice(Found.KNOWN, service)
    return PermitChoice(Found.NONE)
