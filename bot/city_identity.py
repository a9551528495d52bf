"""Who the assistant speaks for: the city's name, hotline, promises and number formats.

Pointed at another city, the assistant must not introduce itself as Shenzhen's, send
residents to 12345, promise them 12345's "15 working days", or ask for "SR + 8 digits".
These are the city's identity, configuration like its URLs: the ``city:`` section of
``endpoints.yml``, each setting ``name`` overridden by the variable ``CITY_<NAME>``. The
defaults are Shenzhen's, so the bundled sandbox city is unchanged.

Two processes read this one section, each once at start-up: Rasa's NLG fills the values
into responses (:mod:`bot.nlg`) and the action server reads ticket, application and phone
numbers with them (``actions/city.py``). So it lives here, pure (no Rasa), where both can
import it: the action server already uses ``bot``'s pure helpers, and ``bot`` never
imports ``actions``.

Settings ending in ``_en``/``_zh`` are the English and Simplified Chinese wording (the NLG
picks by reply language; Traditional is converted from the Chinese). English values carry
their article where a sentence needs one ("the 311 hotline"). Three may be empty, and the
replies then simply leave them out: ``hotline_hours``, ``in_person`` and ``reply_promise``
(the last two are whole sentences). Everything else must be given.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import phonenumbers

from bot.config_file import section_of

logger = logging.getLogger(__name__)
SECTION = "city"
ENGLISH = "en"
LANGUAGES = ("en", "zh")
#: Which file both processes read: ``endpoints.yml`` in the working directory unless set.
ENDPOINTS_VARIABLE = "CITY_ENDPOINTS"
#: Settings that may be empty: the reply then says nothing about them.
OPTIONAL = frozenset({"hotline_hours", "in_person", "reply_promise", "emergency"})
#: Optional settings that are whole sentences, joined to the sentence before them.
SENTENCES = frozenset({"in_person", "reply_promise"})
_SENTENCE_END = {"en": (".", "!", "?"), "zh": ("。", "！", "？")}
#: Where a reference number may stand alone: a token the city's systems can take in a URL
#: (percent-encoded): 3-40 letters, digits, "-", "_", "." or "/" ("WAB.6740.1532.2024",
#: "B/2024/0153"), beginning and ending with a letter or digit, so never "." or "..".
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{1,38}[A-Za-z0-9]")
#: Shenzhen describes phone numbers as mainland mobiles; a city elsewhere must say its own.
_MAINLAND_PHONE_REGION = "CN"


@dataclass(frozen=True)
class CityIdentity:
    """The city the assistant speaks for, as residents hear it (see module docstring)."""

    #: The city's name: "I'm the Shenzhen citizen-service assistant".
    name_en: str = "Shenzhen"
    name_zh: str = "深圳"
    #: The number residents dial when the assistant cannot help.
    hotline: str = "12345"
    #: What the hotline is called ("call {hotline_name}").
    hotline_name_en: str = "the 12345 citizen hotline"
    hotline_name_zh: str = "12345 政务服务便民热线"
    #: When and how the hotline answers, shown in brackets after its name (may be empty).
    hotline_hours_en: str = "24 hours, free from any phone in Shenzhen"
    hotline_hours_zh: str = "24小时服务"
    #: A sentence on where to see a person face to face (may be empty).
    in_person_en: str = (
        "You can also visit a district government service centre "
        "(Mon–Fri 9:00–12:00 and 14:00–18:00)."
    )
    in_person_zh: str = "也可以前往各区政务服务中心（工作日 9:00–12:00，14:00–18:00）。"
    #: The sentence promising a reply to a complaint (empty: no promise is made).
    reply_promise_en: str = "The 12345 rules give the department 15 working days to reply."
    reply_promise_zh: str = "按 12345 热线规定，承办单位须在 15 个工作日内答复。"
    #: The sentence telling a resident in danger whom to call now. Empty: the emergency
    #: numbers the ``phonenumbers`` metadata knows for ``phone_region`` ("911 or 112"), so
    #: a city that sets nothing is never sent to another country's numbers.
    emergency_en: str = ""
    emergency_zh: str = ""
    #: The government's online service portal or app.
    portal_en: str = "the government service portal"
    portal_zh: str = "政务服务网"
    #: What the city's public transport is called in the greeting.
    transit_name_en: str = "public transport"
    transit_name_zh: str = "公交地铁"
    #: Permits named as examples in the menu.
    permit_examples_en: str = "residence permit, HK/Macau travel permit, business licence"
    permit_examples_zh: str = "居住证、港澳通行证、营业执照"
    #: Problems the help menu names; the action server says the city's own services
    #: instead whenever it can read the Open311 list.
    problem_examples_en: str = (
        "a broken streetlight, a pothole, noise, rubbish, illegal parking or a water leak"
    )
    problem_examples_zh: str = "路灯不亮、路面坑洼、噪音扰民、垃圾未清运、违章停车、漏水"
    #: The example question offered when a message was not understood.
    example_question_en: str = "What documents do I need for a residence permit?"
    example_question_zh: str = "办居住证需要什么材料？"
    #: The city's complaint ticket numbers (Open311 ``service_request_id``): a regular
    #: expression for the whole number, an example, and how residents are told the format.
    ticket_pattern: str = r"SR\d{8}"
    ticket_example: str = "SR20261234"
    ticket_format_en: str = "SR followed by 8 digits"
    ticket_format_zh: str = "SR 开头加 8 位数字"
    #: Permit application numbers, likewise, and where residents find theirs.
    application_pattern: str = r"PA\d{8}"
    application_example: str = "PA20261234"
    application_format_en: str = "PA followed by 8 digits"
    application_format_zh: str = "PA 开头加 8 位数字"
    application_where_en: str = (
        "on the acceptance receipt, in the text message you got when you applied, "
        "or under “My applications” in the i Shenzhen app"
    )
    application_where_zh: str = "受理回执、受理短信或 i深圳 App“我的办件”"
    #: ISO 3166 region whose phone numbers residents write without a country code.
    #: ``CN`` keeps Shenzhen's rule: mainland mobiles (or international numbers) only.
    phone_region: str = "CN"
    #: The phone numbers asked for, as the "that is not a number" reply describes them.
    phone_format_en: str = "a mainland mobile number (11 digits, starting with 1)"
    phone_format_zh: str = "11 位手机号码"

    @classmethod
    def from_sources(
        cls, section: Mapping[str, Any] | None, environ: Mapping[str, str]
    ) -> CityIdentity:
        """Defaults, overridden by the YAML section, overridden by ``CITY_*`` variables.

        A variable that is set but empty counts: ``CITY_REPLY_PROMISE_EN=`` withdraws
        the promise. In YAML, ``""`` does the same and ``null`` keeps the default.
        """
        known = {f.name for f in fields(cls)}
        values: dict[str, str] = {}
        for key, value in (section or {}).items():
            if key not in known:
                raise ValueError(f"unknown setting '{key}' in {SECTION} (known: {sorted(known)})")
            if value is not None:
                values[key] = str(value).strip()
        for name in known:
            variable = f"CITY_{name.upper()}"
            if variable in environ:
                values[name] = environ[variable].strip()
        for base in SENTENCES:
            for language in LANGUAGES:
                name = f"{base}_{language}"
                if values.get(name):
                    values[name] = _as_sentence(name, values[name], language)
        identity = cls(**values)
        identity.check()
        return identity.in_its_own_words()

    def in_its_own_words(self) -> CityIdentity:
        """This identity with the Shenzhen wording another city left unset replaced by
        wording that suits any city: a resident of Tampa is never told of the i Shenzhen
        app, 12345's promise or "What documents do I need for a residence permit?". The
        start-up warning still names these settings (:meth:`kept_from_shenzhen`)."""
        if self._is_shenzhen:
            return self
        kept = {
            name: neutral
            for name, neutral in _NEUTRAL.items()
            if getattr(self, name) == getattr(_SHENZHEN, name)
        }
        return replace(self, **kept) if kept else self

    @property
    def _is_shenzhen(self) -> bool:
        return self.name_en == _SHENZHEN.name_en and self.name_zh == _SHENZHEN.name_zh

    @classmethod
    def load(cls, endpoints_file: Path, environ: Mapping[str, str]) -> CityIdentity:
        """Read the ``city:`` section of ``endpoints_file`` (if present) and the environment."""
        return cls.from_sources(section_of(endpoints_file, SECTION), environ)

    @property
    def glosses_workflow_stages(self) -> bool:
        """Whether English replies add the Chinese name of a ticket's stage ("accepted
        (受理)"): a mainland hotline's own messages use those names, so an English
        speaker there can match them; elsewhere they would only puzzle."""
        return self.phone_region == _MAINLAND_PHONE_REGION

    def check(self) -> None:
        """Fail at start-up, with the setting's name, rather than on a resident's turn."""
        for setting in fields(self):
            name = setting.name
            value = getattr(self, name)
            base = name.removesuffix("_en").removesuffix("_zh")
            if not value and base not in OPTIONAL:
                raise ValueError(f"{SECTION}.{name} must not be empty")
        for base in OPTIONAL:
            english, chinese = getattr(self, f"{base}_en"), getattr(self, f"{base}_zh")
            if bool(english) != bool(chinese):
                raise ValueError(
                    f"{SECTION}.{base}_en and {base}_zh must both be set or both be empty "
                    "(a resident is told the same in either language)"
                )
        self._check_number_format("ticket", self.ticket_pattern, self.ticket_example)
        self._check_number_format("application", self.application_pattern, self.application_example)
        if self.phone_region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(
                f"{SECTION}.phone_region must be an ISO 3166 region code such as CN, US or GB, "
                f"got {self.phone_region!r}"
            )
        mainland_wording = self.phone_format_en == _SHENZHEN.phone_format_en
        if self.phone_region != _MAINLAND_PHONE_REGION and mainland_wording:
            raise ValueError(
                f"{SECTION}.phone_region is {self.phone_region}: set phone_format_en and "
                "phone_format_zh to the numbers residents there should give (the default "
                "asks for mainland Chinese mobiles)"
            )

    @staticmethod
    def _check_number_format(kind: str, pattern: str, example: str) -> None:
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise ValueError(
                f"{SECTION}.{kind}_pattern is not a regular expression ({error}): {pattern!r}"
            ) from None
        if not compiled.fullmatch(example):
            raise ValueError(
                f"{SECTION}.{kind}_example {example!r} does not match {kind}_pattern {pattern!r}"
            )
        if not _SAFE_ID.fullmatch(example):
            raise ValueError(
                f"{SECTION}.{kind}_example {example!r}: numbers must be 3–40 letters, "
                "digits, '-', '_', '.' or '/', beginning and ending with a letter or digit "
                "(they are sent to the city's systems in a URL)"
            )

    def text(self, base: str, language: str | None) -> str:
        """A bilingual setting (``name``, ``portal`` …) in the reply language (else Chinese)."""
        return str(getattr(self, f"{base}_{ENGLISH if language == ENGLISH else 'zh'}"))

    def reply_values(self, language: str | None) -> dict[str, str]:
        """What responses are filled with, in the reply language (docs/configuration.md).

        Optional values come with the punctuation that joins them to the reply, so an
        empty one leaves no trace: ``{hotline_hours}`` is " (24 hours…)" or "",
        ``{reply_promise}`` a sentence after the previous one, or "".
        """
        lang = ENGLISH if language == ENGLISH else "zh"
        values = dict(self._plain_values[lang])
        hours = values["hotline_hours"]
        if hours:
            values["hotline_hours"] = f" ({hours})" if lang == ENGLISH else f"（{hours}）"
        if not values["emergency"]:
            values["emergency"] = emergency_sentence(self.phone_region, lang)
        for base in SENTENCES:
            if values[base] and lang == ENGLISH:
                values[base] = " " + values[base]
        return values

    def kept_from_shenzhen(self) -> list[str]:
        """Settings a city other than Shenzhen left at Shenzhen's wording (worth a warning)."""
        if self._is_shenzhen:
            return []
        return [
            setting.name
            for setting in fields(self)
            if setting.name not in _NOT_SHENZHEN_SPECIFIC
            and getattr(self, setting.name)
            in (getattr(_SHENZHEN, setting.name), _NEUTRAL.get(setting.name) or None)
        ]

    @cached_property
    def _plain_values(self) -> dict[str, dict[str, str]]:
        """Per language, every setting as it is (bilingual ones under their base name)."""
        by_language: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
        for setting in fields(self):
            name, value = setting.name, getattr(self, setting.name)
            for language, values in by_language.items():
                # Every setting under its own name too ({hotline_name_en}), for replies
                # written in both languages at once (to a resident in neither).
                values[name] = value
                if name.endswith(f"_{language}"):
                    values[name.removesuffix(f"_{language}")] = value
        for language, values in by_language.items():
            values["city_name"] = values.pop("name")
            values["hotline_name"] = self.hotline_with_number(values["hotline_name"], language)
            for other in LANGUAGES:
                values[f"hotline_name_{other}"] = self.hotline_with_number(
                    values[f"hotline_name_{other}"], other
                )
        return by_language

    def hotline_with_number(self, name: str, language: str) -> str:
        """The hotline's name as a reply says it: with its number unless the name already
        holds it ("the 12345 citizen hotline"). "Call Kobe Call Center" leaves a resident who
        asked "is there a number?" without one."""
        digits = re.sub(r"\D", "", self.hotline)
        if not digits or digits in re.sub(r"\D", "", name):
            return name
        return f"{name} on {self.hotline}" if language == ENGLISH else f"{name} {self.hotline}"


