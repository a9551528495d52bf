"""The permits client reads BLDS records and never lets personal data through."""

from __future__ import annotations

import httpx
import pytest
import respx

from actions.clients import http
from actions.clients.errors import NotConfigured, NotFound, Rejected, ServiceUnavailable
from actions.clients.permits import PermitsClient
from actions.settings import CityServicesSettings

BASE = "https://permits.example.gov/v1"
SETTINGS = CityServicesSettings.from_sources({"permits_url": BASE}, {})
FAST = http.TransportPolicy(connect_timeout=0.2, read_timeout=0.2, get_retries=0, backoff_seconds=0)
RECORD = {
    "PermitNum": "PA20250042",
    "PermitType": "普通护照",
    "PermitTypeMapped": "passport",
    "StatusCurrent": "已制证，待领取",
    "StatusCurrentMapped": "Permit Issued",
    "StatusDate": "2026-09-15T16:40:00+08:00",
    "AppliedDate": "2026-09-08",
    "IssuedDate": "2026-09-15",
    "ApplicantName": "张三",
    "ApplicantIdNumber": "000000199001010011",
}


@pytest.fixture
async def client():
    async with httpx.AsyncClient() as c:
        yield PermitsClient(SETTINGS, client=c, policy=FAST)


@respx.mock
async def test_an_application_number_is_normalised_and_read(client):
    route = respx.get(f"{BASE}/applications/PA20250042").mock(
        return_value=httpx.Response(200, json=RECORD)
    )
    application = await client.application(" pa20250042 ")
    assert route.called
    assert application.permit_type_mapped == "passport" and application.is_issued
    assert application.applied_date.isoformat() == "2026-09-08"


@respx.mock
async def test_applicant_personal_data_never_leaves_the_client(client):
    respx.get(f"{BASE}/applications/PA20250042").mock(return_value=httpx.Response(200, json=RECORD))
    application = await client.application("PA20250042")
    assert "张三" not in repr(application) and "000000199001010011" not in repr(application)


@respx.mock
async def test_a_number_with_slashes_is_one_path_segment(client):
    # "B/2024/0153" is a case number, not a path: "/" travels as %2F
    route = respx.get(url__eq=f"{BASE}/applications/B%2F2024%2F0153").mock(
        return_value=httpx.Response(200, json=RECORD)
    )
    await client.application("b/2024/0153")
    assert route.called


@pytest.mark.parametrize("number", ["../admin", "PA123/..", "./PA1234"])
async def test_a_number_that_would_climb_the_path_is_refused(client, number):
    with pytest.raises(Rejected):
        await client.application(number)


async def test_a_malformed_number_is_refused_without_a_call(client):
    with pytest.raises(Rejected):
        await client.application("PA123; DROP TABLE")


@respx.mock
async def test_an_unknown_number_is_not_found(client):
    respx.get(f"{BASE}/applications/PA00000000").mock(
        return_value=httpx.Response(
            404, json={"error": {"code": "not_found", "message_en": "No application PA00000000"}}
        )
    )
    with pytest.raises(NotFound, match="No application"):
        await client.application("PA00000000")


@respx.mock
async def test_catalogue_entries_are_read_per_language(client):
    respx.get(f"{BASE}/services/passport").mock(
        return_value=httpx.Response(
            200,
            json={
                "permit_type": "passport",
                "name": {"zh": "普通护照", "en": "Passport"},
                "documents": {"zh": ["身份证"], "en": ["ID card"]},
            },
        )
    )
    service = await client.service("passport")
    assert service.name["en"] == "Passport"
    assert service.text("documents", "en") == ["ID card"]


@respx.mock
async def test_permit_aliases_and_keywords_are_read_per_language(client):
    respx.get(f"{BASE}/services/marriage_registration").respond(
        json={
            "permit_type": "marriage_registration",
            "name": {"zh": "结婚登记", "en": "Marriage registration"},
            "aliases": {"zh": ["登记结婚", "註冊結婚"], "en": ["register a marriage"]},
            "keywords": {"zh": ["领证", " 结婚 "], "en": ["get married"]},
        }
    )
    service = await client.service("marriage_registration")
    assert service.aliases == {"zh": ("登记结婚", "註冊結婚"), "en": ("register a marriage",)}
    assert service.keywords == {"zh": ("领证", "结婚"), "en": ("get married",)}


