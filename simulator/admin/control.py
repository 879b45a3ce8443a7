"""Test-control API under `/_sim` (no auth, never logged): health, reset, scenario index,
request log, token expiry and forced moderation. Faults and conversations live in their own
modules."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from typing import Any

from aiohttp import web

from simulator.admin.common import bad_request, not_found, read_json
from simulator.constants import APP_ID, SELLER_ID
from simulator.scenarios.index import SCENARIOS, SPECS
from simulator.sites import SITES
from simulator.state import get_state


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def reset(request: web.Request) -> web.Response:
    get_state(request).reset()
    return web.json_response({"status": "reset"})


def _scenario_row(name: str) -> dict[str, Any]:
    spec = SPECS[name]
    row = {"name": name, **dataclasses.asdict(SCENARIOS[name])}
    row.update(order_ids=[i.order_id for i in spec.items], conversation_id=spec.conversation_id,
               buyer_nickname=spec.buyer_nickname, currency_id=SITES[spec.site_id].currency_id,
               return_id=spec.claim.returned.return_id if spec.claim and spec.claim.returned else None)
    return row


async def scenarios(request: web.Request) -> web.Response:
    return web.json_response({"seller_id": SELLER_ID, "app_id": APP_ID,
                              "agent_user_ids": {s.site_id: s.agent_user_id for s in SITES.values()},
                              "scenarios": [_scenario_row(name) for name in SPECS]})


async def list_requests(request: web.Request) -> web.Response:
    """The request log, oldest first; `?path=<regex>` filters it."""
    entries = list(get_state(request).requests)
    pattern = request.query.get("path")
    if pattern:
        try:
            regex = re.compile(pattern)
        except re.error as exc:
            return bad_request(f"invalid path regex: {exc}")
        entries = [e for e in entries if regex.search(e["path"])]
    return web.json_response(entries)


async def wait_requests(request: web.Request) -> web.Response:
    """`?path=<regex>&count=N[&method=POST][&timeout=S]`: answers once N successful logged requests
    match (200 with the count), or 408 after the timeout (default 60 s)."""
    try:
        pattern = re.compile(request.query.get("path", ""))
        count = int(request.query.get("count", "1"))
        timeout = float(request.query.get("timeout", "60"))
    except (re.error, ValueError) as exc:
        return bad_request(f"invalid path, count or timeout: {exc}")
    future = get_state(request).wait_for_requests(pattern, request.query.get("method"), count)
    try:
        found = await asyncio.wait_for(future, timeout)
    except asyncio.TimeoutError:
        return web.json_response({"error": "timeout", "message": f"fewer than {count} requests matched"}, status=408)
    return web.json_response({"count": found})


async def clear_requests(request: web.Request) -> web.Response:
    get_state(request).requests.clear()
    return web.json_response({"status": "cleared"})


async def expire_tokens(request: web.Request) -> web.Response:
    """Every access token (including ACCESS_TOKEN) now gets 401 until a refresh issues a new one."""
    get_state(request).expire_access_tokens()
    return web.json_response({"status": "expired"})


async def moderate_next(request: web.Request) -> web.Response:
    """`{"reason": "AUTOMATIC_MESSAGE", "times": 1}`: the next seller replies come back moderated."""
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("reason"), str):
        return bad_request("a JSON object with a 'reason' string is required")
    times = body.get("times", 1)
    if not isinstance(times, int) or isinstance(times, bool) or times < 1:
        return bad_request("'times' must be a positive integer")
    queue = get_state(request).forced_moderation
    queue.extend([body["reason"]] * times)
    return web.json_response({"pending": list(queue)})


async def retitle_item(request: web.Request) -> web.Response:
    """`{"title": "..."}`: the seller renames the listing of an order's first item.

    Titles are seller-written text that the bot repeats to buyers, so tests use this to put
    contact data where only the outgoing-text guard can stop it.
    """
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("title"), str) or not body["title"].strip():
        return bad_request("a JSON object with a non-empty 'title' string is required")
    raw = request.match_info["order_id"]
    order = get_state(request).world.orders.get(int(raw)) if raw.isdigit() else None
    if order is None:
        return not_found(f"no order {raw}")
    order["order_items"][0]["item"]["title"] = body["title"]
    return web.json_response({"order_id": order["id"], "title": body["title"]})


def add_routes(app: web.Application) -> None:
    router = app.router
    router.add_get("/_sim/health", health)
    router.add_post("/_sim/reset", reset)
    router.add_get("/_sim/scenarios", scenarios)
    router.add_get("/_sim/requests", list_requests)
    router.add_get("/_sim/requests/wait", wait_requests)
    router.add_delete("/_sim/requests", clear_requests)
    router.add_post("/_sim/expire_tokens", expire_tokens)
    router.add_post("/_sim/moderate_next", moderate_next)
    router.add_put("/_sim/orders/{order_id}/title", retitle_item)
