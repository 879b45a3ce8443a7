"""Loading the conversation's order (postsale.order.OrderContext) from the pack/order APIs.

Once per question: a pack's orders are fetched together, and an order id the buyer typed may be
a pack id, so both are tried.
"""

from __future__ import annotations

import asyncio
from typing import Any

from meli import MeliClient, MeliNotFound
from postsale.order import OrderContext


async def load_order_context(
    client: MeliClient, order_id: str | None = None, pack_id: str | None = None
) -> OrderContext:
    """Fetch the pack (when known) and every order in it.

    Raises MeliNotFound when neither id resolves; other MeliErrors propagate for the caller's
    honest-failure path.
    """
    pack: dict[str, Any] | None = None
    if pack_id:
        pack = await client.get_pack(pack_id)
    elif order_id:
        first = await client.get_order(order_id)
        if first.get("pack_id"):
            pack_id = str(first["pack_id"])
            try:
                pack = await client.get_pack(pack_id)
            except MeliNotFound:
                pack = None
        if not pack:
            return OrderContext(
                orders=[first],
                pack_id=pack_id,
                shipment_id=_shipment_of(first),
            )
    else:
        raise ValueError("an order id or a pack id is required")

    ids = [str(o["id"]) for o in (pack or {}).get("orders") or []]
    orders = list(await asyncio.gather(*(client.get_order(i) for i in ids)))
    if not orders:
        raise MeliNotFound("pack without orders", status=404, path=f"/packs/{pack_id}")
    shipment = (pack or {}).get("shipment") or {}
    shipment_id = str(shipment["id"]) if shipment.get("id") else _shipment_of(orders[0])
    return OrderContext(orders=orders, pack_id=pack_id, shipment_id=shipment_id, pack=pack)


async def resolve_order_number(client: MeliClient, number: str) -> OrderContext:
    """A number typed by the buyer may be an order id or a pack id; try both."""
    try:
        return await load_order_context(client, order_id=number)
    except MeliNotFound:
        return await load_order_context(client, pack_id=number)


def _shipment_of(order: dict[str, Any]) -> str | None:
    shipping = order.get("shipping") or {}
    return str(shipping["id"]) if shipping.get("id") else None
