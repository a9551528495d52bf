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
from actions.complaints.streets_en import street_named, street_spot
from actions.complaints.streets_local import (
    local_corner,
    local_landmark_spans,
    local_street,
    local_street_spans,
)
from actions.complaints.text import han_count
from bot.language.mixed_script import mixed_pattern
from bot.language.script import is_han, to_simplified

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
#: Road kinds as written after a name, with the short forms of Australian, British and
#: North American street signs (Esplanade, Parade, Crescent, Terrace, Hwy …).
_ROADS_EN = (
    r"Road|Rd|Street|St|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Way|Drive|Dr|Highway|Hwy"
    r"|Esplanade|Esp|Parade|Pde|Crescent|Cres|Terrace|Tce|Court|Ct|Close|Circuit|Cct"
)
_PLACES_EN = (
    r"Station|Park|Plaza|Square|Village|Estate|Building|Tower|Mall|Market|Gardens?|School"
    r"|Hospital|Checkpoint|Port|Centre|Center|Pool|Beach|Lagoon|Library|Church|Hall|Oval"
    r"|Stadium|Jetty|Wharf|Pier|Terminus|University|College|Shops|Stop|Arena|Rink|Trail"
    r"|metro(?:\s+(?:exit|station))?"
)
#: Everyday words between a name and its kind: "the Wakefield community centre", "the
#: Perkins bus stop", "Lakeside recreation center".
_KIND_QUALIFIERS = r"(?:(?i:community|bus|recreation|sports|public|shopping|train|tram)\s+)?"
_EN_PIECE = mixed_pattern(
    rf"\b(?P<name>(?:[A-Z0-9][\w'’-]*\s+){{1,4}}){_KIND_QUALIFIERS}"
    rf"(?P<kind>(?i:{_ROADS_EN}|{_PLACES_EN}))\b\.?"
)
_EN_NUMBER = mixed_pattern(
    rf"\b\d+[A-Za-z]?\s+(?:[A-Z0-9][\w'’-]*\s+){{1,4}}(?:{_ROADS_EN})\b"  # "27 Haide 3rd Rd"
)
#: Capitalised words that start a sentence, never an area's name after a road.
_NOT_AREAS = (
    r"I|I'm|I've|I'd|It|It's|The|This|That|There|They|We|He|She|And|But|So|Please|Thanks"
    r"|Can|Could|Would|Is|Are|Was|Has|Have|Every|Since|Today|Yesterday|Tonight"
)
#: What pins a road down when it follows its name: an area ("Kamerunga Rd Stratford")
#: or a named landmark beside it ("Mulgrave Rd near Westcourt", "Lake Street 靠近 Cairns
#: Central"). "the bus stop" is no name: "Keyuan Road right by the bus stop" is still asked.
_BESIDE = (
    r"(?:(?:right|just)\s+)?(?:near|outside|opposite|by|off|behind|beside|next\s+to|at|"
    r"across\s+from|in\s+front\s+of|at\s+the\s+corner\s+of|corner\s+of)\s+"
)
_PINNED_BY = mixed_pattern(
    rf"(?:\s*,)?\s*(?:{_BESIDE}(?:the\s+)?"
    rf"|\s*(?:靠近|近|附近|旁边|對面|对面)\s*)?(?!(?:{_NOT_AREAS})\b)"
    r"[A-Z][\w'’-]*(?:\s+(?!(?:" + _NOT_AREAS + r")\b)[A-Z][\w'’-]*){0,2}"
    # "the Esplanade near the lagoon": one landmark of its kind beside the road
    rf"|(?:\s*,)?\s*{_BESIDE}the\s+(?i:{_PLACES_EN})\b"
)
#: A house number after a road's name: "Calle San Vicente, around number 60", "Rua
#: Augusta near no. 12".
_NUMBER_PIN = re.compile(
    r"(?:\s*,)?\s*(?:(?:right\s+|just\s+)?(?:around|near|at|outside|by|opposite|"
    r"in\s+front\s+of)\s+)?(?:house\s+)?(?:number|no\.?|nº|n\.º|núm\.?|num\.?|nr\.?|#)"
    r"\s*\d{1,4}[a-zA-Z]?\b",
    re.IGNORECASE,
)
#: The dot of a short form written before a street's name ("Av. Alfonso el Sabio", "Pza.
#: de Luceros"): no end of a clause.
_ABBREVIATION_DOT = re.compile(
    r"(?<![\w.])(?i:av|avda|avd|pza|pça|pç|pg|ul|al|bul|blvd|c|r|sta|sto|no|nr|núm|num)\.(?=\s+[A-Z0-9])"
)
#: Street names that carry their kind as a suffix, as across the Nordic countries,
#: Germany and the Netherlands ("Fleminginkatu", "Hämeentie", "Drottninggatan",
#: "Friedrichstraße", "Prinsengracht"); the house number follows the name.
_SUFFIXED_STREET = mixed_pattern(
    r"\b(?:Bulevardi|Esplanadi|[A-ZÄÖÅÜ][\wäöåüß'’-]*?(?:katu|tie|kuja|polku|väylä|vayla|ranta|tori|aukio|kaari|"
    r"rinne|raitti|bulevardi|esplanadi|gatan|vägen|vagen|gränd|grand|torget|stigen|gade|gate|"
    r"vej|vei|veien|plads|plass|straße|strasse|str\.|weg|gasse|platz|allee|damm|straat|"
    r"laan|plein|gracht|kade|park|garten|friedhof|puisto))\b(?P<number>\s+\d{1,4}[A-Za-z]?\b)?"
)
#: Of those, squares, parks and gardens: a place in themselves ("the bins at
#: Hietalahdentori", "the swing at the playground in the Gutspark").
_SQUARE = re.compile(
    r"(?:tori|aukio|torget|plads|plass|platz|plein|park|garten|friedhof|puisto)\b",
    re.IGNORECASE,
)
#: Roads named by their kind alone: "the Esplanade", "The Strand".
_THE_ROAD = mixed_pattern(
    r"\b[Tt]he\s+(?:Esplanade|Strand|Promenade|Boulevard|Parade|Mall|Terrace|Crescent)\b"
)
#: A building's number after an estate's name: "信义假日名城3栋", "桃源村二期5座".
_BUILDING_ZH = re.compile(r"\d+\s*(?:栋|座|幢|号楼|单元)")
#: How far back from a building's number the estate's name may start.
MAX_ESTATE_CHARS = 16
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
    if is_injection(text or ""):
        return None
    plain = without_markup(text or "")
    return (
        address_said(plain)
        or block_address(plain)
        or street_then_number(plain)
        or address_in(plain)
        or local_corner(plain)
        or _house_on_a_bare_street(plain)
        or _landmark(plain)
    )


