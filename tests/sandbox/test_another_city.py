"""The sandbox playing another city: Washington DC's real Open311 list, plain-number tickets,
and a server that answers with tokens (the set-up of the assistant's other-city tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.sandbox.conftest import API_KEY, ROOT, running_sandbox

DC = ROOT / "tests" / "data" / "open311" / "washington-dc"


@pytest.fixture(scope="module")
def dc_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("dc")
    env = {
        "SANDBOX_OPEN311_SERVICES": str(DC),
        "SANDBOX_TICKET_PREFIX": "",
        "SANDBOX_OPEN311_TOKENS": "true",
    }
    with running_sandbox(f"sqlite:///{folder}/sandbox.db", folder / "log.txt", env) as url:
        yield f"{url}/open311/v2"


def pothole(**extra: str) -> dict[str, str]:
    return {
        "api_key": API_KEY,
        "service_code": "S0301",
        "description": "deep pothole",
        "address_string": "1200 K St NW",
        **extra,
    }


def test_it_lists_the_citys_own_services(dc_sandbox: str) -> None:
    services = httpx.get(f"{dc_sandbox}/services.json").json()
    assert len(services) > 50
    assert {"service_code": "S0301", "service_name": "Pothole"}.items() <= next(
        s for s in services if s["service_code"] == "S0301"
    ).items()


def test_a_missing_required_attribute_is_refused(dc_sandbox: str) -> None:
    response = httpx.post(f"{dc_sandbox}/requests.json", data=pothole())
    assert response.status_code == 400
    assert "WHISPOLO" in response.text


def test_a_complete_request_gets_a_token_that_becomes_a_plain_number(dc_sandbox: str) -> None:
    response = httpx.post(
        f"{dc_sandbox}/requests.json", data=pothole(**{"attribute[WHISPOLO]": "STREE001"})
    )
    assert response.status_code == 201, response.text
    (receipt,) = response.json()
    assert "service_request_id" not in receipt
    exchanged = httpx.get(f"{dc_sandbox}/tokens/{receipt['token']}.json").json()
    ticket = exchanged[0]["service_request_id"]
    assert ticket.isdigit()
    (record,) = httpx.get(f"{dc_sandbox}/requests/{ticket}.json").json()
    assert record["service_code"] == "S0301"


def test_an_unknown_token_is_not_found(dc_sandbox: str) -> None:
    assert httpx.get(f"{dc_sandbox}/tokens/nope.json").status_code == 404


@pytest.fixture(scope="module")
def server_set_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A city whose definitions carry attributes its own server fills in (``variable:
    false``), as mySociety's Open311 adapter serves Warwickshire's highway services."""
    folder: Path = tmp_path_factory.mktemp("server-set")
    (folder / "services").mkdir()
    (folder / "services.json").write_text(
        '[{"service_code": "GC", "service_name": "Gully and Catchpits", "metadata": true,'
        ' "type": "realtime", "keywords": "", "group": "Highways", "description": ""},'
        ' {"service_code": "GC", "service_name": "Drains", "metadata": true,'
        ' "type": "realtime", "keywords": "", "group": "Highways", "description": ""}]'
    )
    (folder / "services" / "GC.json").write_text(
        '{"service_code": "GC", "attributes": ['
        '{"variable": false, "code": "easting", "datatype": "number", "required": true,'
        ' "order": 1, "description": "easting"},'
        '{"variable": true, "code": "depth", "datatype": "string", "required": true,'
        ' "order": 2, "description": "How deep is the water?"}]}'
    )
    env = {"SANDBOX_OPEN311_SERVICES": str(folder), "SANDBOX_TICKET_PREFIX": ""}
    with running_sandbox(f"sqlite:///{folder}/sandbox.db", folder / "log.txt", env) as url:
        yield f"{url}/open311/v2"


def test_what_the_server_fills_in_is_shown_as_such_and_never_required(
    server_set_sandbox: str,
) -> None:
    definition = httpx.get(f"{server_set_sandbox}/services/GC.json").json()
    variable = {a["code"]: a["variable"] for a in definition["attributes"]}
    assert variable == {"easting": False, "depth": True}
    request = {
        "api_key": API_KEY,
        "service_code": "GC",
        "description": "drain blocked, road flooded",
        "address_string": "Warwick Rd",
    }
    refused = httpx.post(f"{server_set_sandbox}/requests.json", data=request)
    assert refused.status_code == 400 and "depth" in refused.text
    filed = httpx.post(
        f"{server_set_sandbox}/requests.json", data={**request, "attribute[depth]": "ankle deep"}
    )
    assert filed.status_code == 201, filed.text


def test_two_services_of_one_code_are_both_listed_and_the_first_answers(
    server_set_sandbox: str,
) -> None:
    # Warwickshire's list gives "CD" to Carriageway Defect and to Roads/Highways.
    listed = httpx.get(f"{server_set_sandbox}/services.json").json()
    assert [(s["service_code"], s["service_name"]) for s in listed] == [
        ("GC", "Gully and Catchpits"),
        ("GC", "Drains"),
    ]
    assert httpx.get(f"{server_set_sandbox}/services/GC.json").status_code == 200
