"""Who the city is: the ``city:`` settings, their defaults, overrides and start-up checks."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.settings import CityServicesSettings
from bot.city_identity import CityIdentity, load_identity

ROOT = Path(__file__).resolve().parents[2]
CHICAGO: dict[str, Any] = yaml.safe_load(
    (ROOT / "tests" / "data" / "cities" / "chicago.yml").read_text(encoding="utf-8")
)


def test_the_defaults_are_shenzhens_and_the_endpoints_file_spells_them_out() -> None:
    defaults = CityIdentity()
    assert (defaults.name_en, defaults.hotline, defaults.phone_region) == (
        "Shenzhen",
        "12345",
        "CN",
    )
    section = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["city"]
    # The emergency sentence alone is empty in the code (then derived from the phone
    # region, so no city is ever sent to Shenzhen's numbers) and written out in the file.
    assert not defaults.emergency_en and "119" in section["emergency_en"]
    written = {"emergency_en": section["emergency_en"], "emergency_zh": section["emergency_zh"]}
    assert CityIdentity.from_sources(section, {}) == replace(defaults, **written)
    assert sorted(section) == sorted(f.name for f in fields(CityIdentity))


def test_the_section_is_overridden_by_city_variables(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump(
            {"action_endpoint": {"url": "http://x"}, "city": CHICAGO}, allow_unicode=True
        ),
        encoding="utf-8",
    )
    identity = load_identity({"CITY_ENDPOINTS": str(endpoints), "CITY_HOTLINE": "3-1-1"})
    assert identity.name_en == "Chicago" and identity.ticket_example == "SR26-00498713"
    assert identity.hotline == "3-1-1"


def test_an_empty_variable_withdraws_the_promise_and_null_keeps_the_default() -> None:
    identity = CityIdentity.from_sources(
        {"hotline_hours_en": None}, {"CITY_REPLY_PROMISE_EN": "", "CITY_REPLY_PROMISE_ZH": ""}
    )
    assert identity.reply_promise_en == "" and identity.reply_values("en")["reply_promise"] == ""
    assert identity.hotline_hours_en == CityIdentity().hotline_hours_en


def test_the_old_hotline_variable_still_sets_the_hotline() -> None:
    assert CityIdentity.from_sources(None, {"CITY_HOTLINE": "311"}).hotline == "311"


@pytest.mark.parametrize(
    ("section", "named"),
    [
        ({"hotline_numbr": "311"}, "hotline_numbr"),
        ({"name_en": ""}, "name_en"),
        ({"hotline": " "}, "hotline"),
        ({"reply_promise_en": ""}, "reply_promise_en and reply_promise_zh"),
        ({"ticket_pattern": "SR(\\d{8}"}, "ticket_pattern is not a regular expression"),
        ({"ticket_example": "SR2026"}, "ticket_example 'SR2026' does not match"),
        (
            {"application_pattern": ".+", "application_example": "PA 2026/1187"},
            "application_example 'PA 2026/1187': numbers must be",
        ),
        ({"phone_region": "ZZ"}, "phone_region must be an ISO 3166 region"),
        ({"phone_region": "US"}, "phone_region is US: set phone_format_en"),
    ],
)
def test_a_wrong_setting_stops_start_up_with_its_name(section: dict[str, str], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        CityIdentity.from_sources(section, {})


def test_case_numbers_with_dots_and_slashes_are_a_citys_format() -> None:
    identity = CityIdentity.from_sources(
        {
            "application_pattern": r"[A-Z]{3}\.\d{4}\.\d{1,5}\.\d{4}",
            "application_example": "WAB.6740.1532.2024",
            "ticket_pattern": r"\d{2}/\d{6}",
            "ticket_example": "24/004817",
        },
        {},
    )
    assert identity.application_example == "WAB.6740.1532.2024"


@pytest.mark.parametrize(
    ("section", "setting", "said"),
    [
        (
            {"reply_promise_en": "Replies within 10 days"},
            "reply_promise_en",
            "Replies within 10 days.",
        ),
        ({"in_person_zh": "也可前往市民中心"}, "in_person_zh", "也可前往市民中心。"),
        ({"in_person_en": "Visit City Hall!"}, "in_person_en", "Visit City Hall!"),
    ],
)
def test_a_phrase_where_a_sentence_goes_is_finished_not_refused(
    section: dict[str, str], setting: str, said: str
) -> None:
    assert getattr(CityIdentity.from_sources(section, {}), setting) == said


def test_the_hotline_moved_from_city_services_says_where_it_went() -> None:
    with pytest.raises(ValueError, match="'hotline' is now set in the city: section"):
        CityServicesSettings.from_sources({"hotline": "311"}, {})


def test_no_city_variable_sets_two_settings() -> None:
    services = {f.name for f in fields(CityServicesSettings)}
    identity = {f.name for f in fields(CityIdentity)}
    assert services & identity == set()


def test_a_renamed_city_is_told_which_settings_still_speak_for_shenzhen() -> None:
    assert CityIdentity().kept_from_shenzhen() == []
    half_done = CityIdentity(name_en="Guangzhou", name_zh="广州", ticket_pattern=r"GZ\d{8}",
                             ticket_example="GZ20261234")  # fmt: skip
    kept = half_done.kept_from_shenzhen()
    assert "reply_promise_en" in kept and "hotline_hours_en" in kept
    assert "ticket_pattern" not in kept and "name_en" not in kept
    assert CityIdentity.from_sources(CHICAGO, {}).kept_from_shenzhen() == []


def test_reply_values_are_in_the_reply_language_with_their_punctuation() -> None:
    shenzhen = CityIdentity()
    english, chinese = shenzhen.reply_values("en"), shenzhen.reply_values(None)
    assert english["city_name"] == "Shenzhen" and chinese["city_name"] == "深圳"
    assert english["hotline_hours"] == " (24 hours, free from any phone in Shenzhen)"
    assert chinese["hotline_hours"] == "（24小时服务）"
    assert english["reply_promise"].startswith(" The 12345 rules")
    assert chinese["reply_promise"].startswith("按 12345 热线规定")
    assert english["ticket_format"] == "SR followed by 8 digits"


def test_a_hotline_named_without_its_number_is_said_with_it() -> None:
    kobe = CityIdentity.from_sources(
        {
            "hotline": "078-333-3330",
            "hotline_name_en": "Kobe Call Center",
            "hotline_name_zh": "神户市呼叫中心",
        },
        {},
    )
    assert kobe.reply_values("en")["hotline_name"] == "Kobe Call Center on 078-333-3330"
    assert kobe.reply_values("zh")["hotline_name"] == "神户市呼叫中心 078-333-3330"
    # replies written in both languages at once name it with the number too
    assert kobe.reply_values("en")["hotline_name_zh"] == "神户市呼叫中心 078-333-3330"


def test_a_hotline_whose_name_holds_its_number_is_said_as_named() -> None:
    assert CityIdentity().reply_values("en")["hotline_name"] == "the 12345 citizen hotline"
    dc = CityIdentity.from_sources({"hotline": "311", "hotline_name_en": "DC 311"}, {})
    assert dc.reply_values("en")["hotline_name"] == "DC 311"
