"""The figures on the metrics page, computed in the database from the conversation index.

Days are Shenzhen days. Containment is the share of conversations that ended
without a handoff to a person and without a fallback ("I didn't understand");
the fallback rate is the share with at least one fallback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.engine import Connection

from bot.console import schema
from bot.console.queries import CITY_TIME, day_start

OFFSET = 8 * 3600
DAY = 86400


@dataclass
class Metrics:
    """Per-day series over a period, and the period's top intents."""

    days: List[dt.date]
    by_language: Dict[str, List[int]] = field(default_factory=dict)
    by_channel: Dict[str, List[int]] = field(default_factory=dict)
    containment: List[float | None] = field(default_factory=list)
    fallback_rate: List[float | None] = field(default_factory=list)
    complaints: List[int] = field(default_factory=list)
    permit_status: List[int] = field(default_factory=list)
    top_intents: List[Tuple[str, int]] = field(default_factory=list)
    total: int = 0


def period(days: int, today: dt.date | None = None) -> List[dt.date]:
    """The last ``days`` Shenzhen days, oldest first."""
    today = today or dt.datetime.now(CITY_TIME).date()
    return [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]


def compute(connection: Connection, days: Sequence[dt.date]) -> Metrics:
    table = schema.conversations
    start, end = day_start(days[0]), day_start(days[-1] + dt.timedelta(days=1))
    day_number = cast((table.c.started_at + OFFSET) / DAY, Integer)
    first = int((start + OFFSET) // DAY)
    index = {first + n: n for n in range(len(days))}
    result = Metrics(days=list(days))
    size = len(days)
    totals = [0] * size
    contained = [0] * size
    fallbacks = [0] * size
    result.complaints = [0] * size
    result.permit_status = [0] * size
    in_period = (table.c.started_at >= start) & (table.c.started_at < end)

    for row in connection.execute(
        select(
            day_number.label("day"),
            table.c.language,
            table.c.channel,
            func.count().label("n"),
            func.sum(case((table.c.had_fallback.is_(True), 1), else_=0)).label("fallbacks"),
            func.sum(
                case(
                    ((table.c.had_fallback.is_(False)) & (table.c.handoff_requested.is_(False)), 1),
                    else_=0,
                )
            ).label("contained"),
            func.sum(case((table.c.complaint_filed.is_(True), 1), else_=0)).label("complaints"),
            func.sum(case((table.c.permit_status_checked.is_(True), 1), else_=0)).label("permits"),
        )
        .where(in_period)
        .group_by(day_number, table.c.language, table.c.channel)
    ):
        position = index.get(int(row.day))
        if position is None:
            continue
        count = int(row.n)
        language = row.language or "?"
        channel = row.channel or "?"
        result.by_language.setdefault(language, [0] * size)[position] += count
        result.by_channel.setdefault(channel, [0] * size)[position] += count
        totals[position] += count
        contained[position] += int(row.contained or 0)
        fallbacks[position] += int(row.fallbacks or 0)
        result.complaints[position] += int(row.complaints or 0)
        result.permit_status[position] += int(row.permits or 0)

    result.total = sum(totals)
    result.containment = [c / t if t else None for c, t in zip(contained, totals, strict=True)]
    result.fallback_rate = [f / t if t else None for f, t in zip(fallbacks, totals, strict=True)]
    intents = schema.conversation_intents
    result.top_intents = [
        (row.intent, int(row.n))
        for row in connection.execute(
            select(intents.c.intent, func.sum(intents.c.count).label("n"))
            .join(table, table.c.sender_id == intents.c.sender_id)
            .where(in_period)
            .group_by(intents.c.intent)
            .order_by(func.sum(intents.c.count).desc(), intents.c.intent)
            .limit(12)
        )
    ]
    return result