_SHENZHEN = CityIdentity()
#: Defaults that suit any city, or that a city checks anyway (its name, its regions' rules).
_NOT_SHENZHEN_SPECIFIC = frozenset(
    {
        "name_en",
        "name_zh",
        "portal_en",
        "portal_zh",
        "transit_name_en",
        "phone_region",
        # empty: the phone region's own emergency numbers
        "emergency_en",
        "emergency_zh",
        # problems any city has, said only when its own service list cannot be read
        "problem_examples_en",
        "problem_examples_zh",
    }
)


#: What a city other than Shenzhen says where it left Shenzhen's wording: words that fit
#: any city (no promise, no opening hours, no office, no app it may not have).
_NEUTRAL = {
    "hotline_name_en": "the city's hotline",
    "hotline_name_zh": "市民服务热线",
    "hotline_hours_en": "",
    "hotline_hours_zh": "",
    "in_person_en": "",
    "in_person_zh": "",
    "reply_promise_en": "",
    "reply_promise_zh": "",
    "emergency_en": "",
    "emergency_zh": "",
    "transit_name_zh": "公共交通",
    "permit_examples_en": "a parking permit, a building permit, a business licence",
    "permit_examples_zh": "停车证、建筑许可、营业执照",
    "example_question_en": "When is the next bus?",
    "example_question_zh": "下一班公交车几点开？",
    "application_where_en": "on the acceptance receipt or in the message you got when you applied",
    "application_where_zh": "受理回执或申请时收到的通知",
}


