"""Descriptions matched to real cities' Open311 lists (tests/data/open311/), in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from actions.clients.open311 import Open311Service, parse_services
from actions.complaints import concepts
from actions.complaints.categories import shown_name
from actions.complaints.service_match import (
    Verdict,
    other_service,
    rank_services,
    unlisted_thing,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "open311"


def services_of(city: str) -> list[Open311Service]:
    return parse_services(json.loads((DATA / city / "services.json").read_text(encoding="utf-8")))


def names(city: str, text: str) -> list[str]:
    services = {s.service_code: s.service_name for s in services_of(city)}
    return [services[code] for code in rank_services(text, services_of(city)).codes]


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("there's a huge pothole on Elm st, nearly wrecked my tyre", "Pothole"),
        ("路面上有个大坑，差点把车胎压爆", "Pothole"),
        ("someone dumped a mattress and old tires in the alley", "Illegal Dumping"),
        ("有人在后巷乱倒垃圾，一堆旧床垫", "Illegal Dumping"),
    ],
)
def test_washington_dc_services_are_found_in_both_languages(text, service) -> None:
    # First, or second behind a neighbour (a dumped mattress is also a bulk collection).
    assert service in names("washington-dc", text)[:2]


def test_an_english_only_list_is_found_from_chinese_through_the_concepts() -> None:
    ranking = rank_services("路灯坏了好几天，晚上黑漆漆的", services_of("bloomington"))
    assert ranking.best is not None and ranking.best.service_name == "Street Lights"


@pytest.mark.parametrize(
    "text", ["a stray dog keeps chasing the kids on our block", "小区里有只流浪狗追着小孩跑"]
)
def test_a_concept_the_list_has_no_words_for_reaches_the_service_of_its_broader_kind(
    text,
) -> None:
    # Bloomington's only animal service is "Animal Control … stray animals": no dog in it.
    ranking = rank_services(text, services_of("bloomington"))
    assert ranking.best is not None and ranking.best.service_name == "Animal Control"


def test_typos_and_homophones_are_forgiven() -> None:
    assert names("bloomington", "graffitti all over the underpass")[0] == "Graffiti"
    assert names("bloomington", "路登不亮了")[0] == "Street Lights"  # 登 for 灯


def test_a_common_word_is_no_typo_of_a_term() -> None:
    # "at least" is not a misspelt "lease": no landlord-and-tenant problem in it
    assert not [hit for hit in concepts.lexicon().find("156 is open now at least?")]


def test_services_that_differ_only_in_detail_are_a_close_call_with_both_offered() -> None:
    ranking = rank_services("the street lights are out on my block", services_of("boston"))
    assert ranking.verdict is Verdict.CLOSE_CALL
    assert sum("Street lights out" in s.service_name for s, _ in ranking.candidates) >= 2


def test_a_question_about_something_else_matches_no_service() -> None:
    ranking = rank_services(
        "when does the next train leave for the airport?", services_of("boston")
    )
    assert ranking.verdict is Verdict.NOTHING


def test_a_list_with_an_anything_else_service_has_it_found() -> None:
    assert other_service(services_of("bloomington")).service_name == "Other"
    assert other_service(services_of("san-francisco")) is None


def test_an_empty_message_or_list_matches_nothing() -> None:
    assert rank_services("   ", services_of("boston")).verdict is Verdict.NOTHING
    assert rank_services("pothole", []).verdict is Verdict.NOTHING


def test_a_more_terms_file_adds_words_to_a_concept_by_id() -> None:
    from actions.complaints.concepts import Concept, LexiconError, with_more_terms

    pigeons = Concept("pigeons", ("鸽子",), ("pigeon",))
    (added,) = with_more_terms(
        [pigeons], {"more": [{"id": "pigeons", "zh": ["白鸽", "鸽子"]}]}, "f"
    )
    assert added.zh == ("鸽子", "白鸽") and added.en == ("pigeon",)
    with pytest.raises(LexiconError):
        with_more_terms([pigeons], {"more": [{"id": "no_such_concept", "zh": ["x"]}]}, "f")


def test_a_city_block_is_where_not_something_blocked() -> None:
    blocked = "Blocked Street, Alley, Sidewalk"
    assert blocked not in names("bloomington", "rats all over the trash on our block")[:1]
    assert blocked not in names("bloomington", "graffiti on every wall of the 900 block")[:1]
    assert names("bloomington", "a delivery truck has blocked our alley all day")[0] == blocked


def test_a_thing_named_as_where_is_not_what_is_reported() -> None:
    # The bins stand on the curb: the missed pickup is the trash service's.
    text = (
        "our garbage didn't get picked up this week AGAIN. bins are still sitting out on the curb"
    )
    assert names("bloomington", text)[0] == "Trash"


def test_where_said_with_a_word_between_is_still_where() -> None:
    # "at the big crossing": where the lights are, not a crossing sign to repair.
    text = "the trafic lights at the big crossing near the city hosptal are compeltely off"
    assert names("chicago", text)[0] == "Traffic Signal Out Complaint"


def test_a_car_that_has_not_moved_with_flat_tyres_is_abandoned() -> None:
    text = (
        "There's this old grey Opel Astra that hasn't moved since September, all four tyres "
        "are flat, it's covered in leaves. Can I report this somewhere?"
    )
    assert names("bloomington-2018", text)[0] == "Abandoned Vehicle"


def test_the_residents_own_bike_is_not_what_is_reported() -> None:
    text = "there's a massive hole in the road right outside my building, nearly came off my bike"
    assert names("chicago", text)[0] == "Pothole in Street Complaint"


def test_smelly_water_out_of_a_manhole_is_the_sanitary_sewer() -> None:
    text = "我们小区的 manhole 一直往外冒臭水，味道很大，好像是 sewer 堵了"
    assert names("bloomington-2018", text)[0] == "Sewer Problems (Sanitary Sewers)"


def test_of_equal_services_the_one_naming_nothing_else_comes_first() -> None:
    # A leak (the model's category) fits the three water services alike; "Water Quality"
    # and "... Billing Problems" name things the resident did not mention.
    services = services_of("bloomington")
    by_code = {s.service_code: s.service_name for s in services}
    ranking = rank_services("路边一直在冒水，已经两天了", services, hint="water_leak")
    assert [by_code[c] for c in ranking.codes][:1] == ["Water Utility Problems"]


def test_the_models_category_is_offered_first_when_the_words_matched_another() -> None:
    services = parse_services(
        [
            {"service_code": "noise", "service_name": "Noise nuisance", "keywords": "loud"},
            {"service_code": "leak", "service_name": "Water leak"},
            {"service_code": "outage", "service_name": "Water outage"},
        ]
    )
    said = "water upstairs all night, every night"
    words_only = rank_services(said, services)
    hinted = rank_services(said, services, hint="noise")
    assert words_only.verdict is Verdict.CLOSE_CALL and "noise" not in words_only.codes
    assert hinted.verdict is Verdict.CLOSE_CALL and hinted.codes[0] == "noise"
    assert set(hinted.codes[1:]) == {"leak", "outage"}


def test_on_a_fine_list_the_models_coarse_category_comes_after_the_words_matches() -> None:
    # Boston's 118 services: the model (trained on seven categories) read "illegal parking"
    # into a branch blocking the sidewalk; the tree the words name is offered first.
    said = (
        "big branch came down on centre st in jp in front of the fire station after last "
        "nights wind, blocking half the sidewalk, ppl with strollers walking in the road"
    )
    ranked = names("boston", said)
    hinted = rank_services(said, services_of("boston"), hint="illegal_parking")
    shown = {s.service_code: s.service_name for s in services_of("boston")}
    hinted_names = [shown[code] for code in hinted.codes]
    assert "Tree blocking street or sidewalk" in ranked[:2]
    assert hinted_names[0] != "Illegal parking on street"
    assert "Illegal parking on street" in hinted_names


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        (
            "streetlights been out on cortland ave by the library for a week, pitch black",
            "streetlights",
        ),
        ("我們這條街的路燈壞了好幾天,晚上很暗", "路燈壞了"),
        ("隔壁裝修每天早上六點就開始敲，噪音好大", "噪音好大"),
    ],
)
def test_what_a_list_has_no_service_for_is_named_in_the_residents_words(
    text: str, thing: str
) -> None:
    # San Francisco's list has no street lights and no noise
    assert unlisted_thing(text, services_of("san-francisco"), english=True) == thing


@pytest.mark.parametrize(
    "text",
    ["someone tagged a parking meter", "there's a mattress dumped on the sidewalk", "hello"],
)
def test_what_a_list_has_a_service_for_or_no_thing_at_all_is_not_unlisted(text: str) -> None:
    assert unlisted_thing(text, services_of("san-francisco"), english=True) is None


def test_a_related_concepts_lone_word_does_not_stand_in_for_a_problem() -> None:
    # noise has no service in San Francisco; "construction" of construction noise is not
    # "Construction_Plate_Shifted"
    assert (
        rank_services("隔壁裝修每天早上六點就開始敲，噪音好大", services_of("san-francisco")).codes
        == []
    )


def test_machine_style_service_names_are_shown_with_spaces() -> None:
    assert (
        shown_name("Sewage_Back_up Out_of_manhole_cover") == "Sewage Back up Out of manhole cover"
    )
    assert shown_name("Pothole") == "Pothole"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("我屋企門口又俾人噴咗油,寫埋啲好粗嘅字", "Graffiti - Private - Offensive"),
        ("someone tagged my garage door with racist slurs", "Graffiti - Private - Offensive"),
        ("graffiti on my fence, nothing offensive just tags", "Graffiti - Private - Not_Offensive"),
    ],
)
def test_a_state_said_or_denied_picks_the_service_that_says_or_denies_it(
    text: str, first: str
) -> None:
    assert names("san-francisco", text)[0] == first


def test_a_message_is_read_in_chinese_and_english_terms_only() -> None:

    # "haies" (French, hedges) is a term for French lists, not for "Hing Hay Park"
    found = {
        hit.concept.id for hit in concepts.lexicon().find("the wall by Hing Hay Park got tagged")
    }
    assert "overgrown_vegetation" not in found and "graffiti" in found


def test_a_service_named_for_the_concept_beats_one_sharing_an_alias_word() -> None:
    # graffiti's alias "tags" is also in "DMV - Refunds (License, Registration, Tags)"
    assert names("washington-dc", "隔籬嗰幅牆又俾人噴晒油，好核突")[0] == "Graffiti Removal"


def test_a_concept_reached_by_a_phrase_alias_still_decides() -> None:
    # San Francisco has no "pothole" service: "hole in pavement" reaches Pavement_Defect,
    # and the model's category settles it
    ranking = rank_services(
        "giant pothole on geary near 20th ave almost ate my front wheel",
        services_of("san-francisco"),
        hint="road_damage",
    )
    assert ranking.verdict is Verdict.CONFIDENT
    assert ranking.best is not None and ranking.best.service_name == "Pavement_Defect"


def test_the_models_category_does_not_override_a_clearly_better_service() -> None:
    ranking = rank_services(
        "hi i want to report a broken traffic light at 4th ave s and s jackson st, its been "
        "blinking red all morning",
        services_of("washington-dc"),
        hint="streetlight",
    )
    assert ranking.best is not None
    assert ranking.best.service_name == "Traffic Signals Investigation"


def test_words_gathered_from_far_apart_hide_no_phrase_inside_them() -> None:
    from actions.complaints.concepts import lexicon

    found = {
        h.concept.id for h in lexicon().find("garbage didnt get picked up AGAIN on our street")
    }
    assert "missed_collection" in found


def test_a_state_in_the_message_is_no_vote_for_a_service_sharing_its_word() -> None:
    # "working" of "not working" is also in "Public Works Projects"
    ranking = rank_services("the streetlight is not working", services_of("bloomington-2018"))
    assert ranking.verdict is Verdict.CONFIDENT
    assert [s.service_name for s, _ in ranking.candidates] == ["Street Lights"]


def test_a_thing_is_not_found_through_the_words_of_its_state() -> None:
    # "ac not working": "work" alone is half of it, and it is in "Public Works"
    assert names("bloomington-2018", "no heat in my apartment, the air conditioning too") == []


def test_a_state_a_description_names_tells_apart_services_of_one_thing() -> None:
    text = "my mom tripped on the cracked sidewalk, the slabs are lifted up by tree roots"
    # "Report hazardous sidewalks and curbs" over blocked sidewalks, new sidewalks, snow
    assert names("bloomington-2018", text)[0] == "Sidewalk & Curb Complaints"


def test_a_state_breaks_no_clear_lead() -> None:
    # "差点摔倒" (hazardous) is in the description of the sidewalk complaints, not of snow
    text = "W 103rd St 跟 Broadway 那段人行道 雪下了三天了都没人铲 都结冰了 我今天早上差点摔倒"
    ranking = rank_services(text, services_of("bloomington-2018"))
    assert ranking.verdict is Verdict.CONFIDENT
    assert ranking.best is not None and ranking.best.service_name == "Sidewalk Snow Removal"


def test_two_things_told_in_one_breath_that_the_list_lacks_are_both_named() -> None:
    # the landlord alone named back was the party, not the problem (no heat)
    thing = unlisted_thing(
        "房东一直不开暖气，家里冷得要命", services_of("bloomington-2018"), english=False
    )
    assert thing == "房东、暖气"


@pytest.mark.parametrize(
    "text", ["street light out for a week", "我屋企門口嗰支街燈壞咗成個禮拜喇"]
)
def test_equal_scores_go_to_the_name_that_says_least_beyond_the_message(text: str) -> None:
    # Chicago's four street-light services all fit a street light: "Out" says least more
    assert names("chicago", text)[0] == "Street Light Out Complaint"


def test_the_residents_own_door_is_no_vote_for_a_service_named_with_a_door() -> None:
    # "我屋企" (my home) is a state of privateness; "my door" among its words is no
    # reason for "Street Light Pole Door Missing Complaint"
    assert names("chicago", "我屋企嗰支街燈壞咗")[0] != "Street Light Pole Door Missing Complaint"


def test_the_anything_else_service_in_the_lists_language() -> None:
    """Helsinki's "Muu korjattava asia" (something else to fix) is its "other"."""
    import json
    from pathlib import Path

    from actions.clients.open311 import parse_services
    from actions.complaints.service_match import other_service

    path = Path(__file__).parents[2] / "data" / "open311" / "helsinki" / "services.json"
    found = other_service(parse_services(json.loads(path.read_text(encoding="utf-8"))))
    assert found is not None and found.service_code == "180"


