"""Admin routes that change the permits catalogue while the sandbox runs.

They play the city updating its guidance (a new fee, a new permit type, one withdrawn), so an
end-to-end test can show the assistant's answers following the change without retraining.
Protected by the admin key (header ``X-Admin-Key``); errors use the permits API's bilingual
shape, like every route under ``/permits/v1/``. Bodies are checked by
:mod:`sandbox.permit_entries`; changes last until the sandbox stops or
``POST /admin/permits/reset``.
"""

from __future__ import annotations

from sanic import Request, Sanic
from sanic.response import HTTPResponse

from sandbox.admin import ADMIN_KEY_HEADER, has_admin_key
from sandbox.errors import PermitError, json_response
from sandbox.permit_entries import check_permit_type, parse_entry
from sandbox.permits import service_document, services_listing, unknown_permit_type
from sandbox.permits_catalogue import PermitCatalogue
from sandbox.settings import SandboxSettings

SERVICE_PATH = "/admin/permits/services/<permit_type>"


def require_permits_admin(request: Request, settings: SandboxSettings) -> None:
    """Refuse (403) a request without the admin key, in the permits error shape."""
    if not has_admin_key(request, settings):
        raise PermitError(
            403,
            "forbidden",
            f"The {ADMIN_KEY_HEADER} header is missing or not valid.",
            f"缺少 {ADMIN_KEY_HEADER} 请求头，或其值无效。",
        )


def register(app: Sanic, settings: SandboxSettings, catalogue: PermitCatalogue) -> None:
    """Add ``PUT``/``DELETE /admin/permits/services/{type}`` and ``POST /admin/permits/reset``."""

    @app.route(SERVICE_PATH, methods=["PUT"], name="admin_put_permit_service", unquote=True)
    async def put_service(request: Request, permit_type: str) -> HTTPResponse:
        require_permits_admin(request, settings)
        entry = parse_entry(request.body or b"", check_permit_type(permit_type))
        created = catalogue.put(entry)
        headers = {"Location": f"/permits/v1/services/{permit_type}"} if created else {}
        return json_response(
            service_document(catalogue, catalogue[permit_type]),
            status=201 if created else 200,
            headers=headers,
        )

    @app.route(SERVICE_PATH, methods=["DELETE"], name="admin_delete_permit_service", unquote=True)
    async def delete_service(request: Request, permit_type: str) -> HTTPResponse:
        require_permits_admin(request, settings)
        if not catalogue.remove(check_permit_type(permit_type)):
            raise unknown_permit_type(permit_type)
        return json_response({"deleted": permit_type, "sample_data": True})

    @app.route("/admin/permits/reset", methods=["POST"], name="admin_reset_permits")
    async def reset(request: Request) -> HTTPResponse:
        require_permits_admin(request, settings)
        catalogue.reset()
        return json_response(services_listing(catalogue))
