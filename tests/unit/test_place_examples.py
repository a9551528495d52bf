"""The generated transit examples are the generator's output and name no test feed's stop."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "data" / "nlu" / "transit_places.yml"


def _generator():
    path = ROOT / "scripts" / "generate_place_examples.py"
    spec = importlib.util.spec_from_file_location("generate_place_examples", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_examples_are_what_the_generator_writes():
    assert GENERATED.read_text(encoding="utf-8") == _generator().generate(), (
        "data/nlu/transit_places.yml is stale: run scripts/generate_place_examples.py"
    )


def test_no_example_names_a_stop_of_a_second_city_test_feed():
    marked = set(re.findall(r"\[([^\]]+)\]", GENERATED.read_text(encoding="utf-8")))
    for feed in ("caltrain-2017", "sofia-bus", "busan-metro", "netanya-bus", "muroran-bus"):
        stops = (ROOT / "tests" / "data" / "gtfs" / feed / "stops.txt").read_text(
            encoding="utf-8-sig"
        )
        rows = csv.DictReader(io.StringIO(stops), skipinitialspace=True)
        names = {row["stop_name"] for row in rows}
        assert names
        shared = {n for n in names if len(n) > 4} & marked
        assert not shared, f"{feed}: {sorted(shared)[:5]}"