def test_a_road_typed_in_lower_case_is_no_part_of_the_problem() -> None:
    said = "why have the gates been locked all week?? tour groups standing around on snow hill st"
    assert not any("snow" in name.lower() for name in names("boston", said))
    assert names("boston", "the light on the street is out")  # "the street" is no road's name
    spray = "big black spray paint letters on the sumner st side of the building"
    assert "Street sign is broken or missing" not in names("boston", spray)[:1]


@pytest.mark.parametrize(
    "text",
    [
        "Geumsa站附近的人行道上有一隻死貓,好可憐,可以請人來處理嗎?",
        "a dead cat on the sidewalk near the station",
    ],
)
def test_a_thing_named_only_as_where_counts_less_than_what_is_wrong(text) -> None:
    assert names("washington-dc", text)[0] == "Dead Animal Pickup"


@pytest.mark.parametrize(
    ("text", "service"),
    [
        # "Straßen- und Gehwegschäden" is Straßenschäden and Gehwegschäden (the hyphen
        # stands for the shared part), and Schäden is the plural of Schaden.
        ("there's a pothole on Frankfurter Str.", "Straßen- und Gehwegschäden"),
        ("the pavement slabs are broken outside no. 12", "Straßen- und Gehwegschäden"),
        ("人行道的地砖碎了", "Straßen- und Gehwegschäden"),
        # "Schrottautos und -Fahrräder" is Schrottautos and Schrottfahrräder
        (
            "an abandoned bike has been chained to the railing for months",
            "Schrottautos und -Fahrräder",
        ),
        ("有人乱倒了一张旧沙发和床垫", "Wilde Müllkippe, Sperrmüll"),
    ],
)
def test_a_german_lists_shortened_compounds_are_read_whole(text: str, service: str) -> None:
    assert names("giessen", text)[:1] == [service]