def _landmark(text: str) -> str | None:
    """A square, park or market named kind first ("Praça da República", "Parque de
    Canalejas"): a place a crew finds without a number."""
    spans = local_landmark_spans(text)
    return text[spans[0][0] : spans[0][1]].strip() if spans else None


#: "地址是 W Cass St 2107", "my address is 2107 W Cass St": the words after say where,
#: in whatever order the resident writes street and number.
_ADDRESS_SAID = mixed_pattern(
    r"(?:地址是|地址係|地址系|地址在|地址[:：]|\b(?:my |the )?address(?: is|:|'s)\s)\s*"
    r"(?P<place>[^，。,;；!！?？\n]{4,80})",
    re.IGNORECASE,
)


def address_said(text: str) -> str | None:
    """The place a message introduces as its address, when it has a number or a street
    kind to find it by, or None."""
    found = _ADDRESS_SAID.search(text or "")
    if found is None:
        return None
    place = found.group("place").strip()
    if not (re.search(r"\d", place) or _names_a_road(place)):
        return None
    return place


#: An address written street first, number after, as much of Europe writes it: "ul. Tsar
#: Simeon 100", "bul. Vitosha 40", "zh.k. Mladost 1, bl. 23", "Via Roma 5", "Rue de
#: Rivoli 12", "Kantstraße 7". The street's words are capitalised (a sentence's "via the
#: bus 3" is none); the type word comes first, or the name ends in a street word.
_STREET_FIRST = re.compile(
    r"(?<![A-Za-z0-9.])(?:(?i:ul|ulitsa|ulica|bul|blvd|bulevard|pl|ploshtad|plac|zh\.\s?k|zhk|kv)"
    r"|Via|Viale|Piazza|Corso|Rue|Avenue|Boulevard|Calle|Carrer|Avenida|Rua|Praça|Aleja|Al)"
    r"\.?\s+(?:(?:[A-Z][\w'’-]*\.?|de|la|le|du|des|del|di|da|dos|van|von|der)\s+){0,4}?"
    r"[A-Z][\w'’-]*\.?(?:\s+(?!(?:and|the|for|with|took|take|from|into|onto)\b)[a-z]{3,}){0,2}?"
    # ^ "ul. Krastova vada 20": a name's second word may be lower case
    r",?\s+(?:(?i:near|by|at|behind|outside|opposite|in front of|perto d[oa]|junto ao?"
    r"|em frente ao?)\s+)?(?:(?i:no|nr|number|n|nº|n°|n[uú]mero)\.?\s*|№\s*)?"
    r"\d{1,4}[a-zA-Z]?(?:\b|(?=[号號]))"
    r"(?!\s*(?i:stops?|min|mins|minutes?|hours?|days?|weeks?|months?|years?|times|km|m|metres?|meters?|euros?|people)\b)"
    r"(?:\s*,?\s*(?i:bl|blok|vh|entr|entrance|ap|apt|et|floor)\.?\s*\d{1,4}[a-zA-Z]?\b)*"
    r"|\b[A-Z][\w'’-]*(?:(?i:straße|strasse|str\.?|gasse|weg|allee|platz|laan|straat|gatan|gate|vej)"
    r"|\s+(?i:straße|strasse|str\.?|allee|platz|weg))"  # "Kantstr. 7", "Ruppiner Str 21"
    r"\s*\d{1,4}[a-zA-Z]?(?:\b|(?=[号號]))"
    r"(?!\s*(?i:stops?|min|mins|minutes?|hours?|days?|weeks?|months?|years?|times|km|m|metres?|meters?|euros?|people)\b)"
    # "rua tamandare 650", "av paulista 1000", "calle mayor 5": typed in lower case; these
    # kind words are no English words, so the name need not be capitalised.
    r"|(?<![A-Za-z0-9.])(?i:rua|avenida|av\.?|calle|carrer|travessa|alameda|largo|pra[cç]a"
    # Polish streets typed in lower case: "ul. kleszczowa 18", "al. jerozolimskie 212"
    r"|ul\.|al\.|pl\.|ulica|aleja|plac|os\.|osiedle)"
    r"\s+(?:(?i:[^\W\d_][\w'’-]*)\s+){0,4}?"
    # "rua de santa catarina perto do n 312": near number 312
    r"(?:,?\s*(?i:perto d[oa]|junto ao?|em frente ao?|ao lado d[oa]|cerca de|frente al?|near"
    r"|behind|by)\s+(?:(?i:n|nº|n°|no|n[uú]mero|number)\.?\s*)?)?\d{1,5}(?:\b|(?=[号號]))"
    r"(?!\s*(?i:stops?|min|mins|minutes?|hours?|days?|weeks?|months?|years?|times|km|m|metres?|meters?|euros?|people)\b)"
)


