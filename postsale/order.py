"""The conversation's order as the bot and the agents speak of it: the pack and its orders.

A pack groups the orders of one checkout and usually shares one shipment; buyers think of it as
"my purchase", so answers and tickets speak about the whole pack and list every item in it.
Loading it from the API is the action server's job (actions/order.py); this is the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class OrderContext:
    orders: list[dict[str, Any]]
    pack_id: str | None = None
    shipment_id: str | None = None
    pack: dict[str, Any] | None = None

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

    def ticket_data(self) -> dict[str, Any]:
        """The order as the handoff ticket shows it to an agent."""
        return {
            "order_id": self.order_id,
            "pack_id": self.pack_id,
            "order_ids": [str(o.get("id")) for o in self.orders],
            "site_id": self.site_id,
            "status": self.main.get("status"),
            "date_created": self.main.get("date_created"),
            "total_amount": sum(float(o.get("total_amount") or 0) for o in self.orders),
            "currency_id": self.currency,
            "payments": [
                {
                    "status": p.get("status"),
                    "status_detail": p.get("status_detail"),
                    "method": p.get("payment_method_id"),
                    "installments": p.get("installments"),
                    "amount": p.get("transaction_amount"),
                    "refunded": p.get("transaction_amount_refunded"),
                }
                for p in self.payments
            ],
            "shipment_id": self.shipment_id,
            "cancel_detail": self.main.get("cancel_detail"),
        }
