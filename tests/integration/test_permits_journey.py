"""The permits journey end to end: REST channel → Rasa → action server → sandbox permits API.

The answers are checked against what the sandbox's catalogue says, and one test edits
the catalogue while the stack runs to show the answers follow it without retraining.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration import chat
from tests.integration.chat import say
from tests.integration.conftest import SANDBOX_PORT

pytestmark = pytest.mark.integration
SANDBOX = f"http://127.0.0.1:{SANDBOX_PORT}"
ADMIN = {"X-Admin-Key": "sandbox-admin-key"}
#: The fictitious applicants' personal data in sandbox/data/permit_applications.yml.
PERSONAL = ("张三", "李四", "000000199001010011", "000000198506150022", "示例路", "示例大道")


def new_sender() -> str:
    return chat.new_sender("permit")


def catalogue_entry(permit_type: str) -> dict[str, Any]:
    answer = httpx.get(f"{SANDBOX}/permits/v1/services/{permit_type}", timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture()
def editable_catalogue(stack: str) -> Iterator[None]:
    """The catalogue as the city would change it; put back as loaded afterwards."""
    yield
    answer = httpx.post(f"{SANDBOX}/admin/permits/reset", headers=ADMIN, timeout=10)
    assert answer.status_code == 200, answer.text


def test_chinese_questions_keep_the_permit_type_in_context(client: httpx.Client) -> None:
    sender = new_sender()
    entry = catalogue_entry("residence_permit")
    documents = say(client, sender, "办居住证需要什么材料")
    assert entry["documents"]["zh"][0] in documents
    assert "居住证暂行条例" in documents
    assert entry["fee"]["zh"] in say(client, sender, "多少钱？")
    assert entry["processing_time"]["zh"] in say(client, sender, "多久能拿到？")
    where = say(client, sender, "在哪里办？")
    assert entry["apply"]["offices"][0]["hours"]["zh"] in where


def test_english_what_about_another_permit_answers_the_same_question(
    client: httpx.Client,
) -> None:
    sender = new_sender()
    travel = catalogue_entry("hk_macau_travel_permit")
    passport = catalogue_entry("passport")
    assert travel["fee"]["en"] in say(client, sender, "How much is a HK/Macau travel permit?")
    assert passport["fee"]["en"] in say(client, sender, "what about a passport?")


def test_no_permit_named_asks_which_with_the_catalogues_types(client: httpx.Client) -> None:
    sender = new_sender()
    replies = chat.send(client, sender, "how long does it take to get approved?")
    titles = [button["title"] for reply in replies for button in reply.get("buttons", [])]
    # Buttons show the name before its bracketed note: "Business licence".
    assert catalogue_entry("business_license")["name"]["en"].split(" (")[0] in titles
    chosen = next(
        button["payload"]
        for reply in replies
        for button in reply.get("buttons", [])
        if "business_license" in button["payload"]
    )
    answer = say(client, sender, chosen)
    assert catalogue_entry("business_license")["processing_time"]["en"] in answer


def test_a_permit_the_city_does_not_offer_points_to_12345(client: httpx.Client) -> None:
    # The catalogue has driving-licence renewal and replacement, so the example is a
    # certificate it has nothing on: the food-handler health certificate.
    reply = say(client, new_sender(), "办健康证需要什么材料")
    assert "健康证" in reply and "12345" in reply


def test_status_by_number_in_english_without_personal_data(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "has pa 2026 1187 been approved?")
    assert "PA20261187" in reply and "In review" in reply
    for personal in PERSONAL:
        assert personal not in reply


def test_status_in_chinese_for_an_issued_permit_says_to_collect_it(client: httpx.Client) -> None:
    reply = say(client, new_sender(), "PA20250042办好了吗")
    assert "已发证" in reply and "领取" in reply
    for personal in PERSONAL:
        assert personal not in reply


def test_status_without_a_number_asks_for_it_then_answers(client: httpx.Client) -> None:
    sender = new_sender()
    assert "PA" in say(client, sender, "我的申请批下来了吗")
    assert "已受理" in say(client, sender, "PA20260315")
    assert "未查到" in say(client, sender, "PA20999999")


def test_the_answer_follows_a_catalogue_change_at_run_time(
    client: httpx.Client, editable_catalogue: None
) -> None:
    entry = catalogue_entry("residence_permit")
    entry["fee"] = {
        "amount_cny": 20,
        "zh": "自2027年1月1日起首次申领收取工本费20元。",
        "en": "From 1 January 2027 the first permit costs CNY 20.",
    }
    changed = httpx.put(
        f"{SANDBOX}/admin/permits/services/residence_permit", json=entry, headers=ADMIN, timeout=10
    )
    assert changed.status_code == 200, changed.text
    assert "工本费20元" in say(client, new_sender(), "居住证办理要多少钱")


def test_a_permit_type_added_at_run_time_is_recognised_by_its_alias(
    client: httpx.Client, editable_catalogue: None
) -> None:
    dog = {
        "permit_type": "dog_licence",
        "name": {"zh": "犬只登记证", "en": "Dog licence"},
        "aliases": {"zh": ["狗证", "养狗证"], "en": ["dog permit"]},
        "fee": {"amount_cny": 300, "zh": "每只犬每年300元。", "en": "CNY 300 per dog per year."},
        "processing_time": {"working_days": 5, "zh": "5个工作日。", "en": "5 working days."},
    }
    added = httpx.put(
        f"{SANDBOX}/admin/permits/services/dog_licence", json=dog, headers=ADMIN, timeout=10
    )
    assert added.status_code == 201, added.text
    assert "每只犬每年300元" in say(client, new_sender(), "办狗证要多少钱")