#: A Latin street name and number before Chinese words about where ("Grójecka 120 楼下",
#: "Kantstraße 7 门口"): the resident writes the city's street as the city does.
_LATIN_STREET_BEFORE_HAN = re.compile(
    r"(?<![\w.])(?!(?i:line|route|bus|tram|no|nr|platform|gate|exit|bay|room|terminal|level|"
    r"ticket|flight|train|car|block)\b)"
    r"[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+){0,2}\s+\d{1,4}[a-zA-Z]?"
    r"(?=\s*(?:楼下|樓下|门口|門口|旁边|旁邊|对面|對面|附近|外面|前面|后面|後面|楼|樓|号|號|的))"
)
#: "outside no. 12 on opaczewska": the house number before its street.
_NUMBER_ON_STREET = re.compile(
    r"\b(?:no\.?|nr\.?|number|#)\s*\d{1,5}[a-z]?\s+(?:on|in)\s+"
    r"(?!(?:the|a|my|our|your|this|that|list|it|there|time|hold|top|fire|duty)\b)"
    r"[^\W\d_][\w'’-]{2,}(?:\s+(?:st|street|ave|avenue|rd|road|lane|ln|way|drive|dr)\b)?",
    re.IGNORECASE,
)


def street_then_number(text: str) -> str | None:
    """An address written street first, number after, as written, or None."""
    found = (
        _STREET_FIRST.search(text or "")
        or _LATIN_STREET_BEFORE_HAN.search(text or "")
        or _NUMBER_ON_STREET.search(text or "")
    )
    return found.group(0).strip(" ,") if found else None