def test_a_shortened_compound_is_completed_only_into_a_known_word() -> None:
    from bot.matching.elisions import written_out

    known = {"straßenschäden", "schrottfahrräder"}.__contains__
    assert written_out("Straßen- und Gehwegschäden", known) == (
        "Straßen- und Gehwegschäden (straßenschäden)"
    )
    assert written_out("Schrottautos und -Fahrräder", known) == (
        "Schrottautos und -Fahrräder (schrottfahrräder)"
    )
    assert written_out("Kita- und Schulwege", known) == "Kita- und Schulwege"


def test_breaking_a_hip_is_no_break_in() -> None:
    # "break-in" was a term whose words fold to the one common word "break"
    found = concepts.lexicon().find("my mother tripped; somebody's going to break a hip")
    assert "security_concern" not in {hit.concept.id for hit in found}
    burgled = concepts.lexicon().find("we were burgled last night")
    assert "security_concern" in {hit.concept.id for hit in burgled}


def test_a_sidewalk_blocked_by_dumped_furniture_is_dumping_not_a_broken_sidewalk() -> None:
    text = "Rua Prates 210 門口成日有人半夜偷偷倒啲舊梳化同床褥，又有啲裝修垃圾，行人路都過唔到"
    # 行人路 is inside "行人路都過唔到" (the sidewalk impassable), not a broken sidewalk
    assert names("washington-dc", text)[0] == "Illegal Dumping"


