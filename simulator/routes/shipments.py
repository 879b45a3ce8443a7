"""`/shipments/{id}` and its sub-resources (reference §4).

Clients are told to always send `x-format-new: true`; the simulator serves the new format either
way: the legacy shape is not documented in enough detail to reproduce.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from simulator.build.shipments import shipment_views
from simulator.errors import generic_error
from simulator.routes.params import int_param
from simulator.state import get_state

RouteHandler = Callable[[web.Request], Awaitable[web.Response]]

MISSING: dict[str, str] = {
    "shipment": "Shipment not found",
    "lead_time": "Shipment not found",
    "history": "Shipment not found",
    "carrier": "Carrier not found for shipment",
    "delays": "Delays Not Found for shipment",
    "sla": "SLA not found for shipment",
}


def _view(request: web.Request, name: str) -> Any:
    shipment_id = int_param(request, "shipment_id")
    world = get_state(request).world
    spec = world.shipment_specs.get(shipment_id) if shipment_id is not None else None
    if spec is None:
        return None
    return shipment_views(spec, world.now)[name]


def _handler(name: str) -> RouteHandler:
    async def handle(request: web.Request) -> web.Response:
        body = _view(request, name)
        if body is None:
            return generic_error(404, MISSING[name])
        return web.json_response(body)

    handle.__name__ = f"get_shipment_{name}"
    return handle


def add_routes(app: web.Application) -> None:
    app.router.add_get("/shipments/{shipment_id}", _handler("shipment"))
    for name in ("lead_time", "history", "carrier", "delays", "sla"):
        app.router.add_get(f"/shipments/{{shipment_id}}/{name}", _handler(name))
