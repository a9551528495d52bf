"""The permits API under ``/permits/v1/``: application status (BLDS fields) and the catalogue.

Application records use the Building & Land Development Specification's field names so a
city with a BLDS feed can serve the same shape. The applicant's personal data is stored (it
is in the sample data as a privacy fixture) and never returned: :func:`application_record`
names every field it sends. Every payload says ``"sample_data": true``.

The catalogue routes read a :class:`~sandbox.permits_catalogue.PermitCatalogue` that the admin
routes of :mod:`sandbox.permits_admin` may change while the sandbox runs; nothing here copies
it, so every answer reflects the catalogue as it is at that request.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sanic import Request, Sanic
from sanic.response import HTTPResponse
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from sandbox.errors import PermitError, json_response
from sandbox.iso8601 import format_timestamp
from sandbox.permits_catalogue import PermitCatalogue
from sandbox.settings import SandboxSettings
from sandbox.storage import permit_applications

DEFAULT_APPLICATIONS = Path(__file__).resolve().parent / "data" / "permit_applications.yml"

_PERMIT_NUM = re.compile(r"^PA\d{8}$")

#: Plain words for BLDS mapped statuses, for residents in both languages.
STATUS_TEXT: dict[str, tuple[str, str]] = {
    "Applied": ("已提交", "Submitted"),
    "Application Accepted": ("已受理", "Accepted, waiting to be reviewed"),
    "Application Incomplete": ("材料不全，待补正", "Incomplete: more documents needed"),
    "In Review": ("审核中", "Under review"),
    "Fees/Payment": ("待缴费", "Waiting for payment of the fee"),
    "Permit Issued": ("已批准，证件已制发", "Approved and issued"),
    "Inspection Phase": ("现场核查中", "Being inspected"),
    "Permit Finaled": ("已办结", "Completed"),
    "Application Denied": ("审核不通过", "Not approved"),
    "Permit Cancelled": ("已撤回或取消", "Withdrawn or cancelled"),
    "Permit Expired": ("已过期", "Expired"),
    "Permit Revoked": ("已撤销", "Revoked"),
}


def normalise_permit_num(raw: str) -> str:
    """``PA`` + 8 digits, upper-cased; :class:`PermitError` (400) for anything else."""
    permit_num = raw.strip().upper()
    if not _PERMIT_NUM.match(permit_num):
        raise PermitError(
            400,
            "invalid_permit_num",
            f"{raw!r} is not an application number; they look like PA20261234.",
            f"“{raw}”不是有效的申请编号，编号格式为 PA 加 8 位数字，如 PA20261234。",
        )
    return permit_num


def status_text(mapped: str, current: str) -> dict[str, str]:
    """The status in both languages: the office's own Chinese wording, plain English."""
    zh, en = STATUS_TEXT.get(mapped, (current, mapped))
    return {"zh": current or zh, "en": en}


def application_record(
    row: Mapping[str, Any], catalogue: Mapping[str, Mapping[str, Any]], zone: ZoneInfo
) -> dict[str, Any]:
    """The public record of an application: BLDS fields, bilingual status, no personal data."""
    entry = catalogue.get(row["permit_type_mapped"], {})
    issued = row["issued_date"]
    return {
        "PermitNum": row["permit_num"],
        "PermitType": row["permit_type"],
        "PermitTypeMapped": row["permit_type_mapped"],
        "PermitTypeName": dict(entry.get("name") or {}),
        "Description": row["description"],
        "AppliedDate": row["applied_date"].isoformat(),
        "IssuedDate": issued.isoformat() if issued else None,
        "StatusCurrent": row["status_current"],
        "StatusCurrentMapped": row["status_current_mapped"],
        "StatusDate": format_timestamp(row["status_date"], zone),
        "StatusText": status_text(row["status_current_mapped"], row["status_current"]),
        "sample_data": True,
    }


