"""The complaints journey end to end: REST channel → Rasa → action server → sandbox Open311.

Each test talks to the running stack as a resident would and then checks the
ticket the way the city would see it, through ``GET requests/{id}.json``.
"""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from tests.integration import chat
from tests.integration.chat import say
from tests.integration.conftest import SANDBOX_PORT, TOKEN

pytestmark = pytest.mark.integration
OPEN311 = f"http://127.0.0.1:{SANDBOX_PORT}/open311/v2"
ADMIN_KEY = "sandbox-admin-key"
TICKET = re.compile(r"SR\d{8}")


def new_sender() -> str:
    return chat.new_sender("complaint")


def ticket_in(reply: str) -> str:
    found = TICKET.search(reply)
    assert found, f"no ticket number in {reply!r}"
    return found.group(0)


def city_record(ticket: str) -> dict[str, Any]:
    answer = httpx.get(f"{OPEN311}/requests/{ticket}.json", params={"locale": "en"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()[0]


def test_english_report_in_one_message_is_filed_with_the_residents_words(
    client: httpx.Client,
) -> None:
    sender = new_sender()
    opening = "There's a huge pothole on Shennan Avenue near the bus stop, a cyclist nearly fell"
    assert "Where" in say(client, sender, opening)
    assert "phone" in say(client, sender, "outside 1001 Shennan Avenue, Futian")
    summary = say(client, sender, "my number is 138 0013 8000")
    assert "138****8000" in summary and "13800138000" not in summary
    assert "1001 Shennan Avenue" in summary
    reply = say(client, sender, "/affirm")
    ticket = ticket_in(reply)
    assert "15 working days" in reply
    record = city_record(ticket)
    assert record["service_code"] == "road_damage"
    assert record["description"] == opening
    assert "1001 Shennan Avenue" in record["address"]


def test_chinese_report_with_a_digression_and_a_changed_address(client: httpx.Client) -> None:
    sender = new_sender()
    assert "哪一类" in say(client, sender, "我要投诉")
    assert "位置" in say(client, sender, "路灯")
    detour = say(client, sender, "车公庙下一班地铁几点？")
    assert "1号线" in detour and "位置" in detour  # answered, then the form asks again
    assert "描述" in say(client, sender, "福田区福华三路88号")
    assert "电话" in say(client, sender, "路灯已经一个星期不亮了，晚上很黑")
    summary = say(client, sender, "不留")
    assert "福华三路88号" in summary and "未留" in summary
    changed = say(client, sender, "地址改成福田区福华三路100号")
    assert "福华三路100号" in changed
    ticket = ticket_in(say(client, sender, "确认提交"))
    record = city_record(ticket)
    assert record["service_code"] == "streetlight"
    assert "福华三路100号" in record["address"]
    status = say(client, sender, "我之前的投诉处理得怎么样了？")
    assert ticket in status and "受理" in status


def test_cancelling_files_nothing_and_a_second_complaint_still_works(
    client: httpx.Client,
) -> None:
    sender = new_sender()
    say(client, sender, "我要投诉")
    say(client, sender, "噪音")
    cancelled = say(client, sender, "算了")
    assert "取消" in cancelled
    say(client, sender, "小区门口的垃圾三天没人收了，臭得不行")
    say(client, sender, "南山区桃园路2号")
    say(client, sender, "不用了")
    ticket = ticket_in(say(client, sender, "/affirm"))
    assert city_record(ticket)["service_code"] == "garbage"


def test_shared_location_is_used_as_the_place(client: httpx.Client) -> None:
    sender = new_sender()
    say(client, sender, "The streetlight outside my building has been off for a week")
    asked_phone = say(
        client, sender, "here", location={"lat": 22.5431, "long": 114.0579, "label": "Civic Center"}
    )
    assert "phone" in asked_phone
    summary = say(client, sender, "no thanks")
    assert "Civic Center" in summary
    ticket = ticket_in(say(client, sender, "/affirm"))
    record = city_record(ticket)
    assert abs(float(record["lat"]) - 22.5431) < 1e-4
    assert abs(float(record["long"]) - 114.0579) < 1e-4


def test_long_description_is_trimmed_with_a_note_and_html_stays_text(client: httpx.Client) -> None:
    sender = new_sender()
    say(client, sender, "I want to report a problem")
    say(client, sender, "water leak")
    say(client, sender, "12 Binhai Avenue, Nanshan")
    opening = "<script>alert(1)</script> call me on 13912345678. "
    description = (opening + "water everywhere " * 300)[:5000]  # the channel's maximum
    assert len(description) == 5000
    reply = say(client, sender, description)
    assert "4000" in reply
    summary = say(client, sender, "skip")
    assert "13912345678" not in summary and "139****5678" in summary
    assert "<script>alert(1)</script>" in summary
    ticket = ticket_in(say(client, sender, "/affirm"))
    stored = city_record(ticket)["description"]
    assert len(stored) <= 4000
    assert stored.startswith("<script>alert(1)</script>")


def test_unknown_ticket_gets_a_clear_answer(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "what's the status of sr 2099 9999")
    assert "SR20999999" in reply and "couldn't find" in reply


def test_resident_is_told_when_their_ticket_moves_on(client: httpx.Client) -> None:
    sender = new_sender()
    say(client, sender, "The streetlight at 5 Fuhua Road has been broken for days")
    say(client, sender, "5 Fuhua Road, Futian")
    say(client, sender, "no")
    ticket = ticket_in(say(client, sender, "/affirm"))
    advanced = httpx.post(
        f"http://127.0.0.1:{SANDBOX_PORT}/admin/requests/{ticket}/advance",
        headers={"X-Admin-Key": ADMIN_KEY},
        data={"to": "in_progress", "note": "Crew booked for tonight"},
        timeout=10,
    )
    assert advanced.status_code == 200, advanced.text
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tracker = client.get(f"/conversations/{sender}/tracker", params={"token": TOKEN}).json()
        updates = [
            e.get("text", "")
            for e in tracker["events"]
            if e.get("event") == "bot" and ticket in (e.get("text") or "") and "Update" in e["text"]
        ]
        if updates:
            assert "being dealt with" in updates[-1]
            return
        time.sleep(2)
    pytest.fail(f"no update about {ticket} reached the conversation within 60 s")


def test_an_address_corrected_while_the_phone_is_asked_reaches_the_city(
    client: httpx.Client,
) -> None:
    sender = new_sender()
    say(client, sender, "我家门口的路灯坏了一个星期了，晚上很黑")
    assert "电话" in say(client, sender, "福田区福华三路88号")
    corrected = say(client, sender, "不好意思地址写错了，应该是福田区福华三路100号")
    assert "更正" in corrected and "电话" in corrected  # taken, then the phone asked again
    summary = say(client, sender, "不留")
    assert "福华三路100号" in summary and "福华三路88号" not in summary
    record = city_record(ticket_in(say(client, sender, "确认提交")))
    assert "福华三路100号" in record["address"]


def test_a_rambling_report_in_cantonese_is_filed_whole(client: httpx.Client) -> None:
    sender = new_sender()
    opening = (
        "你好呀，唔好意思打擾，我住喺福田呢度好多年喇，平時都唔會投訴，"
        "但係我哋樓下條街嘅路燈已經壞咗成個禮拜，夜晚黑到乜都睇唔到，"
        "琴日仲有個阿婆差啲跌親，麻煩你哋派人嚟整返"
    )
    assert "位置" in say(client, sender, opening)  # read as a report, its lamp found
    assert "電話" in say(client, sender, "福田區福華三路88號")  # replies in Traditional
    say(client, sender, "唔留")
    record = city_record(ticket_in(say(client, sender, "確認提交")))
    assert record["service_code"] == "streetlight"
    assert record["description"] == opening