#: A Japanese block address (丁目 / chōme, 番地, "2-5-3"), as residents of a Japanese city
#: write it in kanji or romaji: "中島町2丁目 5-3", "東町4丁目12-1", "寿町1丁目3番12号",
#: "2-5-3 Nakajima-cho", "Chiribetsu-cho 1-chome, outside number 14".
#: The town part may follow its ward ("博多区千代1丁目", "Sawara-ku Noke 1-chome",
#: "Yakuin 2-chome, Chuo-ku") and need not end in 町 ("箱崎1丁目", "Nishijin 2-chome").
_BLOCK_KANJI = re.compile(
    r"[\u4e00-\u9fff々ヶ]{1,7}?[\s]*[0-9０-９一二三四五六七八九十]{1,3}\s*丁目"
    r"(?:\s*[0-9０-９]{1,4}(?:\s*[-－‐番の]\s*[0-9０-９]{1,4}){0,2}\s*(?:号|番地|番)?)?"
    r"|[\u4e00-\u9fff々]{1,6}[0-9０-９]{1,4}\s*番地(?:\s*[0-9０-９]{1,4}\s*号?)?"
)
_WARD_ROMAJI = r"[A-Za-z]+-ku"
_BLOCK_ROMAJI = re.compile(
    r"\b\d{1,2}-\d{1,4}-\d{1,4}\s+[A-Z][a-z]+(?:-(?:cho|machi|dori|chome))?\b"
    r"|\b\d{1,2}-\d{1,4}\s+[A-Za-z]+-(?:cho|machi|dori)\b"
    rf"|\b(?:{_WARD_ROMAJI},?\s+)?(?!(?:the|a|my|our|near|in|at|by|on)\s)[A-Za-z]+"
    r"(?:-(?:cho|machi))?\s+\d{1,2}[\s-]?chome\b"
    rf"(?:,?\s*{_WARD_ROMAJI}\b)?"
    r"(?:,?\s*(?:outside\s+|near\s+)?(?:number|no\.?|#)\s*\d{1,4})?"
    r"(?:,?\s*\d{1,4}(?:-\d{1,4})?\b)?",
    re.IGNORECASE,
)


#: Characters a sentence puts before a place ("是", "在", "喺"), never a town's first.
_NOT_A_NAME_START = frozenset("是在就到于喺系的住近去")


def block_address(text: str) -> str | None:
    """A Japanese block address in the text, as written, or None."""
    simplified = to_simplified(text or "")
    found = _BLOCK_KANJI.search(simplified)
    if found:
        start = found.start()
        # "是中岛町3丁目", "地址是东区箱崎3丁目": the words before the last of the
        # sentence's own characters (是, 在…) are the sentence's, not the town's.
        name_end = next((i for i in range(start, found.end()) if simplified[i].isdigit()), start)
        cut = max(
            (i for i in range(start, name_end) if simplified[i] in _NOT_A_NAME_START),
            default=start - 1,
        )
        start = cut + 1
        written = text if len(simplified) == len(text) else simplified
        return written[start : found.end()].strip()
    romaji = _BLOCK_ROMAJI.search(text or "")
    return romaji.group(0).strip(" ,") if romaji else None


#: "outside 30 trenton", "in front of like 1000 bennington", "the house next door (1350
#: Waverley)": a house number and a street named without its kind, after a word of where
#: or in brackets (not "at 6 pm", "at 30 degrees").
_BARE_STREET = mixed_pattern(
    r"(?:\b(?:outside|in front of|across from|opposite|next to|near|by|(?:house|building|home|"
    r"place|lives?|living|is)\s+at)|\()\s*(?:like\s+|about\s+)?"
    r"(?P<place>\d{1,5}\s+(?!(?:am|pm|min|mins|minutes|hours?|days?|weeks?|degrees?|feet|ft|"
    r"meters?|metres?|m|km|miles?|yards?|people|cars?|times?|percent|of|or|and|to|more)\b)"
    r"[A-Za-z][a-z'-]{2,}(?:\s+(?:st|street|ave|avenue|rd|road))?)\b",
    re.IGNORECASE,
)


def _house_on_a_bare_street(text: str) -> str | None:
    for found in _BARE_STREET.finditer(text):
        place = found.group("place")
        street = place.split()[1]
        if found.group(0).lstrip().startswith("(") and not street[:1].isupper():
            continue  # "(2 guys)": a count in brackets, not "(1350 Waverley)"
        return place
    return None


