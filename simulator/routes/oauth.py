"""OAuth as Mercado Libre runs it (reference §7.1): the authorization page, `POST /oauth/token`
and `GET /users/me`.

- `GET /authorization` is the page a seller sees on `auth.mercadolivre.com.br` (and the other
  sites' domains): a fake seller picks one of the simulated accounts and clicks allow or deny;
  the page redirects to `redirect_uri` with `code` and `state`, or `error=access_denied`.
- Codes are single use, expire after 10 minutes, are bound to the redirect URI and, when the
  request carried a PKCE challenge, to its verifier (S256 or plain), as on a PKCE-enabled app.
- Refresh tokens are single use per seller, exactly as in production, so a bot that refreshes
  concurrently without a lock fails here the way it would there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from html import escape
from urllib.parse import urlencode, urlsplit

from aiohttp import web

from simulator.constants import AUTHORIZATION_CODE, CLIENT_ID, CLIENT_SECRET, SELLER_ID
from simulator.errors import generic_error, oauth_error
from simulator.state import Grant, SimState, get_state

INVALID_GRANT = ("Error validating grant. Your authorization code or refresh token may be expired "
                 "or it was already used")
CODE_SECONDS = 600
# The redirect URI registered for the simulated app; unset, any http(s) URI is accepted.
REGISTERED_REDIRECT = os.environ.get("SIM_REDIRECT_URI")


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
    seller = state.seller_of_refresh(token)
    if seller is None:
        return oauth_error("invalid_grant", INVALID_GRANT)
    return web.json_response(state.issue_tokens(seller))


def _challenge_of(verifier: str, method: str | None) -> str:
    if method == "S256":
        return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier


def _authorization_code(state: SimState, params: dict[str, str]) -> web.Response:
    code = params.get("code")
    if not code or not params.get("redirect_uri"):
        return oauth_error("invalid_request", "code and redirect_uri are required")
    if code in state.used_codes:
        return oauth_error("invalid_grant", INVALID_GRANT)
    if code == AUTHORIZATION_CODE:  # the fixed code of the default seller (no page, no PKCE)
        state.used_codes.add(code)
        return web.json_response(state.issue_tokens(SELLER_ID))
    grant = state.grants.pop(code, None)
    if grant is None or grant.expires_at < time.time() or grant.redirect_uri != params["redirect_uri"]:
        return oauth_error("invalid_grant", INVALID_GRANT)
    state.used_codes.add(code)
    if grant.code_challenge:
        verifier = params.get("code_verifier") or ""
        if not verifier or not hmac.compare_digest(_challenge_of(verifier, grant.code_challenge_method),
                                                   grant.code_challenge):
            return oauth_error("invalid_grant", "code_verifier does not match the code_challenge")
    if grant.seller_id not in state.sellers:
        return oauth_error("invalid_grant", INVALID_GRANT)
    return web.json_response(state.issue_tokens(grant.seller_id))


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


async def users_me(request: web.Request) -> web.Response:
    state = get_state(request)
    header = request.headers.get("Authorization", "")
    seller = state.sellers.get(state.token_seller(header.partition(" ")[2].strip()) or -1)
    if seller is None:
        return generic_error(404, "user not found")
    return web.json_response(seller.as_json())


# --- the authorization page ------------------------------------------------------------------
_PAGE = """<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Mercado Livre - autorizar</title>
<style>body{{font-family:system-ui,sans-serif;background:#ededed;margin:0}}header{{background:#fff159;padding:14px}}
main{{max-width:520px;margin:24px auto;background:#fff;padding:20px;border-radius:6px}}
label{{display:block;margin:6px 0}}button{{margin:12px 8px 0 0;padding:8px 16px}}</style></head>
<body><header><b>Mercado Livre</b> (simulador)</header><main>
<h1>Autorizar aplicativo {client}</h1><p>O aplicativo quer acessar suas vendas e mensagens pós-venda.</p>
<form method="post" action="/authorization">{hidden}<fieldset><legend>Entrar como</legend>{accounts}</fieldset>
<button type="submit" name="decision" value="allow" id="allow">Permitir</button>
<button type="submit" name="decision" value="deny" id="deny">Negar</button></form></main></body></html>"""
_KEPT = ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")


def _check_request(params: dict[str, str]) -> str | None:
    if params.get("response_type", "code") != "code":
        return "response_type must be code"
    if params.get("client_id") != CLIENT_ID:
        return "unknown client_id"
    redirect = params.get("redirect_uri") or ""
    if urlsplit(redirect).scheme not in ("http", "https") or not urlsplit(redirect).netloc:
        return "redirect_uri must be an absolute http(s) URI"
    if REGISTERED_REDIRECT and redirect != REGISTERED_REDIRECT:
        return "redirect_uri does not match the application's"
    if params.get("code_challenge_method") not in (None, "", "S256", "plain"):
        return "code_challenge_method must be S256 or plain"
    return None


async def authorization_page(request: web.Request) -> web.Response:
    params = dict(request.query)
    problem = _check_request(params)
    if problem:
        return web.Response(text=problem, status=400)
    hidden = "".join(f'<input type="hidden" name="{k}" value="{escape(params[k])}">' for k in _KEPT if k in params)
    accounts = "".join(
        f'<label><input type="radio" name="user_id" value="{s.id}"{" checked" if i == 0 else ""}> '
        f'{escape(s.nickname)} ({escape(s.site_id)}, {s.id})</label>'
        for i, s in enumerate(get_state(request).sellers.values()))
    return web.Response(text=_PAGE.format(client=escape(params["client_id"]), hidden=hidden, accounts=accounts),
                        content_type="text/html")


async def authorize(request: web.Request) -> web.Response:
    """The seller's click: a redirect to the app with a code, or with `error=access_denied`."""
    params = {k: str(v) for k, v in (await request.post()).items()}
    problem = _check_request(params)
    if problem:
        return web.Response(text=problem, status=400)
    back: dict[str, str] = {}
    if params.get("decision") != "allow":
        back = {"error": "access_denied", "error_description": "The user denied the authorization"}
    else:
        state = get_state(request)
        seller = int(params["user_id"]) if params.get("user_id", "").isdigit() else None
        if seller not in state.sellers:
            return web.Response(text="choose an account", status=400)
        code = f"TG-{secrets.token_hex(12)}-{seller}"
        state.grants[code] = Grant(seller, params["client_id"], params["redirect_uri"],
                                   params.get("code_challenge") or None, params.get("code_challenge_method") or None,
                                   time.time() + CODE_SECONDS)
        back = {"code": code}
    if "state" in params:
        back["state"] = params["state"]
    separator = "&" if "?" in params["redirect_uri"] else "?"
    raise web.HTTPFound(params["redirect_uri"] + separator + urlencode(back))


def add_routes(app: web.Application) -> None:
    app.router.add_post("/oauth/token", token)
    app.router.add_get("/authorization", authorization_page)
    app.router.add_post("/authorization", authorize)
    app.router.add_get("/users/me", users_me)
