"""What else a transit question says besides stations: which line, "last train", a fare.

Riders write "1号线", "Line 5", "罗宝线", "末班车", "last train", "多少钱" (the day and time
they mean are read by ``actions.transit.when``).
The NLU model extracts stations and (sometimes) a ``route`` entity; these small readers
cover the rest from the text, in both languages, for any feed: lines are matched against
the feed's own short and long names and their translations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from actions.clients.gtfs.model import Route, TransitFeed
from actions.clients.gtfs.names import normalise_name
from actions.transit.line_colours import colours_named, routes_of_colours
from bot.language.mixed_script import mixed_pattern
from bot.language.normalise import nlu_text
from bot.language.numerals import chinese_number
from bot.language.script import to_simplified

#: Up to three words naming a line between "last"/"first" and the vehicle: "the last
#: Line 2 train", "the first northbound 3 bus".
_BETWEEN = (
    r"(?:(?:the|line|route|no\.?|[a-z]?\d+[a-z]?|northbound|southbound|eastbound|westbound"
    r"|express|airport|metro|subway"
    # "first yellow line", "last blue line train": a line called by its colour
    r"|red|orange|yellow|green|blue|silver|purple|pink|brown|grey|gray)\s+){0,3}?"
)
_VEHICLES = r"(?:train|metro|subway|bus|tram|ferry|service|departure|one|line)s?\b"
#: "what time does the metro start on saturday", "when does the subway close tonight".
_OPENS = r"\b(?:what time|when)\s+(?:does|do|will)\s+(?:the\s+)?{}\s+(?:{})\b"
_SERVICE = r"(?:metro|subway|trains?|bus(?:es)?|trams?|ferr(?:y|ies)|service|[a-z]+ line)"
#: A follow-up of that word alone: "and last?", "what about the first one?".
_ALONE = r"^\s*(?:(?:and|so|ok|what about|how about|&)\s+)?(?:the\s+)?{}(?:\s+one)?\s*[?？!.]*\s*$"
_LAST = re.compile(
    rf"末班|最后一班|尾班|最尾|最晚|最迟|(?<!at )\blast\s+{_BETWEEN}{_VEHICLES}"
    # the word riders of Romance-language cities mix in: "qual é o último metro…"
    r"|(?<![A-Za-z])(?:o|a|el|la|le)\s+(?:[uú]ltim[oa]|derni[eè]re?)(?![A-Za-z])"
    rf"|\bfinal\s+{_BETWEEN}{_VEHICLES}|\blatest\s+{_BETWEEN}{_VEHICLES}"
    rf"|{_ALONE.format('(?:last|latest|final)')}"
    # "what's the last A44 from Tsentralna Gara tonight?": a line's code for the vehicle
    r"|\blast\s+(?:the\s+)?(?:(?:uptown|downtown|northbound|southbound|eastbound|westbound"
    r"|inbound|outbound)\s+)?[a-z]{0,2}\d{1,4}[a-z]?\s+(?:train\s+)?"
    r"(?:from|at|to|towards|leaving|tonight)\b"
    # "what's the latest she can leave X tonight", "how late can I leave"
    r"|\blatest\s+(?:\w+\s+){0,3}?(?:can|could|should|to)\s+"
    r"(?:leave|go|get|catch|take|head|ride|travel|come|return|be back)\b"
    r"|\bhow late (?:can|could|does|do|is)\b"
    rf"|{_OPENS.format(_SERVICE, 'close|stop|end|shut')}",
    # ASCII word boundaries: "…的last train" has one between 的 and last.
    re.IGNORECASE | re.ASCII,
)
_FIRST = re.compile(
    rf"头班|首班|第一班|最早|\bfirst\s+{_BETWEEN}{_VEHICLES}|\bearliest\s+{_BETWEEN}{_VEHICLES}"
    r"|(?<![A-Za-z])(?:o|a|el|la|le)\s+(?:primeir[oa]|primer[oa]?|premi[eè]re?)(?![A-Za-z])"
    r"|\b(?:first|earliest)\s+(?:the\s+)?(?:(?:uptown|downtown|northbound|southbound"
    r"|eastbound|westbound|inbound|outbound)\s+)?[a-z]{0,2}\d{1,4}[a-z]?\s+(?:train\s+)?"
    r"(?:from|at|to|towards|leaving)\b"
    rf"|{_ALONE.format('(?:first|earliest)')}"
    rf"|{_OPENS.format(_SERVICE, 'start|open|begin|run from')}"
    # "i need to get to benidorm early", "as early as possible": the day's first.
    r"|\b(?:get|be|arrive|reach)\s+(?:to\s+|at\s+|in\s+)?(?:\w+\s+){0,3}?early\b"
    r"|\bas early as (?:possible|i can|we can)\b|\bearly (?:train|tram|bus|one)\b"
    # "first and last A44": both ends of the day
    r"|\b(?:first|earliest)\s+(?:and|&)\s+(?:the\s+)?(?:last|latest)\b",
    re.IGNORECASE | re.ASCII,
)
_LINE_NUMBER = mixed_pattern(
    r"(?:(?<![a-z0-9])(?:line|route|bus|tram|ferry|no\.?)\s*#?\s*([a-z]?[0-9]{1,4}[a-z]?)(?![0-9]))"
    r"|(?:(?<![a-z0-9])([a-z]?[0-9]{1,4}[a-z]?)\s*(?:号\s*线|路|号?\s*巴士|号?\s*公交|号\s*车|号\s*地铁)|"
    r"(?:(?<![a-z0-9])([a-z]?[0-9]{1,4}[a-z]?)\s+(?:bus|tram|line|train)\b))",
    re.IGNORECASE,
)
#: "the 2", "take the 1": a line by its number, as New Yorkers say it; not "the 2 of us",
#: "take 5 minutes", "the 1st", "the 96 st". Only a line the feed has counts (never "no
#: line 3" for "the 3 cheapest").
_THE_NUMBER = mixed_pattern(
    r"(?<![a-z0-9])(?:the|take|catch|ride|next|a|any)\s+(?:(?:up|down)[\s-]?t(?:ow|wo)n\s+|"
    r"(?:north|south|east|west)[\s-]?bound\s+|express\s+|local\s+)?([0-9]{1,3})(?![0-9a-z:]|[.,][0-9]|\s*(?:min|"
    r"mins|minutes?|hours?|hrs?|stops|stations|people|persons|of|am|pm|a\.m|p\.m|o'?clock|"
    r"blocks?|dollars?|bucks|times|days?|weeks?|months?|years?|kids|more|or|to|and|st|street|"
    r"av|ave|avenue|rd|road|pl|place|blvd|dr|drive|way|ln|lane)\b|\s*[-%街])",
    re.IGNORECASE,
)
#: A line code of letters and digits standing alone ("A44", "M2", "12A"), not a time or price.
_LINE_CODE = re.compile(
    r"(?<![A-Za-z0-9.:$¥€£])([a-z]+\d+[a-z]*|\d+[a-z]+)(?![A-Za-z0-9.:])", re.IGNORECASE
)
#: Words around a line's name that are not the name: "the 96", "route 12", "12路", "3号线".
_LINE_WORDS = re.compile(
    r"^(?:the\s+)?(?:line|route|bus|tram|ferry|no\.?)?\s*|\s*(?:号线|路|线|bus|tram|line)$",
    re.IGNORECASE,
)
_FARE = mixed_pattern(
    r"多少钱|票价|车费|几块|几元|价格|价钱|\bfares?\b|how\s+much|\bprice|\bcost"
    # mixed in by riders of Portuguese-, Spanish- and French-speaking cities
    r"|\bquanto (?:custa|é o bilhete|e o bilhete)|\bcu[aá]nto cuesta|\bcombien\b",
    re.I,
)
_DEPARTURES = mixed_pattern(
    r"下一班|下一趟|下趟|末班|首班|头班|几点|发车|时刻|多久一班|几分钟一班|有车吗|还有车|有没有车|"
    r"车多吗|车多不多|密不密|密吗|车密|班次|间隔|"
    r"\bhow often\b|\bfrequen|\bnext\b|\blast\b|\bfirst\b|\bwhen\b|"
    r"timetable|schedule|departures?",
    re.IGNORECASE,
)


_ARRIVE_BY = mixed_pattern(
    r"前到|之前到|以前到|前赶到|前能到|前要到|前得到|前必须到|赶得上|准时到|到得了|"
    r"\barrive (?:by|before)|\bget (?:there|in) (?:by|before)|\bbe there (?:by|before)"
    r"|\bin time for\b|\bmake it (?:by|for)\b"
    # "need to be at Hakata station before 9", "have to reach the airport by noon": a
    # place between the verb and the time.
    r"|\b(?:be|get to|arrive|reach)\b[^.?!,;]{0,40}?\b(?:by|before|no later than)\s+"
    r"(?:\d{1,2}\b|noon|midday|midnight|(?:one|two|three|four|five|six|seven|eight|nine"
    r"|ten|eleven|twelve)\b)",
    re.IGNORECASE,
)
_APPOINTMENT = mixed_pattern(
    # "I have an exam at 7:30 at the uni", "my interview is at 10", "我9点上课": something
    # starts at that time, where the rider is going.
    r"\b(?:exam|class|lecture|appointment|meeting|interview|flight|shift|surgery|check-?in"
    r"|lesson|job|work|school)\s+(?:is\s+|starts?\s+|begins?\s+)?(?:at|@)\s*\d{1,2}\b"
    # "a follow up at Tampa General at 7:30": the place between, then the time
    r"|\b(?:appointment|follow[- ]?up|check-?up|exam|interview|surgery|shift)\s+(?:at|in)\s+"
    r"[^.?!,;]{1,40}?\s+at\s+\d{1,2}(?:[:.]\d{2})?\b"
    r"|\bstarts? (?:work|school|class|my shift) at\s*\d{1,2}\b"
    r"|\d{1,2}\s*(?:点|點|:\d{2}|：\d{2})(?:半|钟|鐘)?\s*(?:要|得|就)?(?:上课|上課|上班|开会|開會|考试|考試"
    r"|面试|面試|的飞机|的飛機|的航班|的高铁|的高鐵|的火车|的火車|开考|開考|报到|報到|打卡|返工|返學)"
    r"|(?:上课|上課|上班|考试|考試|面试|面試|开会|開會|返工|返學)(?:是|在)?\s*\d{1,2}\s*(?:点|點|:|：)",
    re.IGNORECASE,
)


def wants_to_arrive_by(text: str) -> bool:
    """ "大概几点出发能九点前到？", "I need to be there by 9": the time is for arriving; so is
    "I have an exam at 7:30", unless the first train is asked for ("我要趕8點的飛機，搭第一班
    來得及嗎": whether the first makes it)."""
    read = nlu_text(text)
    if _ARRIVE_BY.search(read):
        return True
    return bool(_APPOINTMENT.search(read)) and not wants_first_departure(text)


def asks_fare(text: str) -> bool:
    """ "多少钱", "how much", "fare": the message asks what a ride costs."""
    return bool(_FARE.search(nlu_text(text)))


#: Words that ask the way itself (a route), beside or instead of its price.
_THE_WAY = mixed_pattern(
    r"怎么走|怎么去|怎么坐|怎样去|怎样走|如何去|点样去|点去|点搭|点样搭|路线|换乘|转车|转乘|坐几号线|搭几号线|"
    r"多久|多长时间|几耐|"
    r"\bhow (?:do|can|should|would) (?:i|we|you) (?:get|go|travel)|\bhow to (?:get|go)|\broute\b|"
    r"\bdirections?\b|\btransfers?\b|\bchange (?:lines|trains)|\bwhich line|\bhow long"
    # "which train do i take", "what bus should we get": the way, said by the vehicle
    r"|\b(?:which|what) (?:train|bus|tram|metro|subway|ferry|line)s? (?:do|should|can|would|must)"
    r" (?:i|we|you) (?:take|get|catch|ride|board)\b|坐哪条线|坐哪趟|坐什么车|搭咩车|搭边条线",
    re.I,
)


#: "how long does it take", "要多久": the ride's duration.
_HOW_LONG = mixed_pattern(
    r"要多久|多长时间|多久到|几耐|幾耐|几多分钟到|\bhow long\b|\btravel time\b|\bjourney time\b",
    re.I,
)


def asks_how_long(text: str) -> bool:
    """ "the one after that how long does it take", "要多久": how long the ride is."""
    return bool(_HOW_LONG.search(nlu_text(text))) and not asks_how_often(text)


def asks_only_fare(text: str) -> bool:
    """ "from 华强北 to 海上世界 how much ah": the price of a trip, not the way too."""
    simplified = nlu_text(text)
    return bool(_FARE.search(simplified)) and not _THE_WAY.search(simplified)


def asks_the_way(text: str) -> bool:
    """ "怎么去", "how do I get to", "which line": the message asks how to travel."""
    return bool(_THE_WAY.search(nlu_text(text)))


def asks_departures(text: str) -> bool:
    """ "下一班", "几点", "next", "when", "timetable": the message asks when vehicles leave."""
    return bool(_DEPARTURES.search(nlu_text(text)))


#: "How often does the 5 come?", "多久一班", "車密唔密": the frequency, not the next three.
_HOW_OFTEN = mixed_pattern(
    r"多久一班|多久一趟|多久来一班|多久有一班|几分钟一班|几分钟一趟|多长时间一班|隔多久|间隔多|"
    r"几耐一班|幾耐一班|几多分钟一班|车密|密不密|密唔密|密吗|班次多|车多不多|车多吗|"
    r"一小时几班|一个小时几班|一小时有几班|每小时几班|"
    r"\bhow often\b|\bhow frequent(?:ly)?\b|\bfrequency\b|\bevery how many\b"
    r"|\bhow many (?:buses|trains|trams|ferries|services|departures|runs)\b",
    re.IGNORECASE,
)


def asks_how_often(text: str) -> bool:
    """ "how often does line 1 run", "多久一班", "how many buses an hour"."""
    return bool(_HOW_OFTEN.search(nlu_text(text)))


#: "is there a way without switching trains", "any direct bus?", "有没有直达的", "唔使轉車".
_DIRECT = mixed_pattern(
    r"\bwithout (?:a |any |having to )?(?:chang|switch|transfer)\w*"
    r"|\bno (?:changes?|transfers?|switching)\b"
    r"|\b(?:don'?t|do not|rather not|wouldn'?t) (?:want to |wanna |like to |have to |need to )?"
    r"(?:chang|switch|transfer)\w*"
    r"|\bdirect(?:ly)?\b(?! debit)|\bone[- ]seat\b|\ball the way (?:there|to)\b"
    r"|\bsem (?:trocar|mudar|transbordo)\b|\bsin (?:transbordo|cambiar)\b|\bdireto\b|\bdirecto\b"
    r"|直达|直達|直接到|一趟车到|一趟到|一班车到|一班到"
    r"|(?:不用|不要|不需要|唔使|唔駛|唔洗|毋須|无需|無需|免)(?:换乘|換乘|转车|轉車|换车|換車|转线|轉線|转乘|轉乘)",
    re.IGNORECASE,
)


def asks_for_a_direct_ride(text: str) -> bool:
    """ "is there a way without switching trains", "有直达的吗": one ride, no change."""
    return bool(_DIRECT.search(nlu_text(text)))


def wants_last_departure(text: str) -> bool:
    """ "末班车几点", "when is the last train"."""
    return bool(_LAST.search(nlu_text(text)))


#: "现在最早一班", "the earliest one from now": the first from now on, not of the day.
_FROM_NOW = mixed_pattern(
    r"现在|而家|宜家|马上|目前|从现在|\bnow\b",
    re.IGNORECASE,
)


def asks_from_now(text: str) -> bool:
    """ "那今天呢？现在最近的一班", "right now": the trains from now, not the day's first."""
    return bool(_FROM_NOW.search(nlu_text(text)))


def wants_first_departure(text: str) -> bool:
    """ "头班车几点", "when is the first train" (not "现在最早一班": the next one)."""
    read = nlu_text(text)
    return bool(_FIRST.search(read)) and not _FROM_NOW.search(read)


_ZH_LINE = re.compile(r"[零一二两三四五六七八九十]{1,3}(?=\s*号\s*线)")


def _digit_lines(text: str) -> str:
    """ "一号线" → "1号线", "十一号线" → "11号线": line numbers written in words."""

    def digits(match: re.Match[str]) -> str:
        value = chinese_number(match.group(0))
        return match.group(0) if value is None else str(value)

    return _ZH_LINE.sub(digits, text)


def routes_named(feed: TransitFeed, text: str, entity_values: Iterable[str] = ()) -> list[Route]:
    """Lines the message names: by number ("1号线", "一号线", "Line 1") or by name."""
    found: dict[str, Route] = {}
    simplified = _digit_lines(to_simplified(text))
    numbers = {
        next(g for g in m.groups() if g).casefold() for m in _LINE_NUMBER.finditer(simplified)
    } | {m.group(1) for m in _THE_NUMBER.finditer(simplified)}
    keys = {normalise_name(value) for value in entity_values if value}
    keys |= {normalise_name(_LINE_WORDS.sub("", value)) for value in entity_values if value}
    keys.discard("")
    # "A44", "M2", "X1" name a line on their own; a bare number ("8") needs "Line"/"路".
    codes = {t.casefold() for t in _LINE_CODE.findall(simplified)}
    plain = {route.short_name.casefold() for route in feed.routes.values()}
    # "L9", "L4" as Spain, Catalonia or France call lines whose feed names them "9", "4".
    numbers |= {
        code[1:].lstrip("0") or "0"
        for code in codes
        if re.fullmatch(r"l\d{1,3}", code) and code not in plain
    }
    for route in feed.routes.values():
        short = route.short_name.casefold()
        if short and (short in numbers or normalise_name(short) in keys or short in codes):
            found[route.route_id] = route
            continue
        number = number_within(route.short_name)
        last_word = short.split()[-1] if short.split() else ""
        if (
            number
            and number not in plain
            and (number in numbers or number in keys or (last_word != short and last_word in codes))
        ):
            # "4号线", "line 9", "the 2161" for SPTrans's "METRÔ L4", "CPTM L09", "2161-10"
            found[route.route_id] = route
            continue
        brand = _BRAND.match(route.long_name or "")
        if brand and re.search(rf"(?<![a-z]){re.escape(brand.group(1))}(?![a-z])", text, re.I):
            # "last metrorapid north": Tampa's "MetroRapid - Nebraska Avenue" (route 400)
            found[route.route_id] = route
            continue
        for name in (*line_names_within(route.long_name), route.long_name, *route.names.values()):
            key = normalise_name(to_simplified(name)) if name else ""
            if len(key) >= 2 and (key in keys or key in normalise_name(simplified)):
                found[route.route_id] = route
                break
    for route in routes_of_colours(feed, colours_named(text)):
        found.setdefault(route.route_id, route)  # "红线", "linha azul": by route_color
    return list(found.values())


#: A service's brand opening a line's long name, one word in camel case: "MetroRapid -
#: Nebraska Avenue", "RapidRide C Line", "SkyConnect": riders call the line by it.
_BRAND = re.compile(r"^\s*([A-Z][a-z]+[A-Z][A-Za-z]+)\b")
#: A line's number inside a code that says more: "METRÔ L4" (4), "CPTM L09" (9),
#: "2161-10" (SPTrans's line 2161, variant 10), "6450-51".
_NUMBER_WITHIN = re.compile(
    r"(?:^|\s)(?:L|Line|Linha|Linea|Línea)?0*([1-9]\d{0,3})(?:-\d{1,3})?$", re.I
)


def number_within(short_name: str) -> str | None:
    """The number riders call a line by, when its code wraps it ("METRÔ L4" -> "4")."""
    found = _NUMBER_WITHIN.search(short_name.strip())
    if found is None or found.group(1) == short_name.strip():
        return None
    return found.group(1)


#: A line named inside a longer name: "Wonderland-Bowdoin (Blue Line)", "Red Line - Ashmont".
_LINE_WITHIN = re.compile(r"\b([A-Z][\w'-]*(?: [A-Z][\w'-]*)? Line)\b")
#: Colours lines are named for, in Chinese: "蓝线" for the Blue Line (Boston, Chicago,
#: Washington, Los Angeles, Dallas name theirs so), a fact of both languages.
_COLOURS_ZH = {
    "red": "红", "orange": "橙", "yellow": "黄", "green": "绿", "blue": "蓝", "purple": "紫",
    "silver": "银", "brown": "棕", "pink": "粉", "gold": "金", "grey": "灰", "gray": "灰",
    "white": "白", "black": "黑", "violet": "紫", "magenta": "品红", "teal": "青",
}  # fmt: skip


def line_names_within(long_name: str) -> list[str]:
    """Lines a route's long name names inside it, and their Chinese colour names.

    "Wonderland-Bowdoin (Blue Line)" → ["Blue Line", "蓝线", "蓝色线"]: riders say the
    line, not the two ends.
    """
    names = [
        name
        for name in _LINE_WITHIN.findall(long_name or "")
        # a colour's line, or a line in brackets: not "Metro Line 1"'s "Metro Line"
        if name.split()[0].casefold() in _COLOURS_ZH or f"({name})" in long_name
    ]
    for name in list(names):
        colour = _COLOURS_ZH.get(name.split()[0].casefold())
        if colour and len(name.split()) == 2:
            names += [f"{colour}线", f"{colour}色线"]
    return names


def line_references(text: str, entity_values: Iterable[str] = ()) -> list[str]:
    """How the message names lines, as typed: "Line 9", "12路", and the ``route`` entities.

    For telling the rider that a line they asked about is not in the timetable.
    """
    named = [m.group(0).strip() for m in _LINE_NUMBER.finditer(_digit_lines(to_simplified(text)))]
    named += [
        value
        for value in entity_values
        if value and value not in named and value.strip().casefold() not in _NO_LINE_NAMED
    ]
    return named


#: Words the model may mark as a line that name none ("what hours is that line open").
_NO_LINE_NAMED = frozenset(
    "line|lines|the line|that line|this line|a line|route|routes|the route|bus|buses|the bus"
    "|train|trains|线|路|号线|线路|那条线".split("|")
)
