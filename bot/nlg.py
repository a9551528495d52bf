"""Response generation that knows the reply language, including Traditional Chinese.

Responses in ``domain.yml`` have an English variant (``condition: language = en``)
and a default Chinese variant. Residents who write Traditional Chinese have the
``language`` slot set to ``zh-Hant``; for them the Chinese variant is chosen and
converted to Traditional here, so the domain keeps one Chinese text per response.
Enable with ``nlg: type: bot.nlg.BilingualNaturalLanguageGenerator`` in endpoints.yml.
"""

from __future__ import annotations

from typing import Any, Dict

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.language import to_traditional

LANGUAGE_SLOT = "language"
TRADITIONAL = "zh-Hant"


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
        self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)

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
