"""Exports: corrections as Rasa NLU training data (read back by Rasa itself), transcripts as CSV."""

from __future__ import annotations

import csv
import io

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.console.annotations import annotate, check_same_words, parse_annotated
from bot.console.exports import Correction, csv_text, nlu_yaml, transcript_rows
from bot.console.transcripts import BotTurn, UserTurn

CORRECTIONS = [
    Correction("福田到罗湖多少钱", "zh", "transit_fare",
               [{"entity": "stop", "start": 0, "end": 2}, {"entity": "stop", "start": 3, "end": 5}]),
    Correction("从车公庙到机场", "zh", "transit_route",
               [{"entity": "stop", "start": 1, "end": 4, "role": "from"}]),
    Correction("居住证要多久", "zh", "permit_processing_time", []),
    Correction("我的电话是13800138000，路灯坏了", "zh", "complaint_file", []),
    Correction("how much is a ticket", "en", "transit_fare", []),
]  # fmt: skip


def test_corrections_export_as_training_data_rasa_reads() -> None:
    export = nlu_yaml(CORRECTIONS, "zh")
    data = RasaYAMLReader().reads(export.yaml)
    examples = {m.get("text"): m for m in data.intent_examples}
    assert set(examples) == {"福田到罗湖多少钱", "从车公庙到机场", "居住证要多久"}
    assert examples["福田到罗湖多少钱"].get("intent") == "transit_fare"
    assert [e["value"] for e in examples["福田到罗湖多少钱"].get("entities")] == ["福田", "罗湖"]
    assert examples["从车公庙到机场"].get("entities")[0]["role"] == "from"
    assert (export.examples, export.left_out_personal_data) == (3, 1)


def test_each_language_gets_its_own_file() -> None:
    english = RasaYAMLReader().reads(nlu_yaml(CORRECTIONS, "en").yaml)
    assert [m.get("text") for m in english.intent_examples] == ["how much is a ticket"]


def test_markup_round_trips_and_must_keep_the_words() -> None:
    text, entities = parse_annotated('[福田](stop)到[罗湖]{"entity": "stop", "role": "to"}')
    assert text == "福田到罗湖"
    assert annotate(text, entities) == '[福田](stop)到[罗湖]{"entity": "stop", "role": "to"}'
    assert check_same_words("福田到罗湖", "福田到罗湖") == []


def test_transcript_csv_is_redacted_and_inert_in_spreadsheets() -> None:
    turns = [
        UserTurn(1, 1_795_500_000.0, "=HYPERLINK(\"http://x\") 电话13800138000", "inform", 0.5, [], "zh", "webchat"),
        BotTurn(1_795_500_001.0, "收到", "utter_ok"),
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(csv_text(transcript_rows("c1", turns, "webchat")))))
    assert rows[0][:5] == ["conversation", "time", "channel", "language", "speaker"]
    assert rows[1][5].startswith("'=HYPERLINK") and "138****8000" in rows[1][5]
    assert "13800138000" not in csv_text(transcript_rows("c1", turns, "webchat"))
    assert rows[1][1] == "2026-11-24T14:00:00+08:00" and rows[2][4] == "assistant"