#: Numbers that are emergency numbers somewhere; ``phonenumbers`` says which are where.
_EMERGENCY_CANDIDATES = (
    "911", "999", "000", "119", "110", "120", "111", "100", "101", "102", "108",
    "17", "18", "15", "190", "192", "193", "995", "997", "998", "112",
)  # fmt: skip


def emergency_numbers(region: str) -> list[str]:
    """The region's emergency numbers by the kept ``phonenumbers`` metadata, 112 last."""
    from phonenumbers import shortnumberinfo

    return [
        number
        for number in _EMERGENCY_CANDIDATES
        if shortnumberinfo.is_emergency_number(number, region)
    ]


def emergency_sentence(region: str, language: str) -> str:
    """ "If anyone is in danger, call 911 or 112 now." for a city that wrote none."""
    numbers = emergency_numbers(region) or ["112"]
    if language == ENGLISH:
        listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} or {numbers[-1]}"
        return f"If anyone is in danger, call {listed} now."
    listed = numbers[0] if len(numbers) == 1 else f"{'、'.join(numbers[:-1])} 或 {numbers[-1]}"
    return f"如有人身或财产危险，请立即拨打紧急电话 {listed}。"


def load_identity(environ: Mapping[str, str]) -> CityIdentity:
    """The identity of this process: ``endpoints.yml`` (or ``$CITY_ENDPOINTS``) and ``CITY_*``."""
    endpoints = Path(environ.get(ENDPOINTS_VARIABLE) or "endpoints.yml")
    return CityIdentity.load(endpoints, environ)


def _as_sentence(name: str, value: str, language: str) -> str:
    """A setting said as its own sentence, its full stop added if the integrator wrote a
    phrase ("Kobe City Hall, 6-5-1 Kano-cho"): the reply goes on after it, and refusing to
    start over a missing full stop would take the whole assistant down for a comma's worth
    of style."""
    if value.endswith(_SENTENCE_END[language]):
        return value
    logger.warning("%s.%s does not end a sentence; a full stop is added", SECTION, name)
    return value + _SENTENCE_END[language][0]