def address_in(text: str) -> str | None:
    """The specific place a problem report names, as the resident wrote it, or None."""
    text = text or ""
    simplified = to_simplified(text)
    # Traditional characters map one to one here: spans found in the Simplified text
    # cut the resident's own.
    same_length = len(simplified) == len(text)
    written = text if same_length else simplified
    # "Av. Alfonso el Sabio": the short form's dot (a space here, the same length) ends
    # no clause; spans still cut the resident's own text.
    simplified = _ABBREVIATION_DOT.sub(lambda m: m.group(0)[:-1] + " ", simplified)
    clauses = list(_CLAUSE.finditer(simplified))
    numbered = [at for at, clause in enumerate(clauses) if _numbered(clause.group(0))]
    listed = _address_list(simplified, clauses)
    if listed and not numbered:
        # "Lijingcheng, Liutang Rd, Xixiang, Bao'an": an estate, its road and its areas.
        return written[listed[0] : listed[1]]
    # "near Houhai station … my building (27 Haide 3rd Rd)": the house number pins it.
    # A building's number alone ("8栋两个高三的孩子…") comes after a road named elsewhere
    # ("高新南十道和科技南路交叉口西北角"): in a long message it is often no place at all.
    buildings_only = [
        at
        for at in numbered
        if _BUILDING_ZH.search(clauses[at].group(0)) and not _names_a_road(clauses[at].group(0))
    ]
    roads = [
        at
        for at in range(len(clauses))
        if at not in numbered and _names_a_road(clauses[at].group(0))
    ]
    if not roads:
        buildings_only = []
    first = [at for at in numbered if at not in buildings_only]
    order = first + roads + buildings_only
    order += [at for at in range(len(clauses)) if at not in order]
    for at in order:
        clause = clauses[at]
        found = _specific(clause.group(0))
        if found is None and at + 1 < len(clauses):
            # "Sheridan Street, right outside Tobruk Pool": the road and what pins it.
            found = _pinned_across(simplified, clause, clauses[at + 1])
            if found is not None:
                return written[found[0] : found[1]]
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


def _names_a_road(clause: str) -> bool:
    """The clause names a road ("科技南路", "Haide 3rd Rd") a specific place can be on."""
    return bool(_specific(clause)) and (
        any(road in clause for road in _ROADS_ZH) or any(p.road for p in _pieces_en(clause))
    )


def _numbered(clause: str) -> bool:
    suffixed = any(m.group("number") for m in _SUFFIXED_STREET.finditer(clause))
    return bool(_EN_NUMBER.search(clause) or _BUILDING_ZH.search(clause) or suffixed) and bool(
        _specific(clause)
    )


def _lone_road(clause: str) -> _Piece | None:
    pieces = _pieces_en(clause)
    return pieces[0] if len(pieces) == 1 and pieces[0].road else None


def _pinned_across(
    text: str, clause: re.Match[str], following: re.Match[str]
) -> tuple[int, int] | None:
    """A lone road and, in the next clause, a named landmark beside it."""
    road = _lone_road(clause.group(0))
    number = _NUMBER_PIN.match(following.group(0)) if road is not None else None
    if road is not None and number is not None:
        # "Calle San Vicente, around number 60": the road and its house number.
        start, end = clause.start() + road.start, following.start() + number.end()
        return (start, end) if end - start <= MAX_CHARS else None
    if road is None or not re.match(
        r"\s*(?:(?:right|just)\s+)?(?:near|outside|opposite|by|"
        r"off|behind|beside|next\s+to|across\s+from)\b",
        following.group(0),
        re.IGNORECASE,
    ):
        return None
    found = _specific(following.group(0))
    pinned = _PINNED_BY.match(following.group(0))
    end = following.start() + (found[1] if found else pinned.end() if pinned else 0)
    if end <= following.start():
        return None
    start = clause.start() + road.start
    return (start, end) if end - start <= MAX_CHARS else None


#: A clause of an address list: one to three capitalised words ("Xixiang", "Bao'an").
_AREA_CLAUSE = re.compile(r"\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}\s*")


