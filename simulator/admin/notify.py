"""`/_sim` control of the notification push: configure the callback, fire notifications that have
no natural trigger in the simulator (claims, questions, orders...), and inspect every delivery
attempt so a test can assert what the bot's webhook received and answered."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from simulator.admin.common import bad_request, not_found, read_json
from simulator.notify.config import ConfigError
from simulator.notify.payloads import Notification, PayloadError, arbitrary, claim_changed
from simulator.state import get_state

CLAIM_ACTIONS = ("claims", "claims_actions")


async def get_config(request: web.Request) -> web.Response:
    return web.json_response(get_state(request).notifier.config.as_json())


async def set_config(request: web.Request) -> web.Response:
    """Partial update: `{"callback_url", "retry_delays", "duplicate_rate", "timeout_seconds", "id_key"}`."""
    config = get_state(request).notifier.config
    try:
        config.update(await read_json(request))
    except ConfigError as exc:
        return bad_request(str(exc))
    return web.json_response(config.as_json())


def _queued(request: web.Request, note: Notification) -> web.Response:
    notifier = get_state(request).notifier
    queued = notifier.queue(note)
    body: dict[str, Any] = {"queued": queued, "notification": note.body(1, note.received, notifier.config.id_key)}
    return web.json_response(body, status=202 if queued else 200)


async def notify(request: web.Request) -> web.Response:
    """`{"topic", "resource", "actions"?, "user_id"?, "application_id"?}`: push anything."""
    try:
        note = arbitrary(await read_json(request))
    except PayloadError as exc:
        return bad_request(str(exc))
    return _queued(request, note)


async def notify_claim(request: web.Request) -> web.Response:
    """`post_purchase` for a seeded claim; body `{"action": "claims"|"claims_actions"}` is optional."""
    raw = request.match_info["claim_id"]
    if not raw.isdigit() or int(raw) not in get_state(request).world.claim_specs:
        return not_found(f"no claim {raw}")
    body = await read_json(request)
    action = body.get("action", "claims") if isinstance(body, dict) else "claims"
    if action not in CLAIM_ACTIONS:
        return bad_request(f"'action' must be one of {list(CLAIM_ACTIONS)}")
    return _queued(request, claim_changed(int(raw), action))


async def list_notifications(request: web.Request) -> web.Response:
    """Every delivery attempt, oldest first; `?topic=` and `?_id=` filter."""
    rows = list(get_state(request).notifier.attempts)
    for key in ("topic", "_id"):
        if key in request.query:
            rows = [r for r in rows if r[key] == request.query[key]]
    return web.json_response(rows)


async def notifications_status(request: web.Request) -> web.Response:
    """How many notifications are still in flight (tests wait for 0) and how many were lost."""
    notifier = get_state(request).notifier
    return web.json_response({"pending": notifier.pending, "attempts": len(notifier.attempts),
                              "missed": len(notifier.missed)})


async def clear_notifications(request: web.Request) -> web.Response:
    get_state(request).notifier.clear()
    return web.json_response({"status": "cleared"})


def add_routes(app: web.Application) -> None:
    router = app.router
    router.add_get("/_sim/config", get_config)
    router.add_post("/_sim/config", set_config)
    router.add_post("/_sim/notify", notify)
    router.add_post("/_sim/claims/{claim_id}/notify", notify_claim)
    router.add_get("/_sim/notifications", list_notifications)
    router.add_get("/_sim/notifications/status", notifications_status)
    router.add_delete("/_sim/notifications", clear_notifications)
