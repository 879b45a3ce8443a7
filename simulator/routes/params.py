"""Path-parameter parsing shared by the routes."""

from __future__ import annotations

from aiohttp import web


def int_param(request: web.Request, name: str) -> int | None:
    """The numeric path parameter `name`, or None when it is not a number (served as a 404)."""
    raw = request.match_info.get(name, "")
    return int(raw) if raw.isdigit() else None