def test_the_residents_own_motorbike_in_chinese_is_what_it_happened_to() -> None:
    text = "路口有个大坑，我骑摩托差点摔倒"
    start = text.index("摩托")
    assert concepts.aside_share(text, start, start + 2) == concepts.VICTIM_SHARE
    other = "楼下停了一辆旧摩托"
    at = other.index("摩托")
    assert concepts.aside_share(other, at, at + 2) == 1.0


def test_a_second_problem_at_the_summary_is_one_even_if_it_is_the_lists_fifth_fit() -> None:
    from actions.complaints.second_problem import another_problem

    services = services_of("washington-dc")
    missed = next(s.service_code for s in services if s.service_name == "Trash Collection - Missed")
    # a broken public bin lid after missed collection: Trash Container Repair first,
    # the report under way only among the buttons further down
    assert another_problem("还有，门口那个公共垃圾桶盖子被人弄坏了", services, missed)
    assert another_problem("还有，门口那里的垃圾也三天没人收了", services, missed) is None


@pytest.mark.parametrize(
    ("text", "service"),
    [
        # "broken" alone is how, not what: "Broken sidewalk" is no playground.
        ("the swing at the little park is broken, one chain snapped", "Parks Request"),
        ("an abandoned house with a collapsing wall", "Housing/Code complaint"),
        (
            "my neighbour turned their apartment into a hair salon",
            "Commercial Business out of their residential property",
        ),
        # 没有施工告示牌 is no less there for 施工…晚上 (night work) found around it
        ("隔壁在加蓋 但是都沒有看到任何施工告示牌 晚上十點多還在敲", "Working without a permit"),
    ],
)
def test_schenectady_services_first_for_what_residents_say(text: str, service: str) -> None:
    assert names("schenectady", text)[0] == service