def service_summary(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One element of ``GET services``: enough to choose, with a link to the details."""
    return {
        "permit_type": entry["permit_type"],
        "name": entry["name"],
        "aliases": entry.get("aliases") or {},
        "keywords": entry.get("keywords") or {},
        "authority": entry.get("authority"),
        "fee": entry.get("fee"),
        "processing_time": entry.get("processing_time"),
        "online": bool(entry.get("apply", {}).get("online", {}).get("available")),
        "href": f"/permits/v1/services/{entry['permit_type']}",
    }


def services_listing(catalogue: PermitCatalogue) -> dict[str, Any]:
    """The body of ``GET services``: the catalogue header and a summary per permit type."""
    return {**catalogue.header, "services": [service_summary(e) for e in catalogue.values()]}


def service_document(catalogue: PermitCatalogue, entry: Mapping[str, Any]) -> dict[str, Any]:
    """The body of ``GET services/{permit_type}``: the catalogue header and the whole entry."""
    return {**catalogue.header, **entry}


def unknown_permit_type(permit_type: str) -> PermitError:
    """The 404 for a permit type the catalogue does not have (any more)."""
    return PermitError(
        404,
        "permit_type_not_found",
        f"There is no permit type {permit_type!r}. See /permits/v1/services for the list.",
        f"没有“{permit_type}”这一办证事项，可查看 /permits/v1/services 中的事项列表。",
    )


def load_sample_applications(
    path: str | os.PathLike[str] = DEFAULT_APPLICATIONS,
) -> list[dict[str, Any]]:
    """Rows for ``permit_applications`` from the sample YAML (BLDS names → column names)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return [
        {
            "permit_num": app["PermitNum"],
            "permit_type": app["PermitType"],
            "permit_type_mapped": app["PermitTypeMapped"],
            "description": app["Description"],
            "applied_date": dt.date.fromisoformat(str(app["AppliedDate"])),
            "issued_date": dt.date.fromisoformat(str(app["IssuedDate"]))
            if app.get("IssuedDate")
            else None,
            "status_current": app["StatusCurrent"],
            "status_current_mapped": app["StatusCurrentMapped"],
            "status_date": dt.datetime.fromisoformat(str(app["StatusDate"])),
            "applicant_name": app.get("ApplicantName"),
            "applicant_id_number": app.get("ApplicantIdNumber"),
            "applicant_address": app.get("ApplicantAddress"),
            "sample": True,
        }
        for app in data["applications"]
    ]


def seed_applications(engine: Engine, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert the sample applications not yet stored; returns how many were added."""
    with engine.begin() as connection:
        present = set(connection.execute(select(permit_applications.c.permit_num)).scalars())
        missing = [row for row in rows if row["permit_num"] not in present]
        if missing:
            connection.execute(insert(permit_applications), missing)
    return len(missing)


def find_application(engine: Engine, permit_num: str) -> Mapping[str, Any] | None:
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(permit_applications).where(permit_applications.c.permit_num == permit_num)
            )
            .mappings()
            .first()
        )
    return dict(row) if row is not None else None


def register(
    app: Sanic, engine: Engine, settings: SandboxSettings, catalogue: PermitCatalogue
) -> None:
    """Add the ``/permits/v1/`` routes to ``app``, reading ``catalogue`` afresh per request."""

    @app.route("/permits/v1/applications/<permit_num>", name="permits_application", unquote=True)
    async def application(request: Request, permit_num: str) -> HTTPResponse:
        number = normalise_permit_num(permit_num)
        row = await asyncio.to_thread(find_application, engine, number)
        if row is None:
            raise PermitError(
                404,
                "application_not_found",
                f"No application {number} was found. Check the number on your receipt.",
                f"未查到申请编号为 {number} 的记录，请核对受理回执上的编号。",
            )
        return json_response(application_record(row, catalogue, settings.zone))

    @app.get("/permits/v1/services", name="permits_services")
    async def services(request: Request) -> HTTPResponse:
        return json_response(services_listing(catalogue))

    @app.route("/permits/v1/services/<permit_type>", name="permits_service", unquote=True)
    async def service(request: Request, permit_type: str) -> HTTPResponse:
        entry = catalogue.get(permit_type)
        if entry is None:
            raise unknown_permit_type(permit_type)
        return json_response(service_document(catalogue, entry))
