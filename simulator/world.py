"""The mutable Mercado Libre data the simulator serves, seeded from the scenarios.

Every scenario is rebuilt relative to "now" on start and on `/_sim/reset`, so a late parcel is
always late and an open claim's due date is always ahead, whenever the tests run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.build.claims import ClaimState, new_state
from simulator.build.conversations import Conversation, conversation_for
from simulator.build.orders import fiscal_json, order_json, pack_json
from simulator.scenarios.index import SPECS
from simulator.scenarios.specs import ScenarioSpec
from simulator.sites import utc_now


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
    claim_states: dict[int, ClaimState] = field(default_factory=dict)
    # Message attachments (`POST /messages/attachments`): id -> (uploader, name, type, bytes, when).
    attachments: dict[str, tuple[int, str, str, bytes, datetime]] = field(default_factory=dict)

    def find_message(self, message_id: str) -> tuple[Conversation, dict[str, Any]] | None:
        for conv in self.conversations.values():
            for msg in conv.messages:
                if msg["id"] == message_id:
                    return conv, msg
        return None


def add_sale(world: World, spec: ScenarioSpec) -> None:
    now = world.now
    for item in spec.items:
        world.orders[item.order_id] = order_json(spec, item, now)
    if spec.pack_id is not None:
        world.packs[spec.pack_id] = pack_json(spec, now)
    if spec.shipment is not None:
        world.shipment_specs[spec.shipment.shipment_id] = spec
    if spec.invoice:
        world.fiscal[spec.conversation_id] = fiscal_json(spec, now)
    if spec.claim is not None:
        world.claim_specs[spec.claim.claim_id] = spec
        world.claim_states[spec.claim.claim_id] = new_state(spec, now)
    world.conversations[spec.conversation_id] = conversation_for(spec, now)


def build_world(now: datetime | None = None) -> World:
    """Fresh seed data, dated relative to `now` (default: the current instant)."""
    world = World(now=now or utc_now())
    for spec in SPECS.values():
        add_sale(world, spec)
    return world
