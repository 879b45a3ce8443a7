"""`/_sim` control of post-sale threads: inject a buyer message (what the marketplace channel's
tests and the buyer chat page use to start a conversation; it pushes a `messages` notification like
production), inspect a thread without marking it read, and open or block a thread to exercise
`conversation_status` handling."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import itertools
import uuid
from typing import Any

from aiohttp import web

from simulator.admin.common import bad_request, not_found, read_json
from simulator.build.conversations import Conversation, clean_moderation, message_json
from simulator.constants import BUYER_MAX_MESSAGE_LENGTH, MARKETPLACE_CLIENT_ID, SELLER_ID
from simulator.notify.payloads import message_created
from simulator.routes.messages import MESSAGE_FILE_TYPES, attachment_json
from simulator.scenarios.index import SPECS
from simulator.scenarios.specs import ScenarioSpec
from simulator.sites import SITES, utc_now, utc_z
from simulator.state import SimState, get_state
from simulator.uploads import sniff
from simulator.world import add_sale

MAX_CLONES = 200
MAX_SELLERS = 100
_clone_ids = itertools.count(1)


def _find(request: web.Request, raw: Any) -> Conversation | None:
    text = str(raw)
    return get_state(request).world.conversations.get(int(text)) if text.isdigit() else None


async def add_buyer_message(request: web.Request) -> web.Response:
    """`{"pack_id": ..., "text": ...}` (pack_id may be an order id for sales without pack).

    Answers with the stored message, the notification's first-attempt payload and whether it was
    queued for the callback URL (False when none is configured).
    """
    body = await read_json(request)
    photo = body.get("attachment") if isinstance(body, dict) else None
    if not isinstance(body, dict) or not isinstance(body.get("text", ""), str) \
            or not (str(body.get("text") or "").strip() or photo):
        return bad_request("a JSON object with 'pack_id' and a non-empty 'text' (or an 'attachment') is required")
    if len(body.get("text") or "") > BUYER_MAX_MESSAGE_LENGTH:
        return bad_request(f"buyer messages are limited to {BUYER_MAX_MESSAGE_LENGTH} characters")
    conv = _find(request, body.get("pack_id"))
    if conv is None:
        return not_found(f"no conversation for pack_id {body.get('pack_id')}")
    now = utc_now()
    files = []
    if photo is not None:
        try:
            files.append(_buyer_file(request, conv, photo))
        except ValueError as problem:
            return bad_request(str(problem))
    msg = message_json(conv, message_id=uuid.uuid4().hex, sender=conv.buyer_id, receiver=conv.seller_id,
                       text=body.get("text") or "", when=now, client_id=MARKETPLACE_CLIENT_ID,
                       moderation=clean_moderation(now))
    if files:
        msg["message_attachments"] = [attachment_json(get_state(request).world, f) for f in files]
    conv.messages.append(msg)
    notifier = get_state(request).notifier
    note = message_created(msg["id"], conv.seller_id)
    queued = notifier.queue(note)
    return web.json_response({"id": msg["id"], "pack_id": conv.conversation_id, "message": msg,
                              "notification": note.body(1, note.received, notifier.config.id_key),
                              "notification_queued": queued}, status=201)


def _buyer_file(request: web.Request, conv: Conversation, photo: Any) -> str:
    """Store the buyer's `{"name", "data": base64}` file and return its id; ValueError says what
    is wrong with it."""
    if not isinstance(photo, dict) or not isinstance(photo.get("name"), str) or not isinstance(photo.get("data"), str):
        raise ValueError("'attachment' is {'name': ..., 'data': base64}")
    try:
        content = base64.b64decode(photo["data"], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("'attachment.data' is not base64") from None
    kind = sniff(content)
    if kind not in MESSAGE_FILE_TYPES or not content or len(content) > 25 * 1024 * 1024:
        raise ValueError(f"attachment type {kind} or size not accepted (JPG, PNG, PDF, TXT up to 25 MB)")
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(kind, "txt")
    file_id = f"{conv.buyer_id}_{uuid.uuid4()}.{extension}"
    name = photo["name"].replace("/", "_").replace("\\", "_")[:200] or f"foto.{extension}"
    get_state(request).world.attachments[file_id] = (conv.buyer_id, name, kind, content, utc_now())
    return file_id


async def clone_sales(request: web.Request) -> web.Response:
    """`{"scenario": "shipped", "count": 16, "seller_id": ...}`: that many more sales like the
    scenario, each with its own pack, orders, shipment and thread (the bench needs more parallel
    conversations than there are scenarios), sold by `seller_id` (default: the seeded store).
    Answers with their ids; `/_sim/reset` removes them."""
    body = await read_json(request)
    spec = SPECS.get(body.get("scenario")) if isinstance(body, dict) else None
    count = body.get("count") if isinstance(body, dict) else None
    if spec is None or not isinstance(count, int) or not 1 <= count <= MAX_CLONES:
        return bad_request(f"'scenario' (one of {sorted(SPECS)}) and 'count' (1-{MAX_CLONES}) are required")
    if spec.cancel is not None:
        return bad_request("only sales without cancellation can be cloned")
    state = get_state(request)
    seller = body.get("seller_id", SELLER_ID)
    if seller not in state.sellers:
        return bad_request(f"seller_id {seller!r} is not a simulated seller (POST /_sim/sellers)")
    return web.json_response({"sales": clone(state, spec, count, seller)}, status=201)


def clone(state: SimState, spec: ScenarioSpec, count: int, seller_id: int) -> list[dict[str, Any]]:
    made = []
    for _ in range(count):
        n = next(_clone_ids)
        items = tuple(dataclasses.replace(item, order_id=2000090000000000 + n * 10 + i)
                      for i, item in enumerate(spec.items))
        shipment = spec.shipment and dataclasses.replace(spec.shipment, shipment_id=49000000000 + n)
        claim = spec.claim and dataclasses.replace(spec.claim, claim_id=5000090000 + n)  # its own claim, to move
        sale = dataclasses.replace(spec, name=f"{spec.name}-clone-{n}", items=items, shipment=shipment,
                                   pack_id=None if spec.pack_id is None else 2000099000000000 + n,
                                   seller_id=seller_id, claim=claim)
        add_sale(state.world, sale)
        made.append({"pack_id": sale.pack_id, "order_id": items[0].order_id, "claim_id": claim and claim.claim_id,
                     "conversation_id": sale.conversation_id, "seller_id": seller_id})
    return made


async def add_sellers(request: web.Request) -> web.Response:
    """`{"count": 3, "site_id": "MLB", "scenario": "shipped", "sales": 2}`: more stores on the
    marketplace, each with its own sales cloned from the scenario (their own packs, buyers'
    threads and notifications). They can authorize the app on `/authorization`."""
    body = await read_json(request)
    if not isinstance(body, dict):
        return bad_request("a JSON object is required")
    count, sales, site = body.get("count", 1), body.get("sales", 1), body.get("site_id", "MLB")
    spec = SPECS.get(body.get("scenario", "shipped"))
    if not isinstance(count, int) or not 1 <= count <= MAX_SELLERS or not isinstance(sales, int) \
            or not 0 <= sales <= MAX_CLONES or spec is None or spec.claim or spec.cancel or site not in SITES:
        return bad_request(f"'count' 1-{MAX_SELLERS}, 'sales' 0-{MAX_CLONES}, a 'scenario' without claim or "
                           f"cancellation, 'site_id' one of {sorted(SITES)}")
    state = get_state(request)
    made = []
    for _ in range(count):
        seller_id = SELLER_ID + 1000 + len(state.sellers)
        seller = state.add_seller(seller_id, f"LOJA_{seller_id}", site)
        made.append({**seller.as_json(), "sales": clone(state, spec, sales, seller_id) if sales else []})
    return web.json_response({"sellers": made}, status=201)


async def list_sellers(request: web.Request) -> web.Response:
    state = get_state(request)
    return web.json_response({"sellers": [{**s.as_json(), "authorized": s.id in state.refresh_tokens}
                                          for s in state.sellers.values()]})


async def revoke_seller(request: web.Request) -> web.Response:
    """The seller removes the app in their account: its tokens stop working (refresh: invalid_grant)."""
    state = get_state(request)
    raw = request.match_info["seller_id"]
    if not raw.isdigit() or int(raw) not in state.sellers:
        return not_found(f"no seller {raw}")
    state.revoke(int(raw))
    return web.json_response({"seller_id": int(raw), "revoked": True})


async def get_conversation(request: web.Request) -> web.Response:
    """The whole thread, oldest first, without the read side effect of the public GET."""
    conv = _find(request, request.match_info["pack_id"])
    if conv is None:
        return not_found(f"no conversation for pack_id {request.match_info['pack_id']}")
    return web.json_response({"pack_id": conv.conversation_id, "site_id": conv.site_id, "buyer_id": conv.buyer_id,
                              "order_ids": list(conv.order_ids), "conversation_status": conv.status,
                              "messages": conv.messages})


async def set_conversation_status(request: web.Request) -> web.Response:
    """`{"status": "active"|"blocked", "substatus": "blocked_by_mediation"|null}`."""
    conv = _find(request, request.match_info["pack_id"])
    if conv is None:
        return not_found(f"no conversation for pack_id {request.match_info['pack_id']}")
    body = await read_json(request)
    if not isinstance(body, dict) or body.get("status") not in ("active", "blocked"):
        return bad_request("'status' must be 'active' or 'blocked'")
    substatus = body.get("substatus")
    if body["status"] == "blocked" and not isinstance(substatus, str):
        return bad_request("a blocked conversation needs a 'substatus'")
    conv.status.update(status=body["status"], substatus=substatus if body["status"] == "blocked" else None,
                       status_date=utc_z(utc_now()))
    return web.json_response(conv.status)


def add_routes(app: web.Application) -> None:
    app.router.add_post("/_sim/buyer_messages", add_buyer_message)
    app.router.add_post("/_sim/sales/clone", clone_sales)
    app.router.add_post("/_sim/sellers", add_sellers)
    app.router.add_get("/_sim/sellers", list_sellers)
    app.router.add_post("/_sim/sellers/{seller_id}/revoke", revoke_seller)
    app.router.add_get("/_sim/conversations/{pack_id}", get_conversation)
    app.router.add_post("/_sim/conversations/{pack_id}/status", set_conversation_status)
