"""Mercado Libre error bodies (reference §7.3) and the JSON responses carrying them.

The API uses several shapes: the generic `{message, error, status, cause}`, messaging's
`{status_code, code, message}`, OAuth's `{error_description, error, status, cause}` and the claims
search's `invalid_query`. Clients parse them differently, so the simulator must not mix them up.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

ERROR_CODES: dict[int, str] = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 422: "unprocessable_entity", 423: "locked",
    429: "local_rate_limited", 500: "internal_server_error", 502: "bad_gateway",
    503: "service_unavailable", 504: "gateway_timeout",
}

DEFAULT_MESSAGES: dict[int, str] = {
    400: "Bad request", 401: "invalid access token", 403: "forbidden", 404: "Resource not found",
    409: "Conflict", 429: "Too Many Requests", 500: "Internal server error", 502: "Bad gateway",
    503: "Service unavailable", 504: "Gateway timeout",
}


def error_code(status: int) -> str:
    return ERROR_CODES.get(status, "internal_server_error" if status >= 500 else "bad_request")


def generic_body(status: int, message: str | None = None, error: str | None = None) -> dict[str, Any]:
    """`{"message","error","status","cause"}`, the shape used by orders, packs, shipments, claims."""
    return {"message": message or DEFAULT_MESSAGES.get(status, "Error"),
            "error": error or error_code(status), "status": status, "cause": []}


def generic_error(status: int, message: str | None = None, error: str | None = None) -> web.Response:
    return web.json_response(generic_body(status, message, error), status=status)


def messaging_error(status: int, message: str) -> web.Response:
    """Messaging API errors: `{"status_code","code","message"}`."""
    body = {"status_code": status, "code": error_code(status), "message": message}
    return web.json_response(body, status=status)


def oauth_error(error: str, description: str, status: int = 400) -> web.Response:
    """`POST /oauth/token` errors, e.g. `invalid_grant` for a used refresh token."""
    body = {"error_description": description, "error": error, "status": status, "cause": []}
    return web.json_response(body, status=status)


def claims_query_error(error: str, message: str) -> web.Response:
    """Claims search validation: `invalid_query` / `invalid_params` (400)."""
    return web.json_response({"error": error, "message": message, "status": 400, "cause": []}, status=400)
