"""Japanese stop readings spelt as visitors type them (actions/transit/kana.py), and
Muroran's real GTFS-JP feed matched by them: kanji names, kana readings, no English."""

from __future__ import annotations

import pytest

from actions.transit.kana import is_kana, romaji
from actions.transit.mentions import find_mentions
from actions.transit.stops import MatchKind, StopIndex, match_stop
from tests.unit.transit.test_exonyms import feed


@pytest.mark.parametrize(
    ("kana", "spelt"),
    [
        ("えともだんち", ["etomodanchi"]),
        ("こうだいまえ", ["koudaimae", "kodaimae"]),  # long vowels both ways
        ("しゅくづこうえんいりぐち", ["shukuzukoueniriguchi", "shukuzukoeniriguchi"]),
        ("がっこう", ["gakkou", "gakko"]),  # a doubled consonant
        ("ラーメン", ["raamen"]),  # katakana, and the long-vowel mark
        ("むろらんえきまえ", ["muroranekimae", "muroran"]),  # 駅前: "Muroran Station"
        ("ひがしむろらんえきにしぐち", ["higashimuroranekinishiguchi", "higashimuroran"]),
    ],
)
def test_readings_in_hepburn(kana: str, spelt: list[str]) -> None:
    assert romaji(kana)[: len(spelt)] == spelt or set(spelt) <= set(romaji(kana))


def test_the_ending_words_of_a_name_are_written_apart() -> None:
    assert "chikyumisaki danchi" in romaji("ちきゅうみさきだんち")
    assert "higashimuroran eki nishiguchi" in romaji("ひがしむろらんえきにしぐち")


def test_only_kana_is_read() -> None:
    assert is_kana("ひがしむろらんえき") and is_kana("バスセンター")
    assert not is_kana("東室蘭駅") and not is_kana("Muroran")


@pytest.mark.parametrize(
    ("typed", "stop"),
    [
        ("Muroran Station", "室蘭駅前"),
        ("muroran eki", "室蘭駅前"),
        ("Etomo Danchi", "絵鞆団地"),
        ("chikyu misaki", "地球岬団地"),  # the estate's first words
        ("室兰站前", "室蘭駅前"),  # the kanji in Simplified Chinese, as before
    ],
)
def test_muroran_stops_typed_in_romaji_or_chinese(typed: str, stop: str) -> None:
    loaded = feed("muroran-bus")
    found = match_stop(StopIndex.for_feed(loaded), typed)
    assert found.kind is MatchKind.EXACT
    assert found.stops[0].name == stop


def test_a_station_with_two_exits_is_one_place_by_its_romaji_name() -> None:
    loaded = feed("muroran-bus")
    text = "when is the next bus from Higashi-Muroran station to Muroran Station?"
    mentions = find_mentions(loaded, StopIndex.for_feed(loaded), text)
    assert [m.text for m in mentions] == ["Higashi-Muroran station", "Muroran Station"]
    assert {s.name for s in mentions[0].stops} == {"東室蘭駅西口", "東室蘭駅東口"}
