"""`GET /missed_feeds` (reference §1.5): notifications the callback never answered with a 200.

A bot uses it to recover after downtime, so it sits behind Bearer auth, faults and the request
log like any other API route, and answers in the generic error shape when `app_id` is wrong.
"""

from __future__ import annotations

from aiohttp import web

from simulator.constants import APP_ID
from simulator.errors import generic_error
from simulator.state import get_state

DEFAULT_LIMIT = 10  # "Returns 10 per page by default"


def _non_negative(raw: str | None, default: int) -> int | None:
    if raw is None or raw == "":
        return default
    return int(raw) if raw.isdigit() else None


async def missed_feeds(request: web.Request) -> web.Response:
    """`?app_id=..[&topic=..][&offset=0&limit=10]` → `{"messages": [...]}`, oldest first."""
    app_id = request.query.get("app_id", "")
    if not app_id:
        return generic_error(400, "app_id is required")
    if not app_id.isdigit():
        return generic_error(400, f"invalid app_id {app_id}")
    if int(app_id) != APP_ID:
        return generic_error(403, f"app_id {app_id} does not belong to the caller", "forbidden")
    offset = _non_negative(request.query.get("offset"), 0)
    limit = _non_negative(request.query.get("limit"), DEFAULT_LIMIT)
    if offset is None or limit is None or limit == 0:
        return generic_error(400, "offset and limit must be non-negative integers and limit > 0")
    feeds = get_state(request).notifier.missed_feeds(request.query.get("topic") or None)
    return web.json_response({"messages": feeds[offset:offset + limit]})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/missed_feeds", missed_feeds)
