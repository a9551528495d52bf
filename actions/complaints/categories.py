"""Kinds of problem the city takes reports about, read from its Open311 ``services.json``.

Nothing here lists the city's services: a city that adds "fallen tree" to its
catalogue gets it in the assistant's buttons and matching without a code change.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence

from actions.catalogue import locale_for
from actions.city import city_services
from actions.clients.errors import CityServiceError
from actions.clients.open311 import Open311Service, match_service

logger = logging.getLogger(__name__)

#: Buttons shown when asking for the kind of problem (chat clients show a handful well).
MAX_BUTTONS = 10
_CODE = re.compile(r"^[a-z][a-z0-9_\-]{1,40}$")


async def load_services(language: str | None) -> list[Open311Service] | None:
    """The city's services in the reply language, or None when the catalogue cannot be read."""
    try:
        services = await city_services().open311.services(locale_for(language))
    except CityServiceError as error:
        logger.warning("Open311 services.json unavailable: %s", error)
        return None
    if not services:
        # An empty list offers nothing to choose: treated like an unreadable one.
        logger.warning("Open311 services.json lists no services")
        return None
    return services


def match_service_text(text: str, services: Sequence[Open311Service]) -> Open311Service | None:
    """The service a free-text answer names ("路灯", "it's a pothole"), by its name or keywords.

    The longest name or keyword found in the text wins, so "construction noise"
    beats "noise" when a city has both.
    """
    lowered = (text or "").lower()
    best: tuple[int, Open311Service] | None = None
    for service in services:
        for term in (service.service_name, *service.keywords):
            term = term.strip().lower()
            if len(term) < 2 or term not in lowered:
                continue
            if best is None or len(term) > best[0]:
                best = (len(term), service)
    return best[1] if best else None


def resolve(value: str, services: Sequence[Open311Service]) -> Open311Service | None:
    """The service for a category value: an NLU category or code first, then the text itself."""
    return match_service(value, services) or match_service_text(value, services)


def looks_like_code(value: str) -> bool:
    """A category value that can be sent as a service code when the catalogue is unreadable."""
    return bool(_CODE.match(value or ""))


def service_name(code: str, services: Sequence[Open311Service] | None) -> str | None:
    """The display name of a service code, if the catalogue has it (with its group when
    another service of the catalogue has the same name)."""
    for service in services or ():
        if service.service_code == code:
            return labelled(service, services or ())
    return None


def labelled(service: Open311Service, among: Sequence[Open311Service]) -> str:
    """The service's name, and its group in brackets when another service ``among`` the
    others has the same name: a German catalogue files "Hundekot" under the street, the
    park and waste, and three buttons saying "Hundekot" leave the resident guessing."""
    name = shown_name(service.service_name) or service.service_code
    group = " ".join((service.group or "").split())
    twins = [
        other
        for other in among
        if other.service_code != service.service_code
        and (shown_name(other.service_name) or other.service_code) == name
    ]
    if not twins or not group or all(" ".join((o.group or "").split()) == group for o in twins):
        return name
    return f"{name} ({group})"


def shown_name(name: str) -> str:
    """A service's name as a resident reads it.

    Some cities publish machine-style names ("Sewage_Back_up Out_of_manhole_cover",
    "Cans_Left_Out_24x7" in San Francisco's list): underscores are shown as spaces.
    """
    return " ".join(name.replace("_", " ").split()) or name


def services_by_code(
    codes: Sequence[str], services: Sequence[Open311Service]
) -> list[Open311Service]:
    """The services with these codes, in the order of ``codes`` (unknown codes left out)."""
    by_code = {service.service_code: service for service in services}
    return [by_code[code] for code in codes if code in by_code]


def category_buttons(services: Sequence[Open311Service]) -> list[dict[str, str]]:
    """Quick-reply buttons for the catalogue: a tap answers with the service code."""
    return [
        {
            "title": labelled(service, services[:MAX_BUTTONS]),
            "payload": "/inform" + json.dumps({"complaint_category": service.service_code}),
        }
        for service in services[:MAX_BUTTONS]
    ]


#: How many of the city's services the help menu names.
MAX_EXAMPLES = 6


async def problem_examples(language: str | None) -> dict[str, str]:
    """The help menu's examples of problems, from the city's own service list ("Potholes,
    Graffiti removal, Parks…"), as the ``problem_examples`` reply value; {} when the list
    cannot be read (the ``city:`` setting is said instead). A city that lists only dog
    bins and grass cutting must not be offered streetlights and water leaks.

    A city that set ``problem_examples`` itself gets its own words ({} here, so the
    setting is said): the first services of a list are often not the ones residents
    report most ("Alexandria Fire Department Comments or Inquiries" comes first
    alphabetically)."""
    from actions.complaints.service_match import other_service
    from bot.city_identity import CityIdentity

    identity = city_services().identity
    if identity.problem_examples_en != CityIdentity().problem_examples_en:
        return {}
    try:
        services = await load_services(language)
    except Exception as error:  # noqa: BLE001 - the menu is shown with or without them
        logger.warning("no service list for the help menu's examples: %s", error)
        return {}
    if not services:
        return {}
    other = other_service(services)
    names: list[str] = []
    for service in services:
        name = shown_name(service.service_name)
        if service is other or name in names:
            continue
        names.append(name)
        if len(names) == MAX_EXAMPLES:
            break
    if not names:
        return {}
    if language == "en":
        listed = ", ".join(names[:-1]) + (f" or {names[-1]}" if len(names) > 1 else names[-1])
        return {"problem_examples": listed}
    return {"problem_examples": "、".join(names)}
