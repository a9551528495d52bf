"""Conversations as Rasa's SQL tracker store writes them, for the console's tests and benchmark."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence

from sqlalchemy.engine import Engine

from bot.console.indexer import events, rasa_metadata

T0 = 1_795_500_000.0  # 2026-11-24 in Shenzhen


@dataclass
class Conversation:
    """Builds one conversation's events in order, the way Rasa records them."""

    sender_id: str
    channel: str = "webchat"
    at: float = T0
    events: List[Dict[str, Any]] = field(default_factory=list)

    def _add(self, event: Dict[str, Any]) -> Conversation:
        self.at += 1.0
        self.events.append({"timestamp": self.at, **event})
        return self

    def user(
        self,
        text: str,
        intent: str,
        confidence: float = 0.95,
        language: str = "zh",
        entities: Sequence[Dict[str, Any]] = (),
    ) -> Conversation:
        return self._add(
            {
                "event": "user",
                "text": text,
                "input_channel": self.channel,
                "metadata": {},
                "parse_data": {
                    "intent": {"name": intent, "confidence": confidence},
                    "entities": list(entities),
                    "text": text,
                    "language": {"language": language, "script": None},
                },
            }
        )

    def bot(
        self, text: str, response: str = "utter_x", buttons: Sequence[str] = ()
    ) -> Conversation:
        return self._add(
            {
                "event": "bot",
                "text": text,
                "metadata": {"utter_action": response},
                "data": {"buttons": [{"title": t, "payload": "/x"} for t in buttons] or None},
            }
        )

    def action(self, name: str) -> Conversation:
        return self._add(
            {"event": "action", "name": name, "policy": "RulePolicy", "confidence": 1.0}
        )

    def slot(self, name: str, value: Any) -> Conversation:
        return self._add({"event": "slot", "name": name, "value": value})


def store(engine: Engine, conversations: Sequence[Conversation]) -> None:
    """Write conversations into an ``events`` table shaped like Rasa's."""
    rasa_metadata.create_all(engine)
    rows = []
    for conversation in conversations:
        for event in conversation.events:
            rows.append(
                {
                    "sender_id": conversation.sender_id,
                    "type_name": event["event"],
                    "timestamp": event["timestamp"],
                    "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
                    "action_name": event.get("name") if event["event"] == "action" else None,
                    "data": json.dumps(event, ensure_ascii=False),
                }
            )
    if rows:
        with engine.begin() as connection:
            connection.execute(events.insert(), rows)
