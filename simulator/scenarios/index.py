"""Every seeded sale by name: `SPECS` (the full descriptions) and `SCENARIOS` (their ids).

`SCENARIOS` is the public, stable index (ids never change) that tests and the bot's fixtures import.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.scenarios.latam import LATAM_SCENARIOS
from simulator.scenarios.mlb import MLB_SCENARIOS
from simulator.scenarios.specs import ScenarioSpec

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