def _address_list(text: str, clauses: list[re.Match[str]]) -> tuple[int, int] | None:
    """ "Lijingcheng, Liutang Rd, Xixiang, Bao'an": a lone road among areas' names."""
    for at, clause in enumerate(clauses):
        road = _lone_road(clause.group(0))
        if road is None or road.end - road.start < len(clause.group(0).strip()) - 1:
            continue
        first = last = at
        while first > 0 and _AREA_CLAUSE.fullmatch(clauses[first - 1].group(0)):
            first -= 1
        while last + 1 < len(clauses) and _AREA_CLAUSE.fullmatch(clauses[last + 1].group(0)):
            last += 1
        if first == last:
            continue
        start = (
            clauses[first].start()
            + len(clauses[first].group(0))
            - len(clauses[first].group(0).lstrip())
        )
        end = clauses[last].end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start <= MAX_CHARS:
            return (start, end)
    return None


def road_named(text: str) -> str | None:
    """The road a report names without saying where on it, with what the resident put
    beside it ("woodward st edge hill", "Smithfield 那边 Captain Cook Hwy", "深南大道").

    Not specific enough to take unasked (``address_in``), but where the resident, asked
    "where is it?", answers with something that is no place at all ("nah no phone",
    "yep send it", "麻烦尽快"), they meant the road they already named.
    """
    text = without_markup(text or "")
    if is_injection(text):
        return None
    simplified = to_simplified(text)
    written = text if len(simplified) == len(text) else simplified
    for clause in _CLAUSE.finditer(simplified):
        piece = clause.group(0)
        found = _road_in(piece)
        if found is not None:
            start, end = found
            return written[clause.start() + start : clause.start() + end].strip() or None
    # "…路灯坏了一个星期了，Via Petrarca 那边": a street named kind first, the local way.
    return local_street(text)


#: An area named before a road in Chinese text: "Smithfield 那边 Captain Cook Hwy".
_AREA_BEFORE = mixed_pattern(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}\s*(?:那边|这边|的)?\s*$")


def _road_in(clause: str) -> tuple[int, int] | None:
    roads = [p for p in _pieces_en(clause) + _places_zh(clause) if p.road]
    if roads:
        road = min(roads, key=lambda piece: piece.start)
        start, end = road.start, road.end
        pinned = _PINNED_BY.match(clause, end)
        end = pinned.end() if pinned else end
        before = _AREA_BEFORE.search(clause[:start])
        if before and not han_count(clause[start:end]):
            start = before.start()
        return start, end
    spot = street_named(clause)
    return spot


def takes_back(text: str) -> bool:
    """The message takes back something said ("no wait sorry", "不对不对")."""
    return bool(_TAKEN_BACK.search(text or ""))


def numbered_place(text: str) -> bool:
    """Whether ``text`` gives an address down to a number: a Japanese block ("箱崎1丁目"),
    a house number ("88号", "1450 Polk St") or a European "street number" address."""
    plain = without_markup(text or "")
    return bool(
        block_address(plain)
        or street_then_number(plain)
        or _ZH_NUMBER.search(to_simplified(plain))
        or _EN_NUMBER.search(plain)
        or street_spot(plain)
    )


def sentence_naming_a_place(text: str) -> str | None:
    """The first sentence of ``text`` that names a road or a place, as the resident wrote it.

    For a place told after the form moved on ("Shennan Blvd, right outside Gangxia metro
    station exit D, Futian. post number is FT-1182 if that helps"): the resident is
    saying where, so any named road or place will do, not only a specific one; the
    sentence keeps the words around it ("right outside", "就大门口").
    """
    text = text or ""
    retracted = list(_TAKEN_BACK.finditer(text))
    if retracted:
        # "…Nishijin 4-chome bus stop… no wait sorry, it's the other side, Nishijin
        # 2-chome": the place said after taking the first one back.
        later = sentence_naming_a_place(text[retracted[-1].end() :])
        if later is not None:
            return later
    simplified = to_simplified(text)
    written = text if len(simplified) == len(text) else simplified
    for sentence in _SENTENCE.finditer(simplified):
        piece = sentence.group(0)
        if _names_a_place(piece):
            found = written[sentence.start() : sentence.end()].strip(" ，,")
            if len(found) > MAX_CHARS:
                # A long sentence: from the clause that names the place, as far as fits.
                return _clauses_from_the_place(found)
            return found if len(found) >= 2 else None
    return None


def _names_a_place(piece: str) -> bool:
    return bool(
        _pieces_zh(piece)
        or _pieces_en(piece)
        or street_spot(piece)
        or block_address(piece)
        or local_street(piece)
    )