@respx.mock
async def test_permit_keywords_the_server_got_wrong_are_dropped_not_fatal(client):
    respx.get(f"{BASE}/services").respond(
        json=[
            {"permit_type": "passport", "name": {}, "keywords": ["出国"]},
            {
                "permit_type": "residence_permit",
                "name": {},
                "keywords": {"zh": "非深户", "en": ["non-local", 7, " "]},
            },
        ]
    )
    passport, residence = await client.services()
    assert passport.keywords == {} and passport.aliases == {}
    assert residence.keywords == {"en": ("non-local",)}


@respx.mock
async def test_an_outage_is_reported_as_unavailable(client):
    respx.get(f"{BASE}/services").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ServiceUnavailable):
        await client.services()


@respx.mock
async def test_the_catalogue_brings_the_hotline_and_portal_when_the_server_gives_them(client):
    respx.get(f"{BASE}/services").respond(
        json={
            "hotline": "12345",
            "portal": {"zh": "政务服务网", "en": "services portal", "url": "https://gov.example"},
            "services": [{"permit_type": "passport", "name": {"en": "Passport"}}],
        }
    )
    catalogue = await client.catalogue()
    assert [s.permit_type for s in catalogue.services] == ["passport"]
    assert catalogue.hotline == "12345"
    assert catalogue.portal_name == {"zh": "政务服务网", "en": "services portal"}
    assert catalogue.portal_url == "https://gov.example"


@respx.mock
async def test_a_bare_list_is_a_catalogue_without_contact_details(client):
    respx.get(f"{BASE}/services").respond(json=[{"permit_type": "passport", "name": {}}])
    catalogue = await client.catalogue()
    assert catalogue.hotline == "" and catalogue.portal_url == ""


@respx.mock
async def test_the_last_catalogue_read_stands_in_during_an_outage(client):
    route = respx.get(f"{BASE}/services")
    route.respond(json=[{"permit_type": "passport", "name": {}}])
    await client.catalogue()
    route.mock(side_effect=httpx.ConnectError("refused"))
    assert [s.permit_type for s in (await client.catalogue()).services] == ["passport"]


@respx.mock
async def test_an_unchanged_catalogue_is_the_same_object_so_its_index_is_kept(client):
    route = respx.get(f"{BASE}/services")
    route.respond(json=[{"permit_type": "passport", "name": {}}])
    first = await client.catalogue()
    assert await client.catalogue() is first
    assert route.call_count == 2  # still read each time: an edit shows at once


@respx.mock
async def test_an_edited_catalogue_is_read_anew(client):
    route = respx.get(f"{BASE}/services")
    route.respond(json=[{"permit_type": "passport", "name": {}}])
    first = await client.catalogue()
    route.respond(json=[{"permit_type": "passport", "name": {}}, {"permit_type": "visa"}])
    edited = await client.catalogue()
    assert edited is not first
    assert [s.permit_type for s in edited.services] == ["passport", "visa"]


SAMPLE_CATALOGUE = {
    "city": {"zh": "深圳", "en": "Shenzhen"},
    "hotline": "12345",
    "services": [{"permit_type": "passport", "name": {"zh": "普通护照", "en": "Passport"}}],
}


@respx.mock
async def test_another_citys_catalogue_is_no_catalogue_of_this_city():
    # Kobe configured, the bundled Shenzhen sample still pointed at: Kobe's residents
    # must not be answered with Shenzhen's permits, hotline and portal.
    respx.get(f"{BASE}/services").mock(return_value=httpx.Response(200, json=SAMPLE_CATALOGUE))
    respx.get(f"{BASE}/services/passport").mock(
        return_value=httpx.Response(200, json={**SAMPLE_CATALOGUE, "permit_type": "passport"})
    )
    async with httpx.AsyncClient() as c:
        kobe = PermitsClient(SETTINGS, client=c, policy=FAST, city_names=("Kobe", "神户"))
        with pytest.raises(NotConfigured, match="Shenzhen"):
            await kobe.catalogue()
        with pytest.raises(NotConfigured):
            await kobe.service("passport")
        with pytest.raises(NotConfigured):
            await kobe.application("KP-26-03159")


@respx.mock
async def test_a_catalogue_naming_this_city_or_none_is_read():
    respx.get(f"{BASE}/services").mock(return_value=httpx.Response(200, json=SAMPLE_CATALOGUE))
    async with httpx.AsyncClient() as c:
        shenzhen = PermitsClient(SETTINGS, client=c, policy=FAST, city_names=("Shenzhen", "深圳"))
        assert len((await shenzhen.catalogue()).services) == 1
        unnamed = PermitsClient(SETTINGS, client=c, policy=FAST)
        assert len((await unnamed.catalogue()).services) == 1
