"""The conversation's order, loaded once per question from the pack/order APIs.

A pack groups the orders of one checkout and usually shares one shipment; buyers think of it as
"my purchase", so answers speak about the whole pack and list every item in it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from meli import MeliClient, MeliNotFound


@dataclass
class OrderContext:
    orders: list[dict[str, Any]]
    pack_id: str | None = None
    shipment_id: str | None = None
    pack: dict[str, Any] | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def main(self) -> dict[str, Any]:
        return self.orders[0]

    @property
    def order_id(self) -> str:
        return str(self.main["id"])

    @property
    def ref(self) -> str:
        """The number the buyer sees in "Minhas compras": the pack when there is one."""
        return self.pack_id or self.order_id

    @property
    def site_id(self) -> str | None:
        return (self.main.get("context") or {}).get("site")

    @property
    def currency(self) -> str | None:
        return self.main.get("currency_id")

    @property
    def products(self) -> list[dict[str, Any]]:
        items = []
        for order in self.orders:
            for line in order.get("order_items") or []:
                item = line.get("item") or {}
                variation = ", ".join(
                    f"{a.get('name')}: {a.get('value_name')}"
                    for a in item.get("variation_attributes") or []
                    if a.get("value_name")
                )
                items.append(
                    {
                        "order_id": order.get("id"),
                        "item_id": item.get("id"),
                        "title": item.get("title"),
                        "variation": variation or None,
                        "quantity": line.get("quantity"),
                        "unit_price": line.get("unit_price"),
                        "currency_id": line.get("currency_id") or order.get("currency_id"),
                        "warranty": item.get("warranty"),
                    }
                )
        return items

    @property
    def titles(self) -> str:
        return " + ".join(p["title"] for p in self.products if p.get("title")) or "-"

    @property
    def payments(self) -> list[dict[str, Any]]:
        return [p for order in self.orders for p in order.get("payments") or []]

    @property
    def statuses(self) -> list[str]:
        return [str(o.get("status")) for o in self.orders]


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