def test_a_thing_the_list_lacks_is_named_by_its_term_when_its_words_were_scattered() -> None:
    text = "隔壁最近在加蓋 但是都沒有看到任何施工告示牌 晚上十點多還在敲"
    said = unlisted_thing(text, services_of("giessen"), english=False) or ""
    assert "晚上十" not in said  # not the stretch between 施工 and 晚上
    assert "施工噪音" in said


#: A highways list as a British county's Open311 server publishes it: names alone, no
#: keywords or descriptions (modelled on Warwickshire's, served by mySociety's adapter).
HIGHWAYS = parse_services(
    [
        {"service_code": code, "service_name": name, "metadata": False, "type": "realtime",
         "keywords": "", "group": "highways", "description": name}
        for code, name in [
            ("BR", "Bridges"), ("CD", "Carriageway Defect"), ("RH", "Roads/Highways"),
            ("DR", "Drainage"), ("DS", "Debris/Spillage"), ("FE", "Fences"),
            ("F D", "Pavements"), ("GC", "Gully & Catchpits"), ("IS", "Ice/Snow"),
            ("MD", "Mud & Debris"), ("MH", "Manhole"), ("OS", "Oil Spillage"),
            ("OT", "Other"), ("PO", "Pothole"), ("PD", "Property Damage"),
            ("RM", "Road Marking"), ("SN", "Road traffic signs"), ("SP", "Traffic"),
            ("UT", "Utilities"), ("VG", "Vegetation"),
        ]
    ]
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "service"),
    [
        # "fence" is a thing, though "my fence" says whose (a state's term)
        ("The metal railing along the seafront has a whole section missing", "Fences"),
        ("一大堆泥巴和石头 came down onto the road after the storm", "Mud & Debris"),
        # "Via Foria" is a street's name, not a freedom-of-information request
        ("Via Foria 的路面塌下去一大块，还有很长的裂缝", "Carriageway Defect"),
        ("the road surface is breaking up, loads of cracks", "Carriageway Defect"),
    ],
)
def test_a_highways_list_of_bare_names_is_found_by_what_residents_say(text, service) -> None:
    assert rank_services(text, HIGHWAYS).candidates[0][0].service_name == service


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("北埠头站附近的那个停止标志被车撞倒了", "traffic_sign"),
        ("区里的保健中心预约了还等了两个小时", "hospital_service"),
        ("Social services and health care", "hospital_service"),
        ("my son's elementary school cancelled the after-school program", "school"),
        ("the dog poop bin at the park is overflowing again", "dog_waste_bin"),
        ("Dog Bin overflow", "dog_waste_bin"),
    ],
)
def test_everyday_names_of_signs_clinics_and_schools_are_known(text: str, concept: str) -> None:
    assert concept in {hit.concept.id for hit in concepts.lexicon().find(text)}