def after_taking_back(text: str) -> str | None:
    """What a message says after its last "no wait sorry" / "不对", when that names a
    place ("… Porta Nolana station... no wait sorry, further down, at the corner with Via
    Duomo": "further down, at the corner with Via Duomo"); else None."""
    taken = list(_TAKEN_BACK.finditer(text or ""))
    if not taken:
        return None
    rest = text[taken[-1].end() :].strip(" ,，.。:;!！")
    return rest if len(rest) >= 2 and sentence_naming_a_place(rest) is not None else None


def _clauses_from_the_place(sentence: str) -> str | None:
    """The clauses of a long sentence from the first that names a place, up to
    :data:`MAX_CHARS` ("…, it's on the street just outside, Akasaka 2-chome side, near
    Akasaka station" gives "Akasaka 2-chome side, near Akasaka station")."""
    clauses = [c.strip() for c in re.split(r"[,，;；]", sentence) if c.strip()]
    for at, clause in enumerate(clauses):
        if not _names_a_place(to_simplified(clause)):
            continue
        kept = clause
        for following in clauses[at + 1 :]:
            if len(kept) + 2 + len(following) > MAX_CHARS:
                break
            kept = f"{kept}, {following}"
        return kept if 2 <= len(kept) <= MAX_CHARS else None
    return None


#: Words that take back what was just said, anywhere in a message.
_TAKEN_BACK = mixed_pattern(
    r"\b(?:no )?wait,? sorry\b|\bno wait\b|\bsorry,? i mean[t]?\b|\bactually no\b|"
    r"不对不对|不对，|說錯了|说错了|讲错了|唔係|不是不是",
    re.IGNORECASE,
)


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
    spot = street_spot(clause) if pieces else None
    if (
        spot is not None
        and spot[0] < pieces[0].start
        and pieces[-1].end - spot[1] <= len("路口") + 1
    ):
        # "Nebraska Ave 和 Waters Ave 路口": a corner of two streets the Chinese words
        # only end; "Waters Ave 路口" alone loses the first street.
        return spot[0], max(spot[1], pieces[-1].end)
    if not pieces:
        # "24th and harrison", "1450 polk st": a grid city's address, typed in lower case.
        return street_spot(clause)
    numbered = bool(_ZH_NUMBER.search(clause) or _EN_NUMBER.search(clause)) or any(
        m.group("number") for m in _SUFFIXED_STREET.finditer(clause)
    )
    specific = len(pieces) >= 2 or numbered or any(not p.road for p in pieces)
    pinned = (
        _PINNED_BY.match(clause, pieces[-1].end) or _NUMBER_PIN.match(clause, pieces[-1].end)
        if pieces[-1].road
        else None
    )
    if not specific and pinned is None:
        return street_spot(clause)  # "geary near 20th ave": one named road and a cross street
    start, end = pieces[0].start, max(pieces[-1].end, pinned.end() if pinned else 0)
    after = _ZH_AFTER.match(clause, end) or _EN_AFTER.match(clause, end)
    if after:
        end = after.end()
    while end > start and clause[end - 1].isspace():
        end -= 1
    return (start, end) if 2 <= end - start <= MAX_CHARS else None


def _pieces_zh(clause: str) -> list[_Piece]:
    return _places_zh(clause) or _buildings_zh(clause)


def _buildings_zh(clause: str) -> list[_Piece]:
    """ "龙岗区布吉街道信义假日名城3栋": an estate named by no place word, and its building."""
    pieces = []
    for number in _BUILDING_ZH.finditer(clause):
        start = number.start()
        while (
            start > number.start() - MAX_ESTATE_CHARS
            and _is_name_char(clause[start - 1])
            and (not clause[start - 1].isdigit())
        ):
            start -= 1
        if number.start() - start >= 2 and "\u4e00" <= clause[start] <= "\u9fff":
            pieces.append(_Piece(start, number.end(), False))
    return pieces


#: Words a sentence opens with that run into a place's name written right after them.
_OPENING_WORDS_ZH = re.compile(r"另外|此外|还有|对了|顺便|而且|然后|另一个|就是|那个|这个")


def _places_zh(clause: str) -> list[_Piece]:
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
        start = _latin_name_start(
            clause, start, taken
        )  # "Tähtitorninvuori公园", "Passe-Partout 车站"
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
        opening = _OPENING_WORDS_ZH.match(clause, start)
        if opening and kind.start() - opening.end() >= 1:
            start = opening.end()  # "另外南公園的廁所燈壞了": 南公園, not 另外南公園
        name = clause[start : kind.start()]
        if len(name) < 2 or name in _NOT_NAMES_ZH or name[-2:] in _NOT_NAMES_ZH:
            continue
        pieces.append(_Piece(start, kind.end(), _is_road(word)))
        taken = kind.end()
    return pieces


