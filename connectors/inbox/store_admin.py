"""Stores in the inbox: the admin page, connecting a Mercado Libre account, per-store settings.

- `GET /admin`: the page (static, like the inbox's; every call it makes needs a Bearer token).
- `GET /api/stores`: the caller's stores (an admin's: all) with their status, settings and agents.
- `POST /api/stores/connect {"site_id"}` (admin): starts the OAuth authorization-code flow with
  PKCE S256. The `state` is bound to the admin and to this browser (an HttpOnly, SameSite=Lax
  cookie scoped to the callback path), single use, ten minutes (postsale/oauth_state.py); the
  answer is the site's authorization URL, which the page opens.
- `GET /oauth/callback?code&state` (the registered redirect URI): spends the state, exchanges
  the code with the verifier, reads `/users/me`, stores the tokens, then marks the store
  connected; every failure is a page saying what happened, with nothing stored.
- `POST /api/stores/<seller>/settings` and `/agents` (a lead of that store, or an admin).
A store the caller does not manage answers 404 like an unknown one, and the attempt is logged.
"""

from __future__ import annotations

import asyncio
import logging
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from meli import MeliClient, MeliError
from meli.tokens import store_tokens
from postsale import agents, conversation_id, oauth_state, settings, stores
from postsale.agents import Agent
from postsale.oauth_state import StateError

if TYPE_CHECKING:
    from connectors.inbox.channel import InboxInput

logger = logging.getLogger(__name__)
PAGE = Path(__file__).with_name("admin.html")
CALLBACK_PATH = "/webhooks/inbox/oauth/callback"
COOKIE = "meli_connect"
COOKIE_PATH = "/webhooks/inbox/oauth"
RESULT_HEADERS = {"Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'none'; "
                                             "frame-ancestors 'none'", "Cache-Control": "no-store"}
FAILURES = {
    "access_denied": "The seller did not authorise the application. Nothing was stored.",
    oauth_state.UNKNOWN: "This connection link is not one this server started. Start again from the admin page.",
    oauth_state.EXPIRED: "This connection link expired (10 minutes). Start again from the admin page.",
    oauth_state.REUSED: "This connection link was already used. Start again from the admin page.",
    oauth_state.OTHER_BROWSER: "This connection was started in another browser. Finish it where you started it.",
    "invalid_grant": "Mercado Libre refused the authorization code (expired or already used). Start again.",
    "already_connected": "This Mercado Libre account is already connected in this deployment. Nothing changed.",
    "marketplace_unavailable": "Mercado Libre could not be reached to finish the connection. Nothing was "
                               "stored; start again in a moment.",
}


def redirect_uri(request: Request) -> str:
    """MELI_REDIRECT_URI (required in production: it must match the application's exactly);
    locally, this server's own callback."""
    configured = settings.current().marketplace.redirect_uri
    return configured or f"{request.scheme}://{request.host}{CALLBACK_PATH}"


def managed(agent: Agent, seller_id: int) -> bool:
    """An admin manages every store; a lead the stores they belong to."""
    return agent.admin or (agent.lead and seller_id in stores.stores_of(agent.name))


def visible_stores(agent: Agent) -> list[stores.Store]:
    return stores.listing(None if agent.admin else stores.stores_of(agent.name))


def store_view(store: stores.Store) -> dict[str, Any]:
    return {**store.as_json(), "settings": stores.effective_settings(store.seller_id),
            "agents": sorted(stores.agents_of(store.seller_id))}


def result_page(title: str, detail: str, ok: bool) -> HTTPResponse:
    body = (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
            f"<h1 id='result' data-ok='{str(ok).lower()}'>{escape(title)}</h1><p id='detail'>{escape(detail)}</p>"
            "<p><a href='../admin'>Back to the stores</a></p></body></html>")
    answer = response.html(body, 200 if ok else 400)
    answer.headers.update(RESULT_HEADERS)
    answer.cookies[COOKIE] = ""  # the binding is spent either way
    answer.cookies[COOKIE]["path"] = COOKIE_PATH
    answer.cookies[COOKIE]["max-age"] = 0
    return answer


