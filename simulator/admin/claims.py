"""`/_sim/claims/{id}/stage`: move a claim the way Mercado Libre does, and tell the seller.

A claim goes to `dispute` (a mediator steps in, the thread is blocked by the mediation and the
seller owes the mediator evidence by a due date), gets a new due date, or is closed with a
resolution; every move pushes the `post_purchase` notification production would send.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web

from simulator.admin.common import bad_request, not_found, read_json
from simulator.build.claims import ClaimState, claim_json, claim_message_json
from simulator.notify.payloads import claim_changed
from simulator.scenarios.specs import ScenarioSpec
from simulator.sites import utc_now, utc_z
from simulator.state import SimState, get_state

RESOLUTIONS = ("payment_refunded", "partial_refunded", "item_returned", "not_delivered", "respondent_timeout",
               "timeout", "worked_out_with_seller", "opened_claim_by_mistake", "prefered_to_keep_product",
               "seller_sent_product", "coverage_decision", "item_changed")
MEDIATION_BLOCKS = ("blocked_by_mediation",)
_MEDIATOR_HELLO = {
    "pt": "Olá, vou mediar este caso. Vendedor, envie as provas do envio e do estado do produto.",
    "es": "Hola, voy a mediar este caso. Vendedor, envía las pruebas del envío y del estado del producto.",
}


def _hours(body: dict[str, Any], key: str) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > 24 * 365:
        raise ValueError(f"'{key}' must be a number of hours")
    return float(value)


def _seeded(request: web.Request) -> tuple[SimState, ScenarioSpec, ClaimState] | web.Response:
    """The path's claim (its sale and its moving state), or the 404 to answer."""
    state = get_state(request)
    raw = request.match_info["claim_id"]
    spec = state.world.claim_specs.get(int(raw)) if raw.isdigit() else None
    if spec is None:
        return not_found(f"no claim {raw}")
    return state, spec, state.world.claim_states[int(raw)]


async def move_claim(request: web.Request) -> web.Response:
    """`{"stage": "dispute"}`, `{"status": "closed", "resolution": ..., "benefited": "respondent"|
    "complainant"}`, and/or `{"due_in_hours": h, "incentive_in_hours": h|null}`; `"notify": false`
    moves it silently."""
    found = _seeded(request)
    if isinstance(found, web.Response):
        return found
    state, spec, claim = found
    raw = request.match_info["claim_id"]
    body = await read_json(request)
    if not isinstance(body, dict):
        return bad_request("a JSON object is required")
    now = utc_now()
    try:
        due, incentive = _hours(body, "due_in_hours"), _hours(body, "incentive_in_hours")
    except ValueError as problem:
        return bad_request(str(problem))
    stage, status = body.get("stage"), body.get("status")
    if stage not in (None, "dispute") or status not in (None, "closed"):
        return bad_request("'stage' may be 'dispute', 'status' may be 'closed'")
    if claim.status == "closed" and (stage or status):
        return bad_request("the claim is already closed")
    conv = state.world.conversations.get(spec.conversation_id)
    if stage == "dispute":
        claim.stage, claim.incentive_until = "dispute", None
        claim.due = now + timedelta(hours=due if due is not None else 48)
        lang = "pt" if spec.site_id == "MLB" else "es"
        claim.messages.append(claim_message_json(spec, "mediator", "respondent", _MEDIATOR_HELLO[lang], now, "dispute"))
        if conv is not None:
            conv.status.update(status="blocked", substatus="blocked_by_mediation", status_date=utc_z(now))
    elif due is not None:
        claim.due = now + timedelta(hours=due)
    if "incentive_in_hours" in body:
        claim.incentive_until = now + timedelta(hours=incentive) if incentive is not None else None
    if status == "closed":
        reason, benefited = body.get("resolution", "payment_refunded"), body.get("benefited", "complainant")
        if reason not in RESOLUTIONS or benefited not in ("respondent", "complainant"):
            return bad_request(f"'resolution' one of {list(RESOLUTIONS)}, 'benefited' respondent|complainant")
        claim.status = "closed"
        claim.resolution = {"reason": reason, "date_created": utc_z(now), "benefited": [benefited],
                            "closed_by": body.get("closed_by", "mediator" if claim.stage == "dispute" else "buyer"),
                            "applied_coverage": False}
        if conv is not None and conv.status.get("substatus") in MEDIATION_BLOCKS:
            conv.status.update(status="active", substatus=None, status_date=utc_z(now))
    claim.last_updated = now
    queued = False
    if body.get("notify", True):
        queued = state.notifier.queue(claim_changed(int(raw), "claims"))
    return web.json_response({"claim": claim_json(spec, state.world.now, claim), "notification_queued": queued})


async def inspect_claim(request: web.Request) -> web.Response:
    """The claim and its messages as the seller sees them, without a token (tests, demos)."""
    found = _seeded(request)
    if isinstance(found, web.Response):
        return found
    state, spec, claim = found
    return web.json_response({"claim": claim_json(spec, state.world.now, claim), "messages": claim.messages})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/_sim/claims/{claim_id}/stage", move_claim)
    app.router.add_get("/_sim/claims/{claim_id}", inspect_claim)
