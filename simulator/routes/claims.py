"""Claims and returns (reference §6): search, claim, detail, affects-reputation, returns.

The bot checks these before answering anything, so "no claim" (empty search) and "claim without
return" (404) must look exactly like production.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from simulator.build.claims import claim_views
from simulator.errors import claims_query_error, generic_error
from simulator.middleware import SELLER
from simulator.routes.claims_search import SearchError, matches, parse_search
from simulator.routes.params import int_param
from simulator.state import get_state

RouteHandler = Callable[[web.Request], Awaitable[web.Response]]


async def search_claims(request: web.Request) -> web.Response:
    try:
        search = parse_search(request.query)
    except SearchError as exc:
        return claims_query_error(exc.code, exc.message)
    world = get_state(request).world
    found = []
    for spec in world.claim_specs.values():
        claim = claim_views(spec, world.now)["claim"]
        if matches(search, claim, spec, world.orders):
            found.append(claim)
    page = found[search.offset:search.offset + search.limit]
    return web.json_response({"paging": {"total": len(found), "offset": search.offset, "limit": search.limit},
                              "data": page})


def _views(request: web.Request) -> dict[str, Any] | None:
    claim_id = int_param(request, "claim_id")
    world = get_state(request).world
    spec = world.claim_specs.get(claim_id) if claim_id is not None else None
    return claim_views(spec, world.now) if spec is not None else None


def _claim_resource(name: str) -> RouteHandler:
    async def handle(request: web.Request) -> web.Response:
        views = _views(request)
        if views is None:
            return generic_error(404, f"Claim {request.match_info['claim_id']} not found")
        sellers = [p.get("user_id") for p in views["claim"]["players"] if p.get("type") == "seller"]
        if request.get(SELLER) not in sellers:
            return generic_error(403, f"Invalid caller.id {request.get(SELLER)}", "forbidden")
        return web.json_response(views[name])

    handle.__name__ = f"get_claim_{name}"
    return handle


async def get_returns(request: web.Request) -> web.Response:
    views = _views(request)
    if views is None or views["returns"] is None:
        return generic_error(404, f"Return not found for claim_id: {request.match_info['claim_id']}")
    return web.json_response(views["returns"])


def add_routes(app: web.Application) -> None:
    app.router.add_get("/post-purchase/v1/claims/search", search_claims)
    app.router.add_get("/post-purchase/v1/claims/{claim_id}", _claim_resource("claim"))
    app.router.add_get("/post-purchase/v1/claims/{claim_id}/detail", _claim_resource("detail"))
    app.router.add_get("/post-purchase/v1/claims/{claim_id}/affects-reputation",
                       _claim_resource("affects_reputation"))
    app.router.add_get("/post-purchase/v2/claims/{claim_id}/returns", get_returns)
