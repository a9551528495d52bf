"""The list index ranks entries by shared, rare features, forgiving typos and homophones."""

from __future__ import annotations

from bot.matching.features import features, fold, stem
from bot.matching.index import Entry, ListIndex


def index_of(*names: str) -> ListIndex:
    return ListIndex([Entry(name, ((name, 1.0),)) for name in names])


def best(index: ListIndex, text: str) -> str | None:
    scores = index.scores(index.resolve(features(text)))
    if not scores:
        return None
    return index.keys[max(scores, key=lambda position: scores[position])]


def test_full_width_letters_and_traditional_characters_are_folded() -> None:
    assert fold("ＳＲ２０２６ 路燈") == "sr2026 路灯"


def test_plurals_and_tenses_share_a_stem() -> None:
    assert stem("potholes") == stem("pothole")
    assert stem("dumped") == stem("dumping") == "dump"
    assert stem("streetlights") == "streetlight"


def test_two_words_also_count_as_the_compound_they_make() -> None:
    assert "streetlight" in features("the street light is out")


def test_chinese_text_is_compared_by_pairs_of_characters() -> None:
    assert {"路灯", "灯坏"} <= set(features("路灯坏了"))


def test_a_rare_shared_word_decides_over_a_common_one() -> None:
    index = index_of("Road pothole", "Road sign damaged", "Road markings faded")
    assert best(index, "there is a pothole in the road") == "Road pothole"


def test_a_typo_finds_the_word_it_was_meant_to_be() -> None:
    index = index_of("Graffiti removal", "Abandoned vehicle")
    assert best(index, "graffitti on my garage") == "Graffiti removal"
    assert best(index, "abandonned car for weeks") == "Abandoned vehicle"


def test_a_pinyin_homophone_finds_the_characters_it_sounds_like() -> None:
    index = index_of("路灯故障", "井盖缺失")
    assert best(index, "路登坏了") == "路灯故障"


def test_a_message_sharing_nothing_scores_nothing() -> None:
    index = index_of("Graffiti removal", "Abandoned vehicle")
    assert best(index, "when is the next bus") is None


def test_a_pair_that_only_sounds_like_a_known_one_is_another_word() -> None:
    index = index_of("落户办理", "路灯故障")
    assert best(index, "罗湖区东门") is None  # luo hu, but no character in common
    assert best(index, "路登坏了") == "路灯故障"  # one character slipped


def test_a_typo_as_near_a_written_word_as_a_joined_pair_finds_the_written_word() -> None:
    # "abandonded" is one edit from "abandoned" and from "abandonde", the feature that
    # joins "abandon" and "de" in a French entry; the written word is what was meant.
    index = ListIndex(
        [
            Entry("Abandoned vehicle", (("Abandoned vehicle", 1.0),)),
            Entry("Dépôt sauvage", (("abandon de déchets", 1.0),)),
        ],
        spellings={"abandoned": stem("abandoned")},
    )
    resolved = index.resolve(features("abandonded van"), {"abandonded": stem("abandonded")})
    assert stem("abandoned") in resolved
    assert "abandonde" not in resolved


def test_a_stem_that_lost_its_silent_e_gets_it_back() -> None:
    # Chicago lists "Siting" (choosing a place); a resident "sitting" on a bench is not it
    assert stem("siting") == "site" != stem("sitting")
    assert stem("smoking") == stem("smoke")
    assert stem("piled") == stem("pile")
    assert stem("boxed") == "box"


def test_parking_is_its_own_thing_and_a_park_is_green_space() -> None:
    assert stem("parking") == stem("parked") == "parking" != stem("parks")
    assert features("bench in the park") == ["bench", "park"]
    # the verb, said of vehicles, is parking
    assert "parking" in features("people park on the sidewalk all day")
    assert "parking" in features("he parks his van across my driveway")
    assert "parking" not in features("the park on Elm street")
