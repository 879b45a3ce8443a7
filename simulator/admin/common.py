"""Helpers shared by the `/_sim` admin modules."""

from __future__ import annotations

from typing import Any

from aiohttp import web


def bad_request(message: str) -> web.Response:
    return web.json_response({"error": "bad_request", "message": message}, status=400)


def not_found(message: str) -> web.Response:
    return web.json_response({"error": "not_found", "message": message}, status=404)


async def read_json(request: web.Request) -> Any:
    """The JSON body, or None if absent or malformed."""
    if not request.can_read_body:
        return None
    try:
        return await request.json()
    except ValueError:
        return None
