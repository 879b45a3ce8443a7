"""Claims and returns (reference §6): search, claim, detail, affects-reputation, returns,
reasons, the claim's messages (read and send, by stage) and its attachments.

The bot checks these before answering anything, so "no claim" (empty search) and "claim without
return" (404) must look exactly like production. Claims move between stages through
`/_sim/claims/{id}/stage` (simulator/admin/claims.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from simulator.build.claims import REASONS, claim_message_json, claim_views
from simulator.errors import claims_query_error, generic_error
from simulator.middleware import SELLER
from simulator.routes.claims_search import SearchError, matches, parse_search
from simulator.routes.params import int_param
from simulator.sites import utc_now
from simulator.state import get_state
from simulator.uploads import UploadError, read_upload

RouteHandler = Callable[[web.Request], Awaitable[web.Response]]


async def search_claims(request: web.Request) -> web.Response:
    try:
        search = parse_search(request.query)
    except SearchError as exc:
        return claims_query_error(exc.code, exc.message)
    world = get_state(request).world
    found = []
    for claim_id, spec in world.claim_specs.items():
        claim = claim_views(spec, world.now, world.claim_states[claim_id])["claim"]
        if matches(search, claim, spec, world.orders):
            found.append(claim)
    page = found[search.offset:search.offset + search.limit]
    return web.json_response({"paging": {"total": len(found), "offset": search.offset, "limit": search.limit},
                              "data": page})


def _views(request: web.Request) -> dict[str, Any] | None:
    claim_id = int_param(request, "claim_id")
    world = get_state(request).world
    spec = world.claim_specs.get(claim_id) if claim_id is not None else None
    return claim_views(spec, world.now, world.claim_states[claim_id]) if spec is not None else None


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


def _own_claim(request: web.Request) -> tuple[Any, Any] | web.Response:
    """(spec, state) of the path's claim when the caller is its seller, else the error to answer."""
    claim_id = int_param(request, "claim_id")
    world = get_state(request).world
    spec = world.claim_specs.get(claim_id) if claim_id is not None else None
    if spec is None:
        return generic_error(404, f"Claim {request.match_info['claim_id']} not found")
    if request.get(SELLER) != spec.seller_id:
        return generic_error(403, f"Invalid caller.id {request.get(SELLER)}", "forbidden")
    return spec, world.claim_states[claim_id]


async def get_reason(request: web.Request) -> web.Response:
    reason = REASONS.get(request.match_info["reason_id"])
    if reason is None:
        return generic_error(404, f"Reason {request.match_info['reason_id']} not found")
    return web.json_response(reason)


async def send_message(request: web.Request) -> web.Response:
    """`{"receiver_role", "message", "attachments"?}`: to the complainant in stage claim, to the
    mediator in a dispute (reference 6.4); a closed claim takes no message."""
    found = _own_claim(request)
    if isinstance(found, web.Response):
        return found
    spec, state = found
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str) or not body["message"].strip():
        return generic_error(400, "message is required", "invalid_body")
    role = body.get("receiver_role")
    if role not in ("complainant", "mediator"):
        return generic_error(400, "receiver_role must be complainant or mediator", "invalid_receiver_role")
    if state.status != "opened":
        return generic_error(400, "The claim is closed", "claim_closed")
    allowed = "mediator" if state.stage == "dispute" else "complainant"
    if role != allowed:
        return generic_error(403, f"Action send_message_to_{role} is not available in stage {state.stage}",
                             "action_not_allowed")
    files = body.get("attachments") or []
    if not isinstance(files, list) or any(f not in state.files for f in files):
        return generic_error(400, "Attachment not found for this claim", "invalid_attachments")
    attached = [{"filename": f, "original_filename": state.files[f][0], "type": state.files[f][1],
                 "size": len(state.files[f][2]), "date_created": None} for f in files]
    now = utc_now()
    item = claim_message_json(spec, "respondent", role, body["message"], now, state.stage, attached)
    state.messages.append(item)
    state.last_updated = now
    return web.json_response(item, status=201)


async def upload_attachment(request: web.Request) -> web.Response:
    """Form-data `file`: JPG, PNG or PDF up to 5 MB, name up to 125 of [a-zA-Z0-9._-] (reference 6.4)."""
    found = _own_claim(request)
    if isinstance(found, web.Response):
        return found
    _, state = found
    try:
        name, kind, content = await read_upload(request, limit=5 * 1024 * 1024, kinds=("image/jpeg", "image/png",
                                                "application/pdf"), name_pattern=r"[a-zA-Z0-9._-]{1,125}")
    except UploadError as exc:
        return generic_error(400, str(exc), "invalid_file")
    file_id = f"{request.get(SELLER)}_{uuid.uuid4()}.{name.rsplit('.', 1)[-1].lower()}"
    state.files[file_id] = (name, kind, content)
    return web.json_response({"user_id": request.get(SELLER), "filename": file_id}, status=201)


async def download_attachment(request: web.Request) -> web.Response:
    found = _own_claim(request)
    if isinstance(found, web.Response):
        return found
    _, state = found
    stored = state.files.get(request.match_info["attachment_id"])
    if stored is None:
        return generic_error(404, "Attachment not found")
    return web.Response(body=stored[2], content_type=stored[1])


async def get_messages(request: web.Request) -> web.Response:
    found = _own_claim(request)
    if isinstance(found, web.Response):
        return found
    return web.json_response(list(found[1].messages))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/post-purchase/v1/claims/reasons/{reason_id}", get_reason)
    app.router.add_get("/post-purchase/v1/claims/search", search_claims)
    app.router.add_get("/post-purchase/v1/claims/{claim_id}", _claim_resource("claim"))
    app.router.add_get("/post-purchase/v1/claims/{claim_id}/detail", _claim_resource("detail"))
    app.router.add_get("/post-purchase/v1/claims/{claim_id}/affects-reputation",
                       _claim_resource("affects_reputation"))
    app.router.add_get("/post-purchase/v2/claims/{claim_id}/returns", get_returns)
    app.router.add_get("/post-purchase/v1/claims/{claim_id}/messages", get_messages)
    app.router.add_post("/post-purchase/v1/claims/{claim_id}/actions/send-message", send_message)
    app.router.add_post("/post-purchase/v1/claims/{claim_id}/attachments", upload_attachment)
    app.router.add_get("/post-purchase/v1/claims/{claim_id}/attachments/{attachment_id}/download",
                       download_attachment)