#: Most characters of a Latin name read back from a Chinese place word.
MAX_LATIN_NAME_CHARS = 40


def _latin_name_start(clause: str, start: int, taken: int) -> int:
    """Where a Latin name written right before a Chinese place word starts: the whole
    name, hyphens, apostrophes and spaces between its words included ("Tähtitorninvuori
    公园", "Passe-Partout 车站", "Mont-des-Cascades路口"); ``start`` when there is none."""
    at = start
    if at - 2 >= taken and clause[at - 1] == " " and _is_latin(clause[at - 2]):
        at -= 1  # "Passe-Partout 车站": one space before the place word
    if at == start and not (at - 1 >= taken and _is_latin(clause[at - 1])):
        return start
    floor = max(taken, at - MAX_LATIN_NAME_CHARS)
    while at > floor and (
        _is_latin(clause[at - 1])
        or (clause[at - 1] in "-'’." and at - 2 >= floor and _is_latin(clause[at - 2]))
        or (clause[at - 1] == " " and at - 2 >= floor and _is_latin(clause[at - 2]))
    ):
        at -= 1
    while at < start and clause[at] == " ":
        at += 1
    return at


def _is_latin(char: str) -> bool:
    return (char.isalnum() or char in "-'’") and not is_han(char)


def _is_road(word: str) -> bool:
    return word in _ROADS_ZH or word.endswith("道")


def _is_name_char(char: str) -> bool:
    return char not in _NAME_STOPS and ("\u4e00" <= char <= "\u9fff" or char.isalnum())


#: Capitalised words that open a sentence before a place's name: "It's Mulgrave Rd".
_LEADING = re.compile(rf"(?:(?:{_NOT_AREAS}|A|An|My|Our|Its)\s+)+")


def _pieces_en(clause: str) -> list[_Piece]:
    pieces = [_Piece(m.start(), m.end(), True) for m in _THE_ROAD.finditer(clause)]
    # "Calle San Vicente", "Av  Alfonso el Sabio": streets named kind first.
    pieces += [_Piece(start, end, True) for start, end in local_street_spans(clause)]
    pieces += [
        _Piece(start, end, False)
        for start, end in local_landmark_spans(clause)
        if not any(p.start <= start < p.end for p in pieces)
    ]
    pieces += [
        _Piece(m.start(), m.end(), not _SQUARE.search(m.group(0)))
        for m in _SUFFIXED_STREET.finditer(clause)
    ]
    for m in _EN_PIECE.finditer(clause):
        if m.group("name").split()[0] in ("The", "A", "An", "I", "My", "Our"):
            continue
        lead = _LEADING.match(clause, m.start())
        if lead and lead.end() >= m.start("name") + len(m.group("name")):
            continue  # "Please stop the noise": no name before the kind word at all
        start = lead.end() if lead and lead.end() < m.start("kind") else m.start()
        road = re.fullmatch(_ROADS_EN, m.group("kind"), re.I) is not None
        if not any(p.start <= start < p.end for p in pieces):
            pieces.append(_Piece(start, m.end(), road))
    return sorted(pieces, key=lambda piece: piece.start)


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


#: Words of place in Chinese, without 这/那 ("先报噪音那个吧" points at a report, not a place).
_PLACE_WORD_ZH = re.compile(
    rf"{_ZH_KIND.pattern}|在|旁|附近|对面|门|楼|边|里|号|区|口|前面|后面|侧|\d"
)
_SENTENCE_STARTS = frozenset(_NOT_AREAS.split("|")) | {"OK", "Ok", "Yes", "No", "Nah", "Yep"}


def names_no_place(text: str) -> bool:
    """True when ``text`` has no word that could say where: no place or road word, no
    preposition of place, no number, no capitalised name ("麻烦尽快", "快啲報啦",
    "yep send it", "先报噪音那个吧"). "my office" and "downstairs" name a place."""
    simplified = to_simplified(without_markup(text or ""))
    if _PLACE_WORD_ZH.search(simplified) or _WHERE_EN.search(simplified):
        return False
    if _pieces_en(simplified) or street_spot(simplified):
        return False
    names = [w for w in re.findall(r"[A-Za-z][\w'’-]*", simplified) if w[0].isupper()]
    return all(name in _SENTENCE_STARTS for name in names)
