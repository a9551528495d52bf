"""Complaints in another city, configured as an integrator would: Washington DC.

The sandbox plays DC's real Open311 list (tests/data/open311/washington-dc: 86 services,
English names only, "Pothole" requires "Where is the pothole located?"), numbers tickets
with plain digits and answers a POST with a token first; the assistant gets DC's identity
from a `city:` section (tests/data/cities/washington-dc/endpoints.yml). A resident files a
pothole in English and in Chinese, answers the city's own question, gets a ticket number
in DC's format and follows it up by number; nothing said is Shenzhen's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.integration import chat
from tests.integration.chat import REST_HEADERS, say
from tests.integration.conftest import ROOT, TOKEN, Ports, running_stack

pytestmark = pytest.mark.integration
DC = ROOT / "tests" / "data" / "open311" / "washington-dc"
IDENTITY = ROOT / "tests" / "data" / "cities" / "washington-dc" / "endpoints.yml"
SHENZHEN_WORDS = ("Shenzhen", "深圳", "12345", "i深圳", "Luohu", "罗湖", "SR2026", "mainland",
                  "大陆", "15 working days", "15 个工作日", "(受理)", "(派单)")  # fmt: skip
TICKET = re.compile(r"\b(2026\d{4})\b")


@pytest.fixture(scope="module")
def dc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("dc")
    environment = {
        "CITY_ENDPOINTS": str(IDENTITY),
        "CITY_TIMEZONE": "America/New_York",
        "CITY_OUTBOX_DATABASE_URL": f"sqlite:///{folder}/outbox.db",
        "SANDBOX_OPEN311_SERVICES": str(DC),
        "SANDBOX_TICKET_PREFIX": "",
        "SANDBOX_OPEN311_TOKENS": "true",
        "RASA_AUTH_TOKEN": TOKEN,
        "RASA_TELEMETRY_ENABLED": "false",
    }
    ports = Ports(16006, 16056, 16201, 16301)
    with (
        running_stack(ports, environment, nlu_worker=False) as url,
        httpx.Client(base_url=url, timeout=60, headers=REST_HEADERS) as client,
    ):
        yield client


def conversation(client: httpx.Client, prefix: str) -> tuple[str, list[str]]:
    sender = chat.new_sender(prefix)
    return sender, []


def talk(client: httpx.Client, sender: str, heard: list[str], message: str) -> str:
    reply = say(client, sender, message)
    heard.append(reply)
    return reply


def assert_nothing_of_shenzhen(heard: list[str]) -> None:
    text = "\n".join(heard)
    assert [word for word in SHENZHEN_WORDS if word in text] == [], text


def test_a_pothole_filed_in_english_with_the_citys_own_question(dc: httpx.Client) -> None:
    sender, heard = conversation(dc, "dc-en")
    talk(dc, sender, heard, "There's a huge pothole outside my house, my tyre nearly burst")
    reply = talk(dc, sender, heard, "1350 Pennsylvania Ave NW")
    assert "Where is the pothole located?" in reply
    reply = talk(dc, sender, heard, "in the street")
    assert "phone" in reply.lower()
    reply = talk(dc, sender, heard, "(202) 727-1000")
    assert "Pothole" in reply and "Street" in reply and "727" not in reply.replace("****", "")
    reply = talk(dc, sender, heard, "yes, submit it")
    ticket = TICKET.search(reply)
    assert ticket, reply
    follow_up = talk(dc, sender, heard, f"what's the status of ticket {ticket.group(1)}?")
    assert ticket.group(1) in follow_up
    assert_nothing_of_shenzhen(heard)


def test_a_pothole_described_in_chinese_finds_the_english_only_service(dc: httpx.Client) -> None:
    sender, heard = conversation(dc, "dc-zh")
    # (not "马路上": that answers the city's question, which is then not asked)
    talk(dc, sender, heard, "我家门口有个大坑，昨天差点摔倒")
    reply = talk(dc, sender, heard, "宾夕法尼亚大道1350号")
    assert "Where is the pothole located?" in reply
    payload = "/inform" + json.dumps({"complaint_attribute": "ALLEY002"})
    talk(dc, sender, heard, payload)
    reply = talk(dc, sender, heard, "不留")
    assert "Pothole" in reply and "Alley" in reply
    reply = talk(dc, sender, heard, "确认提交")
    assert TICKET.search(reply), reply
    assert_nothing_of_shenzhen(heard)


def test_the_citys_question_answered_in_the_report_is_not_asked(dc: httpx.Client) -> None:
    sender, heard = conversation(dc, "dc-told")
    talk(dc, sender, heard, "我家门口的马路上有个大坑，昨天差点摔倒")
    reply = talk(dc, sender, heard, "宾夕法尼亚大道1350号")
    assert "Where is the pothole located?" not in reply
    reply = talk(dc, sender, heard, "不留")
    assert "Pothole" in reply and "Street" in reply  # shown, to be changed if wrong
    assert_nothing_of_shenzhen(heard)


def test_a_wrong_answer_to_the_citys_question_is_asked_again(dc: httpx.Client) -> None:
    sender, heard = conversation(dc, "dc-bad")
    talk(dc, sender, heard, "There's a deep pothole in front of my building, it keeps growing")
    reply = talk(dc, sender, heard, "1350 Pennsylvania Ave NW")
    assert "Where is the pothole located?" in reply
    reply = talk(dc, sender, heard, "no idea honestly")
    assert "one of the options" in reply and "Where is the pothole located?" in reply
    assert_nothing_of_shenzhen(heard)


def test_a_ticket_in_another_format_is_looked_up_at_the_city(dc: httpx.Client) -> None:
    sender, heard = conversation(dc, "dc-unknown")
    reply = talk(dc, sender, heard, "what's the status of ticket 19990001?")
    assert "19990001" in reply and "311" in reply
    assert_nothing_of_shenzhen(heard)