@pytest.mark.parametrize(
    "text",
    [
        "有人老是往里面扔装修垃圾",  # 老是 sounds like 老师, a teacher
        "my kid walks home from cram school at night and the light is out",
    ],
)
def test_a_school_only_mentioned_is_no_education_matter(text: str) -> None:
    assert "school" not in {hit.concept.id for hit in concepts.lexicon().find(text)}


async def test_the_help_menu_names_the_citys_own_services(city, open311) -> None:
    from actions.complaints.categories import problem_examples

    open311.get("/services.json").respond(
        json=[
            {"service_code": "1", "service_name": "Dog Fouling", "metadata": False},
            {"service_code": "2", "service_name": "Grass Cutting", "metadata": False},
            {"service_code": "9", "service_name": "Other", "metadata": False},
        ]
    )
    assert await problem_examples("en") == {"problem_examples": "Dog Fouling or Grass Cutting"}
    assert await problem_examples("zh") == {"problem_examples": "Dog Fouling、Grass Cutting"}


async def test_without_the_list_the_help_menu_keeps_the_configured_examples(city, open311) -> None:
    from actions.complaints.categories import problem_examples

    open311.get("/services.json").respond(503)
    assert await problem_examples("en") == {}


async def test_examples_the_city_set_itself_win_over_its_lists_first_services(
    city, open311
) -> None:
    import dataclasses

    from actions.complaints.categories import problem_examples

    own = dataclasses.replace(
        city.identity, problem_examples_en="potholes, streetlights or missed trash pickup"
    )
    before = city.identity
    object.__setattr__(city, "identity", own)  # the city's settings are frozen at start-up
    try:
        open311.get("/services.json").respond(
            json=[{"service_code": "1", "service_name": "Ambulance Billing", "metadata": False}]
        )
        assert await problem_examples("en") == {}
    finally:
        object.__setattr__(city, "identity", before)


