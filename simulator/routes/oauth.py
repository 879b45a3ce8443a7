"""`POST /oauth/token` (reference §7.1): refresh tokens are single use, exactly as in production,
so a bot that refreshes concurrently without a lock fails here the way it would there."""

from __future__ import annotations

from aiohttp import web

from simulator.constants import AUTHORIZATION_CODE, CLIENT_ID, CLIENT_SECRET
from simulator.errors import oauth_error
from simulator.state import SimState, get_state

INVALID_GRANT = ("Error validating grant. Your authorization code or refresh token may be expired "
                 "or it was already used")


async def _params(request: web.Request) -> dict[str, str]:
    """Query parameters overlaid with an x-www-form-urlencoded (or JSON) body."""
    params = dict(request.query)
    if request.content_type == "application/json" and request.body_exists:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            params.update({k: str(v) for k, v in body.items()})
    else:
        params.update({k: str(v) for k, v in (await request.post()).items()})
    return params


def _refresh(state: SimState, params: dict[str, str]) -> web.Response:
    token = params.get("refresh_token")
    if not token:
        return oauth_error("invalid_request", "refresh_token is required")
    if token != state.refresh_token:
        return oauth_error("invalid_grant", INVALID_GRANT)
    return web.json_response(state.issue_tokens())


def _authorization_code(state: SimState, params: dict[str, str]) -> web.Response:
    code = params.get("code")
    if not code or not params.get("redirect_uri"):
        return oauth_error("invalid_request", "code and redirect_uri are required")
    if code != AUTHORIZATION_CODE or code in state.used_codes:
        return oauth_error("invalid_grant", INVALID_GRANT)
    state.used_codes.add(code)
    return web.json_response(state.issue_tokens())


async def token(request: web.Request) -> web.Response:
    params = await _params(request)
    grant = params.get("grant_type")
    if not grant:
        return oauth_error("invalid_request", "grant_type is required")
    if params.get("client_id") != CLIENT_ID or params.get("client_secret") != CLIENT_SECRET:
        return oauth_error("invalid_client", "invalid client_id or client_secret.")
    state = get_state(request)
    if grant == "refresh_token":
        return _refresh(state, params)
    if grant == "authorization_code":
        return _authorization_code(state, params)
    return oauth_error("unsupported_grant_type", f"grant_type {grant} is not supported")


def add_routes(app: web.Application) -> None:
    app.router.add_post("/oauth/token", token)
