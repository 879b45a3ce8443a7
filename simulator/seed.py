"""Seeded Mercado Libre data for the simulator.

Every scenario is rebuilt relative to "now" on start and on `/_sim/reset`, so a late parcel is
always late and an open claim's due date is always ahead, whenever the tests run. `SCENARIOS`
is the public, stable index (ids never change) that tests and the bot's fixtures import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator import build_claims, build_orders, build_shipments
from simulator.constants import (
    ACCESS_TOKEN,
    APP_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    REFRESH_TOKEN,
    SELLER_ID,
)
from simulator.conversations import Conversation, conversation_for
from simulator.sites import utc_now
from simulator.specs import ScenarioSpec
from simulator.table_latam import LATAM_SCENARIOS
from simulator.table_mlb import MLB_SCENARIOS

__all__ = [
    "ACCESS_TOKEN",
    "APP_ID",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "REFRESH_TOKEN",
    "SCENARIOS",
    "SELLER_ID",
    "SPECS",
    "Scenario",
    "World",
    "build_world",
]

SPECS: dict[str, ScenarioSpec] = {s.name: s for s in (*MLB_SCENARIOS, *LATAM_SCENARIOS)}


@dataclass(frozen=True)
class Scenario:
    """The ids a test needs to drive one seeded sale."""

    order_id: int
    pack_id: int | None
    shipment_id: int | None
    site_id: str
    buyer_id: int
    claim_id: int | None
    item_titles: list[str]


def _scenario(spec: ScenarioSpec) -> Scenario:
    return Scenario(
        order_id=spec.items[0].order_id, pack_id=spec.pack_id,
        shipment_id=spec.shipment.shipment_id if spec.shipment else None,
        site_id=spec.site_id, buyer_id=spec.buyer_id,
        claim_id=spec.claim.claim_id if spec.claim else None,
        item_titles=[i.title for i in spec.items],
    )


SCENARIOS: dict[str, Scenario] = {name: _scenario(spec) for name, spec in SPECS.items()}


@dataclass
class World:
    """The mutable data the API serves; rebuilt from the specs on reset."""

    now: datetime
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    packs: dict[int, dict[str, Any]] = field(default_factory=dict)
    shipment_specs: dict[int, ScenarioSpec] = field(default_factory=dict)
    fiscal: dict[int, dict[str, Any]] = field(default_factory=dict)
    claim_specs: dict[int, ScenarioSpec] = field(default_factory=dict)
    conversations: dict[int, Conversation] = field(default_factory=dict)

    def find_message(self, message_id: str) -> tuple[Conversation, dict[str, Any]] | None:
        for conv in self.conversations.values():
            for msg in conv.messages:
                if msg["id"] == message_id:
                    return conv, msg
        return None


def _add(world: World, spec: ScenarioSpec) -> None:
    now = world.now
    for item in spec.items:
        world.orders[item.order_id] = build_orders.order_json(spec, item, now)
    if spec.pack_id is not None:
        world.packs[spec.pack_id] = build_orders.pack_json(spec, now)
    if spec.shipment is not None:
        world.shipment_specs[spec.shipment.shipment_id] = spec
    if spec.invoice:
        world.fiscal[spec.conversation_id] = build_orders.fiscal_json(spec, now)
    if spec.claim is not None:
        world.claim_specs[spec.claim.claim_id] = spec
    world.conversations[spec.conversation_id] = conversation_for(spec, now)


def build_world(now: datetime | None = None) -> World:
    """Fresh seed data, dated relative to `now` (default: the current instant)."""
    world = World(now=now or utc_now())
    for spec in SPECS.values():
        _add(world, spec)
    return world


def shipment_views(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """All shipment sub-resources of a scenario (None where the real API answers 404)."""
    return {
        "shipment": build_shipments.shipment_json(spec, now),
        "lead_time": build_shipments.lead_time_json(spec, now),
        "history": build_shipments.history_json(spec, now),
        "carrier": build_shipments.carrier_json(spec),
        "delays": build_shipments.delays_json(spec, now),
        "sla": build_shipments.sla_json(spec, now),
    }


def claim_views(spec: ScenarioSpec, now: datetime) -> dict[str, Any]:
    """All claim sub-resources of a scenario (return is None when there is no return)."""
    return {
        "claim": build_claims.claim_json(spec, now),
        "detail": build_claims.detail_json(spec, now),
        "affects_reputation": build_claims.affects_reputation_json(spec, now),
        "returns": build_claims.return_json(spec, now),
    }