#: Services as a German city's Klarschiff catalogue names them (Rostock's categories):
#: one thing under several groups, defects ("schadhaft") beside suggestions ("verändern").
KLARSCHIFF = parse_services(
    [
        {"service_code": code, "service_name": name, "group": group, "keywords": kind}
        for code, name, group, kind in (
            ("5", "Beleuchtung schadhaft", "Gehweg/Radweg/Straße", "problem"),
            ("76", "Beleuchtung", "Vandalismus/Schmiererei/Graffiti", "problem"),
            ("132", "Beleuchtung verändern", "Fahrradverkehr", "idea"),
            ("102", "öffentliche Fahrstühle", "Verkehrseinrichtung/Beleuchtung", "problem"),
            ("9", "Brücke/Tunnel/Mauer/Treppe schadhaft", "Gehweg/Radweg/Straße", "problem"),
            ("180", "Beseitigung von Tierkadavern", "Tiere / Tierschutz", "problem"),
            ("178", "Belästigung durch Private", "Ruhestörung / Gerüche", "problem"),
            ("176", "Nichteinhaltung Ruhezeiten", "Ruhestörung / Gerüche", "problem"),
            ("30", "Sperrmüll", "Müll/Schmutz", "problem"),
        )
    ]
)


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("the street light outside no. 12 has been dead for a week", "Beleuchtung schadhaft"),
        ("路灯坏了一个星期了，晚上黑漆漆的", "Beleuchtung schadhaft"),
        ("the lift at the station is out of order", "öffentliche Fahrstühle"),
        ("车站的电梯又坏了", "öffentliche Fahrstühle"),
        ("there's a dead fox in the middle of the road", "Beseitigung von Tierkadavern"),
        ("my upstairs neighbours blast music every night", "Belästigung durch Private"),
    ],
)
def test_a_german_catalogues_names_are_met_in_english_and_chinese(text: str, service: str) -> None:
    ranking = rank_services(text, KLARSCHIFF)
    assert ranking.best is not None and ranking.best.service_name == service, ranking.codes


def test_services_of_one_name_are_told_apart_by_their_group() -> None:
    from actions.complaints.categories import category_buttons, service_name

    shown = [s for s in KLARSCHIFF if s.service_name.startswith("Beleuchtung")]
    titles = [button["title"] for button in category_buttons(shown)]
    assert titles == [
        "Beleuchtung schadhaft",
        "Beleuchtung",
        "Beleuchtung verändern",
    ]
    twins = parse_services(
        [
            {"service_code": "13", "service_name": "Hundekot", "group": "Gehweg/Radweg/Straße"},
            {"service_code": "48", "service_name": "Hundekot", "group": "Öffentliches Grün"},
        ]
    )
    assert [b["title"] for b in category_buttons(twins)] == [
        "Hundekot (Gehweg/Radweg/Straße)",
        "Hundekot (Öffentliches Grün)",
    ]
    assert service_name("48", twins) == "Hundekot (Öffentliches Grün)"


def test_an_answer_naming_where_picks_the_group_among_twins() -> None:
    from actions.complaints.service_match import by_group

    twins = parse_services(
        [
            {"service_code": "4", "service_name": "bauliche Gefahrenstelle",
             "group": "Gehweg/Radweg/Straße"},
            {"service_code": "33", "service_name": "bauliche Gefahrenstelle",
             "group": "Öffentliches Grün/Spielplatz"},
        ]
    )  # fmt: skip
    assert by_group("its on the bike path", twins).service_code == "4"
    assert by_group("靠近公园入口的儿童游乐场旁边", twins).service_code == "33"
    assert by_group("right outside my house", twins) is None


def test_a_problem_told_is_no_request_for_a_permit_sharing_its_words() -> None:
    services = parse_services(
        [
            {"service_code": "P", "service_name": "Residential Parking Permits",
             "keywords": "Vehicle Parking, Car Parking, Parking Permit, Guest Parking"},
            {"service_code": "A", "service_name": "Abandoned or Inoperable Vehicle",
             "keywords": "Abandoned vehicle, Inoperable vehicle"},
        ]
    )  # fmt: skip
    told = "a car hasnt moved in 2 months, flat tires, no plates, in our parking lot"
    permit_first = rank_services("how do I get a guest parking permit", services)
    assert permit_first.best is not None and permit_first.best.service_code == "P"
    # the car's words fit the parking permit too ("Car Parking"): the problem comes first
    assert rank_services(told, services).codes[0] == "A"


def test_a_phrase_about_a_thing_covers_no_service_without_that_thing() -> None:
    # "broken glass in the playground" (a playground term) is no cover of a glass
    # container's service that says "broken glass" and nothing of playgrounds.
    services = parse_services(
        [
            {"service_code": "glass", "service_name": "Glascontainer-Standort vermüllt",
             "description": "Bottles, broken glass or rubbish left around a glass container.",
             "keywords": "glass container, broken glass"},
            {"service_code": "play", "service_name": "Spiel- und Bolzplätze",
             "description": "Damage or hazards at playgrounds and kick-about pitches.",
             "keywords": "playground, swing, slide"},
        ]
    )  # fmt: skip
    assert rank_services("秋千有一根链子断了", services).codes[0] == "play"


