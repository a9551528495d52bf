"""Where the problem is, when the resident already said so in telling it.

"华强北路跟红荔路路口有个大坑", "the glass of the bus shelter on Nanhai Avenue opposite
the university south gate is smashed": asking "where is it?" after that reads as not
listening. But "深南大道上有个大坑" names a road twenty kilometres long, and "our
compound gate" names nothing a crew could find, so the form still asks for those.

A place is taken from the first message only when it is specific: a road with a house
number, two roads (a junction), or a named place that is not a road (a park gate, a
station exit, a housing estate, a village). Names are recognised by what ends them
(路, 大道, 花园, 地铁站 …; Road, Avenue, Station …), and words like "那条", "我们",
"小区" in front of them are no name. The resident sees the place in the summary and
can change it there, as any answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.complaints.injections import is_injection, without_markup
from actions.complaints.streets_en import street_spot
from bot.language.mixed_script import mixed_pattern
from bot.language.script import to_simplified

_HAN = "\u4e00-\u9fff"
_ROADS_ZH = ("大道", "大街", "路", "街", "巷")
_PLACES_ZH = (
    "地铁站", "地铁口", "火车站", "公交站", "花园", "小区", "大厦", "公园", "广场", "新村", "村",
    "小学", "中学", "学校", "医院", "市场", "口岸", "商场", "大楼", "公寓", "站", "园", "路口",
)  # fmt: skip
#: Place words that start a longer word instead: 路灯, 路面, 广场舞, 站台, 街道 (a district).
_NOT_ENDED = {
    "路": "灯面过人费况线由径程",
    "街": "道坊",
    "广场": "舞",
    "站": "台长岗点着在起票",
    "村": "民",
    "园": "区林艺丁",
}
#: Characters that end a name, going back from its place word: "在南山区桃园路" → 南山区桃园.
_NAME_STOPS = frozenset(
    "在是说就把有从到去跟和与近旁上下线里边往那这个的了又也都还很我你他她它们条"
)
#: Stop characters that may still end a name when the place word follows at once
#: (五和站, 民和村): "A和B" joins two names, never a name and its place word.
_NAME_ENDS = frozenset("和")
#: Names that name nothing: "我们小区", "公交站", "垃圾站".
_NOT_NAMES_ZH = frozenset(
    {"我们", "我家", "小区", "楼下", "门口", "公交", "地铁", "马路", "附近", "旁边", "对面",
     "前面", "后面", "隔壁", "外面", "里面", "垃圾", "高速", "人行", "单行", "停车", "加油",
     "收费", "火车", "汽车", "幼儿"}
)  # fmt: skip
#: A numbered road of a grid ("高新南七道", "科技一道"): 道 alone is too common a word
#: (知道, 通道, 人行道) to end a road name.
_NUMBERED_ROAD_ZH = "[东南西北一二三四五六七八九十]道"
_ZH_KIND = re.compile("|".join(_PLACES_ZH + _ROADS_ZH + (_NUMBERED_ROAD_ZH,)))
#: What may follow a place and still be part of it: "南门", "A出口", "1088号", "路口".
_ZH_AFTER = re.compile(
    r"(?:\s*(?:\d+\s*号(?:楼|院)?|\d+\s*栋|[A-Za-z]\d?\s*(?:出口|口)|[东南西北]?门口?|[后後]门|正门|"
    r"出口|入口|交叉口|路口|旁边|附近|对面|[东南西北]侧|那边|这边))+"
)
_ZH_NUMBER = re.compile(r"\d+\s*号")
_ROADS_EN = r"Road|Rd|Street|St|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Way|Drive|Dr|Highway"
_PLACES_EN = (
    r"Station|Park|Plaza|Square|Village|Estate|Building|Tower|Mall|Market|Gardens?|School"
    r"|Hospital|Checkpoint|Port|Centre|Center|metro(?:\s+(?:exit|station))?"
)
_EN_PIECE = mixed_pattern(
    rf"\b(?P<name>(?:[A-Z0-9][\w'’-]*\s+){{1,4}})(?P<kind>(?i:{_ROADS_EN}|{_PLACES_EN}))\b\.?"
)
_EN_NUMBER = mixed_pattern(rf"\b\d+[A-Za-z]?\s+(?:[A-Z][\w'’-]*\s+){{1,4}}(?:{_ROADS_EN})\b")
_EN_AFTER = mixed_pattern(r"(?:\s*(?:,\s*)?(?:exit|gate|entrance)\s+[A-Z0-9]\b)+", re.IGNORECASE)
_CLAUSE = re.compile(r"[^，。！？；,.!?;\n]+(?:[,.](?=\S)[^，。！？；,.!?;\n]+)*")
#: How far back from its place word a name may start ("龙岗区布吉街道布吉路": ten).
MAX_NAME_CHARS = 10
#: A place longer than this is not a place but a sentence.
MAX_CHARS = 80


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    road: bool


def place_told(text: str) -> str | None:
    """The specific place a report names (``address_in``), never from hostile text."""
    return None if is_injection(text or "") else address_in(without_markup(text or ""))


def address_in(text: str) -> str | None:
    """The specific place a problem report names, as the resident wrote it, or None."""
    text = text or ""
    simplified = to_simplified(text)
    # Traditional characters map one to one here: spans found in the Simplified text
    # cut the resident's own.
    same_length = len(simplified) == len(text)
    written = text if same_length else simplified
    clauses = list(_CLAUSE.finditer(simplified))
    for at, clause in enumerate(clauses):
        found = _specific(clause.group(0))
        if found:
            following = clauses[at + 1] if at + 1 < len(clauses) else None
            if following is not None and _CORRECTING.match(following.group(0)):
                # "联花山公园，不对是莲花山公园里面的…": the place said right after.
                again = _specific(following.group(0))
                if again:
                    clause, found = following, again
            start, end = found
            offset = clause.start()
            return written[offset + start : offset + end]
    return None


def sentence_naming_a_place(text: str) -> str | None:
    """The first sentence of ``text`` that names a road or a place, as the resident wrote it.

    For a place told after the form moved on ("Shennan Blvd, right outside Gangxia metro
    station exit D, Futian. post number is FT-1182 if that helps"): the resident is
    saying where, so any named road or place will do, not only a specific one; the
    sentence keeps the words around it ("right outside", "就大门口").
    """
    text = text or ""
    simplified = to_simplified(text)
    written = text if len(simplified) == len(text) else simplified
    for sentence in _SENTENCE.finditer(simplified):
        piece = sentence.group(0)
        if _pieces_zh(piece) or _pieces_en(piece) or street_spot(piece):
            found = written[sentence.start() : sentence.end()].strip(" ，,")
            return found if 2 <= len(found) <= MAX_CHARS else None
    return None


#: Sentences: cut at 。！？!? and at a full stop before a space or the end.
_SENTENCE = re.compile(r"(?:[^。！？!?\n.]|\.(?=\S))+")


#: A clause that takes back what was just said: "不对是…", "sorry, I mean …".
_CORRECTING = re.compile(
    r"\s*(?:不对|不是|说错了?|写错了?|打错了?|应该是|我是说|是说"
    r"|sorry|i mean|i meant|actually|no wait)",
    re.IGNORECASE,
)


def _specific(clause: str) -> tuple[int, int] | None:
    pieces = _pieces_zh(clause) or _pieces_en(clause)
    if not pieces:
        # "24th and harrison", "1450 polk st": a grid city's address, typed in lower case.
        return street_spot(clause)
    numbered = bool(_ZH_NUMBER.search(clause) or _EN_NUMBER.search(clause))
    specific = len(pieces) >= 2 or numbered or any(not p.road for p in pieces)
    if not specific:
        return street_spot(clause)  # "geary near 20th ave": one named road and a cross street
    start, end = pieces[0].start, pieces[-1].end
    after = _ZH_AFTER.match(clause, end) or _EN_AFTER.match(clause, end)
    if after:
        end = after.end()
    while end > start and clause[end - 1].isspace():
        end -= 1
    return (start, end) if 2 <= end - start <= MAX_CHARS else None


def _pieces_zh(clause: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    taken = 0
    for kind in _ZH_KIND.finditer(clause):
        word = kind.group(0)
        following = clause[kind.end() : kind.end() + 1]
        if kind.start() < taken or (following and following in _NOT_ENDED.get(word, "")):
            continue
        if pieces and kind.start() == pieces[-1].end:
            # "高新园站", "莲花山公园广场": one place named by two place words.
            pieces[-1] = _Piece(pieces[-1].start, kind.end(), pieces[-1].road and _is_road(word))
            taken = kind.end()
            continue
        start = kind.start()
        while start > max(taken, kind.start() - MAX_NAME_CHARS) and _is_name_char(
            clause[start - 1]
        ):
            start -= 1
        if start == kind.start() and start - 1 > taken and clause[start - 1] in _NAME_ENDS:
            # "五和地铁站": 和 ends a name right before its place word, it joins none there
            # (but "公园和地铁站" joins two places).
            joined = start - 1
            while joined > max(taken, kind.start() - MAX_NAME_CHARS) and _is_name_char(
                clause[joined - 1]
            ):
                joined -= 1
            if not re.search(f"(?:{_ZH_KIND.pattern})$", clause[joined : start - 1]):
                start = joined
        name = clause[start : kind.start()]
        if len(name) < 2 or name in _NOT_NAMES_ZH or name[-2:] in _NOT_NAMES_ZH:
            continue
        pieces.append(_Piece(start, kind.end(), _is_road(word)))
        taken = kind.end()
    return pieces


def _is_road(word: str) -> bool:
    return word in _ROADS_ZH or word.endswith("道")


def _is_name_char(char: str) -> bool:
    return char not in _NAME_STOPS and ("\u4e00" <= char <= "\u9fff" or char.isalnum())


def _pieces_en(clause: str) -> list[_Piece]:
    return [
        _Piece(m.start(), m.end(), re.fullmatch(_ROADS_EN, m.group("kind"), re.I) is not None)
        for m in _EN_PIECE.finditer(clause)
        if m.group("name").split()[0] not in ("The", "A", "An", "I", "My", "Our")
    ]


#: Words that say where, in an answer to "where is it?" ("near the school", "门口").
_WHERE_EN = mixed_pattern(
    r"\b(?:near|on|in|at(?!\s+(?:night|noon|midnight|dawn|dusk|times|least|all|first|\d))|"
    r"outside|opposite|behind|beside|next\s+to|by|between|across|along|around|corner|"
    r"junction|intersection|crossing|off|inside|entrance|exit|gate|block|floor|unit|"
    r"building|here|there|home|house|flat|apartment|downstairs|upstairs|lobby)\b"
    rf"|\b(?i:{_ROADS_EN}|{_PLACES_EN})\b|\d",
    re.IGNORECASE,
)
_WHERE_ZH = re.compile(
    rf"{_ZH_KIND.pattern}|在|旁|附近|对面|门|楼|边|里|号|区|口|前面|后面|侧|处|这|那|\d"
)
#: An answer this long without a word of place describes the problem instead.
MIN_DESCRIBING_WORDS = 7
MIN_DESCRIBING_HAN = 8


def describes_without_place(text: str) -> bool:
    """An answer to "where is it?" that tells more about the problem and names no place.

    "it's like half a meter wide, fills up with water after rain so you literally can't
    see it at night": the size and the danger, not where. Only a long answer without
    any word of place counts ("near the school", "楼下", "Block 5" are places), so a
    short or unusual place is never turned away.
    """
    simplified = to_simplified(text or "")
    han = sum(1 for char in simplified if "\u4e00" <= char <= "\u9fff")
    if han >= MIN_DESCRIBING_HAN:
        return not _WHERE_ZH.search(simplified)
    words = re.findall(r"[A-Za-z']+", simplified)
    if han or len(words) < MIN_DESCRIBING_WORDS:
        return False
    names = [w for w in words[1:] if w[0].isupper() and w not in ("I", "I'm", "I've", "I'd")]
    return not names and not _WHERE_EN.search(simplified)


#: A number read off the thing reported ("燈杆上有寫編號 FT-1123", "pole no. NS-0533").
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,4}[-\s]?\d{2,}")
_NUMBER_WORD = mixed_pattern(
    r"编号|编码|杆号|灯杆|电杆|牌号|\bpole\b|\bnumber\b|\bno\.", re.IGNORECASE
)


def gives_only_an_identifier(text: str) -> bool:
    """An answer to "where is it?" that gives the number of the thing, not a place.

    "燈杆上有寫編號 FT-1123": the lamp post's number, which the crew reads off the post;
    it belongs to the description. A place word anywhere ("桃园路 FT-1123") makes it a
    place after all.
    """
    simplified = to_simplified(text or "")
    if not (_CODE.search(simplified) and _NUMBER_WORD.search(simplified)):
        return False
    rest = _CODE.sub(" ", _NUMBER_WORD.sub(" ", simplified))
    return not (_ZH_KIND.search(rest) or _WHERE_EN.search(rest))
