"""`/orders/{id}`, `/packs/{id}` and `/packs/{id}/fiscal_documents` (reference §3, §5.1)."""

from __future__ import annotations

from aiohttp import web

from simulator.errors import generic_error
from simulator.middleware import SELLER
from simulator.routes.params import int_param
from simulator.state import get_state

ORDER_NOT_FOUND = "Order do not exists"
FAKE_PDF = b"%PDF-1.4\n% Mercado Libre simulator fiscal document\n%%EOF\n"
FAKE_XML = b'<?xml version="1.0" encoding="UTF-8"?><nfeProc versao="4.00"><simulator/></nfeProc>\n'


async def get_order(request: web.Request) -> web.Response:
    order_id = int_param(request, "order_id")
    order = get_state(request).world.orders.get(order_id) if order_id is not None else None
    if order is None:
        return generic_error(404, ORDER_NOT_FOUND)
    if order["seller"]["id"] != request.get(SELLER):
        return not_the_callers(request)
    return web.json_response(order)


async def get_pack(request: web.Request) -> web.Response:
    pack_id = int_param(request, "pack_id")
    pack = get_state(request).world.packs.get(pack_id) if pack_id is not None else None
    if pack is None:
        return generic_error(404, ORDER_NOT_FOUND)
    orders = get_state(request).world.orders
    if any(orders[o["id"]]["seller"]["id"] != request.get(SELLER) for o in pack["orders"]):
        return not_the_callers(request)
    return web.json_response(pack)


def not_the_callers(request: web.Request) -> web.Response:
    """Another seller's sale: the API's 403 for a token of the wrong user."""
    return generic_error(403, f"Invalid caller.id {request.get(SELLER)} for {request.path}", "forbidden")


def _fiscal_missing(request: web.Request) -> web.Response:
    pack = request.match_info["pack_id"]
    return generic_error(404, f"The pack_fiscal_document with pack_id: {pack} does not exist")


async def list_fiscal_documents(request: web.Request) -> web.Response:
    """With no pack, the order id stands in for the pack id (reference §5.1)."""
    pack_id = int_param(request, "pack_id")
    docs = get_state(request).world.fiscal.get(pack_id) if pack_id is not None else None
    if docs is None:
        return _fiscal_missing(request)
    return web.json_response(docs)


async def get_fiscal_document(request: web.Request) -> web.Response:
    pack_id = int_param(request, "pack_id")
    docs = get_state(request).world.fiscal.get(pack_id) if pack_id is not None else None
    wanted = request.match_info["document_id"]
    for doc in (docs or {}).get("fiscal_documents", []):
        if doc["id"] == wanted:
            pdf = doc["file_type"] == "application/pdf"
            return web.Response(body=FAKE_PDF if pdf else FAKE_XML, content_type=doc["file_type"],
                                headers={"Content-Disposition": f'attachment; filename="{doc["filename"]}"'})
    return _fiscal_missing(request)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/orders/{order_id}", get_order)
    app.router.add_get("/packs/{pack_id}", get_pack)
    app.router.add_get("/packs/{pack_id}/fiscal_documents", list_fiscal_documents)
    app.router.add_get("/packs/{pack_id}/fiscal_documents/{document_id}", get_fiscal_document)
