"""What a ride costs, from the feed's fare rules; and the fare policy when no ride is named.

GTFS (``fare_attributes.txt`` + ``fare_rules.txt``) prices either a pair of zones — Shenzhen
Metro's distance fare is a rule per origin/destination pair — or a route. A journey is
priced by a rule for its two ends when the feed has one (transfers inside the paid area
are free then); otherwise each ride is priced by its route and the rides are added up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from actions.clients.gtfs.model import TransitFeed
from actions.clients.gtfs.queries import Fare, fare_between


@dataclass(frozen=True)
class Ride:
    """One leg of a journey, as the fare rules see it."""

    board_stop_id: str
    alight_stop_id: str
    route_id: str


@dataclass(frozen=True)
class FarePolicy:
    """A summary of the feed's fares for "how much is the metro?"."""

    lowest: Decimal
    highest: Decimal
    currency: str
    #: Transfers allowed on one fare (None: unlimited, as GTFS leaves it empty).
    transfers: int | None
    by_zone: bool


def journey_fare(
    feed: TransitFeed, origin_id: str, destination_id: str, rides: Sequence[Ride] = ()
) -> Fare | None:
    """The fare from ``origin_id`` to ``destination_id`` over ``rides`` (None: unknown)."""
    routes = frozenset(ride.route_id for ride in rides) or None
    if len(rides) <= 1:
        return fare_between(feed, origin_id, destination_id, routes)
    whole = fare_between(feed, origin_id, destination_id, ())
    if whole is not None:
        return whole
    parts = [
        fare_between(feed, ride.board_stop_id, ride.alight_stop_id, (ride.route_id,))
        for ride in rides
    ]
    if any(part is None for part in parts):
        return None
    known = [part for part in parts if part is not None]
    if len({part.currency for part in known}) != 1:
        return None
    total = sum((part.price for part in known), Decimal(0))
    return Fare("+".join(part.fare_id for part in known), total, known[0].currency)


def fare_policy(feed: TransitFeed) -> FarePolicy | None:
    """The range of fares the feed charges, or None when it has no fares."""
    attributes = list(feed.fare_attributes.values())
    if not attributes:
        return None
    prices = [a.price for a in attributes]
    transfers = {a.transfers for a in attributes}
    return FarePolicy(
        lowest=min(prices),
        highest=max(prices),
        currency=attributes[0].currency,
        transfers=transfers.pop() if len(transfers) == 1 else None,
        by_zone=any(rule.origin_id or rule.destination_id for rule in feed.fare_rules),
    )


def money(amount: Decimal, currency: str, language: str) -> str:
    """ "¥4" / "4 元" for yuan; "USD 1.75" otherwise."""
    text = f"{amount.normalize():f}" if amount == amount.to_integral() else f"{amount:.2f}"
    if currency.upper() == "CNY":
        return f"¥{text}" if language == "en" else f"{text} 元"
    return f"{currency.upper()} {text}"


#: Riders whose fare may differ from the full fare: "老人坐地铁免费吗", "student discount?".
_CONCESSION = re.compile(
    r"老人|老年|长者|長者|敬老|学生|學生|儿童|兒童|小孩|孩子|小朋友|残疾|殘疾|军人|軍人|优惠|優惠|半价|半價"
    r"|免费乘车|免費乘車"
    r"|\b(?:senior|elderly|old people|pensioner|student|child|children|kids?|disabled|concession"
    r"|discount|half[- ]price)s?\b",
    re.IGNORECASE | re.ASCII,
)


#: Ways of paying a fare: "can I just tap my suica", "能刷交通卡吗", "八达通得唔得".
_PAYING = re.compile(
    r"交通卡|公交卡|一卡通|八达通|八達通|刷卡|刷手机|刷手機|支付宝|支付寶|微信支付|二维码|二維碼|扫码|掃碼|月票|"
    r"怎么付|怎么买票|点样俾钱|點樣俾錢|"
    r"\b(?:tap|contactless|credit card|debit card|card|ic card|suica|pasmo|octopus|oyster|"
    r"clipper|opal|myki|presto|apple pay|google pay|pay by|pay with|pay for|monthly pass|"
    r"day pass|travel pass|transit pass|ticket machine|ticket office"
    r"|buy (?:a |the |my |our )?(?:\w+ )?tickets?)\b"
    r"|哪里买票|哪裡買票|喺边度买飞|喺邊度買飛|买飞|買飛",
    re.IGNORECASE,
)


def asks_how_to_pay(text: str) -> bool:
    """The message asks how fares are paid (cards, passes, apps), not what they cost."""
    return bool(_PAYING.search(text or ""))


def asks_a_concession(text: str) -> str | None:
    """The rider the message asks a reduced fare for, as written ("老人", "students")."""
    match = _CONCESSION.search(text or "")
    return match.group(0) if match else None


#: How many ride together, as a fare question says it: "how much for us both", "for the 3
#: of us", "我们两个人多少钱", "两张票". Counted as full fares (concessions are the
#: operator's, not the feed's).
_PARTY = re.compile(
    r"\b(?:us both|both of us|the two of us|for two|two of us)\b"
    r"|\b(?:for\s+)?(?:the\s+)?(\d|two|three|four|five)\s+(?:of us|people|persons|adults|tickets)\b"
    r"|(?:我们|我哋|我們)?(两|兩|二|三|四|五|\d)\s*(?:个人|個人|人|位|张票|張票|张|張)"
    r"|我们俩|我們倆|我哋两个|我哋兩個",
    re.IGNORECASE,
)
_COUNTS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "两": 2,
    "兩": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
}


def party_size(text: str) -> int:
    """How many people a fare question is for (1 unless it says more)."""
    found = _PARTY.search(text or "")
    if found is None:
        return 1
    said = next((g for g in found.groups() if g), "")
    if not said:
        return 2  # "us both", "我们俩"
    number = int(said) if said.isdigit() else _COUNTS.get(said.casefold(), 1)
    return number if 1 <= number <= 9 else 1


def price_for(amount: Decimal, currency: str, language: str, people: int) -> str:
    """The fare as a reply says it: for one, or each and in all for a party."""
    each = money(amount, currency, language)
    if people <= 1:
        return each
    total = money(amount * people, currency, language)
    if language == "en":
        return f"{each} each ({total} for the {people} of you)"
    return f"每人 {each}，{people} 人共 {total}"
