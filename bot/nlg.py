"""Response generation that knows the reply language, including Traditional Chinese.

Responses in ``domain.yml`` have an English variant (``condition: language = en``)
and a default Chinese variant. Residents who write Traditional Chinese have the
``language`` slot set to ``zh-Hant``; for them the Chinese variant is chosen and
converted to Traditional here, so the domain keeps one Chinese text per response.

Button payloads are passed on as written, never filled with slot values: Rasa's
interpolator reads the JSON of a payload such as ``/inform{"complaint_field":"location"}``
as a placeholder, fails, and logs an error with a traceback on every summary it renders
(the payload itself came out unchanged). Titles and texts are filled as before.

Responses also speak of the city the assistant serves: ``{city_name}``, ``{hotline}``,
``{hotline_name}``, ``{ticket_example}``, ``{reply_promise}`` … are filled from the
``city:`` settings (:mod:`bot.city_identity`, read once when Rasa creates the NLG) in the
reply language. A slot or a value an action sends under the same name wins: a permit
catalogue's own hotline, for instance.
Enable with ``nlg: type: bot.nlg.BilingualNaturalLanguageGenerator`` in endpoints.yml.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any, Dict

from rasa.core.nlg import interpolator
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.city_identity import CityIdentity, load_identity
from bot.language import to_traditional

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
TRADITIONAL = "zh-Hant"
#: The parts of a response filled with slot values (Rasa's list, buttons handled apart).
FILLED_KEYS = ("text", "image", "custom", "attachment", "quick_replies")
#: A value written into a reply where a sentence starts ("{hotline_name} can take it.").
_AT_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n)\{(\w+)\}")


def to_traditional_response(response: Dict[str, Any]) -> Dict[str, Any]:
    """Convert the text and button titles of a rendered response to Traditional Chinese."""
    converted = dict(response)
    if isinstance(converted.get("text"), str):
        converted["text"] = to_traditional(converted["text"])
    if isinstance(converted.get("buttons"), list):
        converted["buttons"] = [
            {**button, "title": to_traditional(str(button.get("title", "")))}
            for button in converted["buttons"]
        ]
    return converted


class BilingualNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """Templated NLG that renders Chinese responses in Traditional for ``zh-Hant`` residents."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        domain: Domain | None = None,
        identity: CityIdentity | None = None,
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)
        # Rasa creates the NLG once per server: this is the Rasa process's edge.
        self.identity = identity or load_identity(os.environ)
        kept = self.identity.kept_from_shenzhen()
        if kept:
            logger.warning(
                "city %s still has Shenzhen's wording for: %s (city: in endpoints.yml)",
                self.identity.name_en,
                ", ".join(kept),
            )

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> Dict[str, Any] | None:
        slots = tracker.current_slot_values()
        traditional = slots.get(LANGUAGE_SLOT) == TRADITIONAL
        if traditional:
            slots = {**slots, LANGUAGE_SLOT: "zh"}
        response = self.generate_from_slots(utter_action, slots, output_channel, **kwargs)
        if response is not None and traditional:
            return to_traditional_response(response)
        return response

    def _fill_response(
        self,
        response: Dict[str, Any],
        filled_slots: Dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Dict[str, Any]:
        """Rasa's filling with the city's identity added; button payloads left as written."""
        slots = filled_slots or {}
        values: Dict[str, Any] = self.identity.reply_values(slots.get(LANGUAGE_SLOT))
        for name, value in self._response_variables(slots, kwargs).items():
            if value is not None or name not in values:
                values[name] = value
        for key in FILLED_KEYS:
            if key in response:
                template = response[key]
                if isinstance(template, str):
                    template = _capitalised_where_a_sentence_starts(template, values)
                response[key] = interpolator.interpolate(template, values)
        if isinstance(response.get("buttons"), list):
            response["buttons"] = [
                {**button, "title": interpolator.interpolate(button["title"], values)}
                if isinstance(button, dict) and isinstance(button.get("title"), str)
                else button
                for button in response["buttons"]
            ]
        return response


def _capitalised_where_a_sentence_starts(template: str, values: Dict[str, Any]) -> str:
    """The template with values that open a sentence capitalised: a city's hotline is
    "the City of Tampa Customer Service Center" inside a sentence ("call the …") and
    "The City of …" at its start. Adds the capitalised values to ``values``."""

    def capitalised(match: re.Match[str]) -> str:
        name = match.group(2)
        value = values.get(name)
        if not isinstance(value, str) or not value[:1].islower() or not value[:1].isascii():
            return match.group(0)
        values[f"{name}__opening"] = value[0].upper() + value[1:]
        return f"{match.group(1)}{{{name}__opening}}"

    return _AT_SENTENCE_START.sub(capitalised, template)
