"""What staff take out of the console: corrections as Rasa training data, transcripts as CSV.

Corrections become NLU examples in Rasa's YAML format, one file per language,
ready to save under ``data/nlu/`` and train on. An example that contains
personal data (as ``bot.console.redaction`` finds it) is left out and counted:
a phone number has no place in training data, and masking it would teach the
model a placeholder nobody types. Transcripts are exported redacted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Sequence

import yaml

from bot.console.annotations import annotate
from bot.console.redaction import find_pii, redact
from bot.console.transcripts import BotTurn, Turn, UserTurn

CITY_TIME = dt.timezone(dt.timedelta(hours=8))
CSV_COLUMNS = [
    "conversation",
    "time",
    "channel",
    "language",
    "speaker",
    "text",
    "intent",
    "confidence",
]


@dataclass(frozen=True)
class Correction:
    """A message with the intent and entities a reviewer says it should have had."""

    text: str
    language: str
    intent: str
    entities: Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class NluExport:
    """A training-data file and what was left out of it."""

    yaml: str
    examples: int
    left_out_personal_data: int


def nlu_yaml(corrections: Iterable[Correction], language: str) -> NluExport:
    """Rasa NLU training data for ``language`` (``en`` or ``zh``), grouped by intent."""
    by_intent: Dict[str, List[str]] = {}
    left_out = 0
    examples = 0
    for correction in corrections:
        if correction.language != language:
            continue
        if find_pii(correction.text):
            left_out += 1
            continue
        line = " ".join(annotate(correction.text, correction.entities).split())
        bucket = by_intent.setdefault(correction.intent, [])
        if line and line not in bucket:
            bucket.append(line)
            examples += 1
    document = {
        "version": "3.1",
        "nlu": [
            {"intent": intent, "examples": "".join(f"- {line}\n" for line in lines)}
            for intent, lines in sorted(by_intent.items())
        ],
    }
    header = (
        f"# Corrections from the staff console ({language}), exported "
        f"{dt.datetime.now(CITY_TIME):%Y-%m-%d %H:%M}. Review, then save under data/nlu/.\n"
    )
    text = yaml.dump(
        document, Dumper=_LiteralDumper, allow_unicode=True, sort_keys=False, width=10_000
    )
    return NluExport(header + text, examples, left_out)


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings as ``|`` blocks, the way Rasa's own data files look."""


def _literal(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal)


def transcript_rows(sender_id: str, turns: Sequence[Turn], channel: str) -> List[List[str]]:
    """CSV rows for one conversation: residents' messages and the assistant's, redacted."""
    rows: List[List[str]] = []
    for turn in turns:
        when = dt.datetime.fromtimestamp(turn.at, CITY_TIME).isoformat(timespec="seconds")
        if isinstance(turn, UserTurn):
            confidence = "" if turn.confidence is None else f"{turn.confidence:.3f}"
            rows.append(
                [sender_id, when, turn.channel or channel, turn.language or "", "resident",
                 redact(turn.text).text, turn.intent or "", confidence]
            )  # fmt: skip
        elif isinstance(turn, BotTurn):
            rows.append(
                [sender_id, when, channel, "", "assistant", redact(turn.text).text,
                 turn.response or "", ""]
            )  # fmt: skip
    return rows


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """CSV with a header, safe to open in a spreadsheet (no formula injection)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_inert(cell) for cell in row])
    return buffer.getvalue()


def _inert(cell: str) -> str:
    # A cell starting with = + - @ (or a tab/CR) is run as a formula by spreadsheets.
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