@pytest.mark.parametrize(
    ("city", "service"),
    [
        ("chicago", "Park Repair/Maintenance"),  # not "Divvy Bike Parking Complaint"
        ("boston", "Broken park or playground equipment"),  # not "Newsbox is broken"
        ("washington-dc", "Parks and Recreation"),  # not "Child Safety Seat Program"
    ],
)
def test_a_broken_bench_in_a_park_is_the_parks_service(city: str, service: str) -> None:
    # A bench is park furniture before it is kin to a bike rack or a news box; and a
    # "park" is green space, not the "Parking" of a bike-share complaint.
    assert names(city, "broken bench in the park")[0] == service


@pytest.mark.parametrize(
    "text",
    ["people park on the sidewalk all day", "the valet parks cars in the bike lane every night"],
)
def test_park_said_of_vehicles_is_parking(text: str) -> None:
    assert "Park Repair/Maintenance" not in names("chicago", text)[:3]


def test_a_phrase_found_partly_over_a_whole_term_is_not_also_found() -> None:
    # "the bus stop" has "bus stop" whole; "parked at bus stop" only partly (no "parked").
    found = {
        hit.concept.id for hit in concepts.lexicon().find("the bus stop by the school is filthy")
    }
    assert "bus_stop" in found and not found & {"illegal_parking", "smoking_violation"}


def test_where_a_service_is_counts_less_than_what_it_is() -> None:
    # "Graffiti on a City litter bin" is graffiti; uncollected rubbish is no graffiti.
    services = parse_services(
        [
            {"service_code": "G1", "service_name": "Graffiti on a City litter bin"},
            {"service_code": "G2", "service_name": "Graffiti on a City road"},
            {"service_code": "P1", "service_name": "Report minor pothole damage"},
        ]
    )
    for text in ["我們這條街的垃圾已經三天沒人收了，臭死了", "garbage not collected for 3 days"]:
        assert rank_services(text, services).verdict is not Verdict.CONFIDENT, text
    tagged = rank_services("graffiti on the city trash can at franklin st", services)
    assert tagged.codes[0] == "G1"


@pytest.mark.parametrize(
    "text", ["我家车库门昨晚被人喷了涂鸦", "someone sprayed graffiti on my garage door"]
)
def test_graffiti_on_the_residents_own_door_is_the_private_property_one(text: str) -> None:
    services = parse_services(
        [
            {"service_code": "G1", "service_name": "Graffiti on a City road"},
            {"service_code": "G2", "service_name": "Graffiti on private property"},
            {"service_code": "G3", "service_name": "Graffiti on a City sidewalk"},
        ]
    )
    assert rank_services(text, services).codes[0] == "G2"


PORTUGUESE = [
    {"service_code": "P1", "service_name": "Buraco na via"},
    {"service_code": "P2", "service_name": "Lâmpada apagada na iluminação pública"},
    {"service_code": "P3", "service_name": "Contentor cheio"},
    {"service_code": "P4", "service_name": "Despejo ilegal de entulho"},
    {"service_code": "P5", "service_name": "Árvore caída"},
]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("there's a big pothole on my street", "P1"),
        ("路灯坏了好几天，晚上很黑", "P2"),
        ("垃圾桶满了好几天了", "P3"),
        ("I want to report a full container at the square", "P3"),
        ("someone dumped a pile of construction rubble by the school", "P4"),
        ("a tree fell across the road after the storm", "P5"),
    ],
)
def test_a_portuguese_list_is_found_in_english_and_chinese(text: str, code: str) -> None:
    assert rank_services(text, parse_services(PORTUGUESE)).codes[:1] == [code]


def test_an_overflowing_recycling_bin_reaches_a_list_of_containers() -> None:
    services = parse_services(
        [
            {"service_code": "C1", "service_name": "Contentor está cheio"},
            {"service_code": "C2", "service_name": "Lixo fora do contentor"},
            {"service_code": "C3", "service_name": "Contentor a arder"},
        ]
    )
    text = "the recycling bin outside the station exit is overflowing, can you report it"
    assert rank_services(text, services).codes[:1] == ["C1"]