def add_routes(bp: Blueprint, inbox: InboxInput) -> None:
    page = PAGE.read_text(encoding="utf-8")
    from connectors.inbox.channel import security_headers

    page_headers = security_headers(page)
    guarded = inbox.guarded

    async def not_managed(agent: Agent, seller_id: int) -> HTTPResponse:
        logger.warning("inbox: %s asked to manage store %s, not theirs: answered 404", agent.name, seller_id)
        return response.json({"error": "not_found"}, 404)

    @bp.route("/admin", methods=["GET"])
    async def admin_page(request: Request) -> HTTPResponse:
        return response.html(page, headers=page_headers)

    @bp.route("/api/stores", methods=["GET"])
    @guarded
    async def list_stores(request: Request, agent: Agent) -> HTTPResponse:
        found = await asyncio.to_thread(lambda: [store_view(s) for s in visible_stores(agent)])
        return response.json({"agent": agent.name, "role": agent.role, "sites": list(stores.AUTH_DOMAINS),
                              "stores": found})

    @bp.route("/api/stores/connect", methods=["POST"])
    @guarded
    async def connect(request: Request, agent: Agent) -> HTTPResponse:
        if not agent.admin:
            return response.json({"error": "forbidden", "detail": "only an admin connects stores"}, 403)
        body = request.json if isinstance(request.json, dict) else {}
        site = body.get("site_id")
        market = settings.current().marketplace
        if site not in stores.AUTH_DOMAINS:
            return response.json({"error": "invalid_site", "detail": f"one of {', '.join(stores.AUTH_DOMAINS)}"}, 400)
        if not market.can_refresh:
            return response.json({"error": "not_configured", "detail": "MELI_CLIENT_ID and MELI_CLIENT_SECRET"}, 503)
        started = await asyncio.to_thread(oauth_state.start, agent.name, site)
        query = urlencode({"response_type": "code", "client_id": market.client_id,
                           "redirect_uri": redirect_uri(request), "state": started.state,
                           "code_challenge": started.challenge, "code_challenge_method": "S256"})
        answer = response.json({"authorization_url": f"{stores.authorization_url(site, market.auth_url)}?{query}"})
        answer.cookies[COOKIE] = started.binding
        cookie = answer.cookies[COOKIE]
        cookie["path"], cookie["httponly"], cookie["samesite"] = COOKIE_PATH, True, "Lax"
        cookie["max-age"] = int(oauth_state.STATE_SECONDS)
        cookie["secure"] = settings.current().production or request.scheme == "https"
        logger.info("inbox: %s started connecting a store on %s", agent.name, site)
        return answer

    @bp.route("/oauth/callback", methods=["GET"])
    async def callback(request: Request) -> HTTPResponse:
        return await finish_connect(request, inbox)

    @bp.route("/api/stores/<seller_id:int>/settings", methods=["POST"])
    @guarded
    async def change_settings(request: Request, agent: Agent, seller_id: int) -> HTTPResponse:
        if not await asyncio.to_thread(managed, agent, seller_id):
            return await not_managed(agent, seller_id)
        body = request.json if isinstance(request.json, dict) else None
        if not body:
            return response.json({"error": "invalid_settings", "detail": "a JSON object of settings"}, 400)
        try:
            store = await asyncio.to_thread(stores.update_settings, seller_id, body)
        except stores.StoreError as problem:
            return response.json({"error": "invalid_settings", "detail": str(problem)}, 400)
        logger.info("inbox: %s changed settings %s of store %s", agent.name, sorted(body), seller_id)
        return response.json(await asyncio.to_thread(store_view, store))

    @bp.route("/api/stores/<seller_id:int>/agents", methods=["POST"])
    @guarded
    async def change_agents(request: Request, agent: Agent, seller_id: int) -> HTTPResponse:
        """`{"agent": name, "action": "add"|"remove"}`: who works this store's tickets."""
        if not await asyncio.to_thread(managed, agent, seller_id):
            return await not_managed(agent, seller_id)
        body = request.json if isinstance(request.json, dict) else {}
        name, action = body.get("agent"), body.get("action")
        known = {a["name"]: a for a in await asyncio.to_thread(agents.listing)}
        if name not in known or action not in ("add", "remove"):
            return response.json({"error": "invalid_request", "detail": "an existing agent and add|remove"}, 400)
        if known[name]["role"] != agents.AGENT and not agent.admin:
            return response.json({"error": "forbidden", "detail": "only an admin assigns leads and admins"}, 403)
        change = stores.assign if action == "add" else stores.unassign
        await asyncio.to_thread(change, name, seller_id)
        logger.info("inbox: %s %s agent %s on store %s", agent.name, action, name, seller_id)
        store = await asyncio.to_thread(stores.get, seller_id)
        assert store is not None
        return response.json(await asyncio.to_thread(store_view, store))


async def finish_connect(request: Request, inbox: InboxInput) -> HTTPResponse:
    state, code = request.args.get("state") or "", request.args.get("code") or ""
    try:
        pending = await asyncio.to_thread(oauth_state.use, state, request.cookies.get(COOKIE))
    except StateError as problem:
        logger.warning("store connection refused: %s", problem.reason)
        return result_page("The store was not connected", FAILURES[problem.reason], ok=False)
    if request.args.get("error") or not code:
        logger.info("store connection by %s: the seller denied it (%s)", pending.admin, request.args.get("error"))
        return result_page("The store was not connected", FAILURES["access_denied"], ok=False)
    market = settings.current().marketplace
    oauth = MeliClient(market.api_url, max_retries=1)
    try:
        body = await oauth.exchange_code(market.client_id or "", market.client_secret or "", code,
                                         redirect_uri(request), pending.verifier)
        me = await oauth.get_me(str(body["access_token"]))
    except MeliError as err:
        logger.warning("store connection by %s failed: %s", pending.admin, err)
        reason = "invalid_grant" if err.code == "invalid_grant" else "marketplace_unavailable"
        return result_page("The store was not connected", FAILURES[reason], ok=False)
    finally:
        await oauth.aclose()
    seller = int(me["id"])
    if str(seller) != str(body.get("user_id", seller)) or conversation_id.parse(f"meli-{seller}-1") is None:
        return result_page("The store was not connected", FAILURES["marketplace_unavailable"], ok=False)
    existing = await asyncio.to_thread(stores.get, seller)
    if existing is not None and existing.connected:
        logger.warning("store connection by %s: seller %s is already connected", pending.admin, seller)
        return result_page("The store was not connected", FAILURES["already_connected"], ok=False)
    await asyncio.to_thread(store_tokens, seller, body)  # tokens first: a store is never connected without them
    store = await asyncio.to_thread(stores.connect, seller, me.get("nickname"), me.get("site_id"), pending.admin)
    channel = getattr(request.app.ctx, conversation_id.CHANNEL, None)
    if channel is not None:
        channel.store_connected(seller)
    logger.info("store %s (%s, %s) connected by %s%s", seller, store.nickname, store.site_id, pending.admin,
                " again" if existing else "")
    again = " again: its waiting messages are being answered" if existing else ""
    return result_page(f"Store {store.nickname or seller} connected", f"Mercado Libre account {seller} "
                       f"({store.site_id}) is connected{again}.", ok=True)
