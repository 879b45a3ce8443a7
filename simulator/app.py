"""aiohttp application of the Mercado Libre simulator.

A local stand-in for `https://api.mercadolibre.com` so the bot, its API client and the
marketplace channel can be tested end to end (including outages, throttling and token expiry)
without credentials or network access.
"""

from __future__ import annotations

from aiohttp import web

from simulator import (
    admin,
    admin_conversations,
    admin_faults,
    oauth,
    routes_claims,
    routes_messages,
    routes_sales,
    routes_shipments,
)
from simulator.middleware import MIDDLEWARES
from simulator.state import STATE, SimState

ROUTE_MODULES = (admin, admin_faults, admin_conversations, oauth, routes_sales, routes_shipments,
                 routes_claims, routes_messages)


def create_app(state: SimState | None = None) -> web.Application:
    """A fresh application; pass a `SimState` to share or pre-seed state (e.g. a fixed "now")."""
    app = web.Application(middlewares=MIDDLEWARES)
    app[STATE] = state or SimState()
    for module in ROUTE_MODULES:
        module.add_routes(app)
    return app
