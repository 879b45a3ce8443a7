"""Declarative description of one seeded sale.

The JSON builders turn these specs into API bodies. Describing a sale by facts (paid by pix,
shipped two days ago, claim opened yesterday) instead of by JSON keeps the scenario table
readable and guarantees that orders, shipments, claims and messages of one sale agree.
Offsets are in days relative to "now" (negative = in the past).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.constants import SELLER_ID


@dataclass(frozen=True)
class Variation:
    """One variation attribute, as in `order_items[].item.variation_attributes`."""

    attr_id: str
    name: str
    value_id: str
    value_name: str


@dataclass(frozen=True)
class ItemSpec:
    """One order (MeLi: one order = one item/variation, possibly several units)."""

    order_id: int
    item_id: str
    title: str
    category_id: str
    unit_price: float
    full_unit_price: float
    seller_sku: str
    quantity: int = 1
    variation_id: int | None = None
    variations: tuple[Variation, ...] = ()
    warranty: str = "Garantia do vendedor: 90 dias"


@dataclass(frozen=True)
class PaymentSpec:
    """The buyer's payment for each order of the sale."""

    method_id: str
    payment_type: str
    installments: int = 1
    status: str = "approved"
    status_detail: str = "accredited"
    refunded: bool = False


@dataclass(frozen=True)
class CancelSpec:
    """Why and when the order was cancelled."""

    group: str
    code: str
    description: str
    requested_by: str
    at: float


@dataclass(frozen=True)
class Step:
    """One entry of the shipment history."""

    status: str
    substatus: str | None
    at: float


@dataclass(frozen=True)
class ShipmentSpec:
    """The forward shipment of the sale and its delivery promise."""

    shipment_id: int
    steps: tuple[Step, ...]
    promise_at: float
    limit_at: float
    logistic_type: str = "drop_off"
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    buyer_cost: float = 0.0
    list_cost: float = 24.9
    extended_at: float | None = None
    delayed: bool = False


@dataclass(frozen=True)
class ReturnSpec:
    """A return shipment travelling back to the seller."""

    return_id: int
    shipment_id: int
    status: str
    shipment_status: str
    tracking_number: str | None
    at: float


@dataclass(frozen=True)
class ClaimSpec:
    """A buyer claim against one order of the sale."""

    claim_id: int
    reason_id: str
    opened_at: float
    due_at: float
    title: str
    description: str
    problem: str
    seller_actions: tuple[tuple[str, bool], ...]
    action_responsible: str = "seller"
    returned: ReturnSpec | None = None


@dataclass(frozen=True)
class ScenarioSpec:
    """Everything seeded for one named scenario."""

    name: str
    site_id: str
    buyer_id: int
    buyer_nickname: str
    pack_id: int | None
    items: tuple[ItemSpec, ...]
    payment: PaymentSpec
    order_status: str
    created_at: float
    shipment: ShipmentSpec | None
    invoice: bool
    conversation_substatus: str | None = None
    buyer_message: str | None = None
    cancel: CancelSpec | None = None
    claim: ClaimSpec | None = None
    shipping_cost: float = 0.0
    seller_id: int = SELLER_ID  # the store that sold it (the simulator serves several: /_sim/sellers)

    @property
    def conversation_id(self) -> int:
        """MeLi rule: with no pack, the order id takes the pack id's place in /packs/ paths."""
        return self.pack_id if self.pack_id is not None else self.items[0].order_id
