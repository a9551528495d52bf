"""Client for the assistant's own Rasa HTTP API, used to start a message to a resident.

The outbox worker cannot speak to a resident itself: it asks Rasa to run an
intent in the resident's conversation (``POST /conversations/{id}/trigger_intent``,
Rasa 3.6), and the rule for that intent renders the message in the resident's
language and sends it on their channel. The token of ``rasa run --auth-token``
goes in the ``token`` query parameter, the only place Rasa reads it from.

Rasa 3.6 (Sanic 21) does not percent-decode the conversation id in the path:
``telegram%3A42`` would address a conversation of that literal name. So the
sender id goes into the URL as it is, which works for every character a URL
path segment may hold (letters, digits, ``-._~`` and ``:@!$&'()*+,;=``: the ids
of Rasa's channels); an id that would need percent-encoding (``/``, spaces,
``%``, ``?``, ``#``, non-ASCII) cannot be addressed and is refused before sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

import httpx

from actions.clients import http
from actions.clients.errors import Rejected
from actions.settings import CityServicesSettings

SERVICE = "assistant"
#: What a URL path segment holds besides letters, digits and ``-._~`` (RFC 3986 ``pchar``).
_PATH_SAFE = ":@!$&'()*+,;="
#: Rasa predicts, runs the action and sends on the channel before it answers, so
#: a trigger takes longer than a city-service lookup. A timeout leaves the
#: outcome unknown and the trigger is sent again next round, so waiting longer
#: here means fewer duplicate messages; nobody is waiting on a turn.
POLICY = http.TransportPolicy(
    connect_timeout=2.0, read_timeout=10.0, get_retries=0, total_seconds=12.0
)


class AssistantClient:
    """Triggers intents in residents' conversations through Rasa's HTTP API."""

    def __init__(
        self,
        settings: CityServicesSettings,
        *,
        client: httpx.AsyncClient | None = None,
        policy: http.TransportPolicy | None = None,
    ) -> None:
        self._base = settings.assistant_url.rstrip("/")
        self._token = settings.assistant_token
        self._client = client
        self._policy = policy or POLICY

    async def trigger_intent(
        self,
        sender_id: str,
        intent: str,
        entities: Mapping[str, str],
        output_channel: str | None = None,
    ) -> None:
        """Run ``intent`` with ``entities`` in ``sender_id``'s conversation, once.

        ``output_channel`` is a channel name (``socketio``, ``telegram`` …) or
        ``latest`` (the channel the resident last wrote on); without it Rasa
        only returns the messages in its answer. Never retried: a second
        attempt would message the resident twice. Raises ServiceUnavailable
        (down, timeout, 5xx: outcome unknown), NotFound (the intent is not in
        the model's domain) or Rejected (token refused, bad request, or a
        sender id Rasa cannot be addressed with, see the module's docstring).
        """
        path_id = quote(sender_id, safe=_PATH_SAFE)
        if path_id != sender_id or sender_id in ("", ".", ".."):
            raise Rejected(
                SERVICE,
                f"sender id {sender_id!r} cannot be put in a Rasa 3.6 URL unchanged; not sent",
                status=400,
            )
        params = {"token": self._token} if self._token else {}
        if output_channel:
            params["output_channel"] = output_channel
        await http.post_json(
            SERVICE,
            f"{self._base}/conversations/{path_id}/trigger_intent",
            body={"name": intent, "entities": dict(entities)},
            params=params,
            policy=self._policy,
            client=self._client,
        )
