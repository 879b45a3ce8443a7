"""aiohttp application of the Mercado Libre simulator.

A local stand-in for `https://api.mercadolibre.com` so the bot, its API client and the
marketplace channel can be tested end to end (including outages, throttling and token expiry)
without credentials or network access.
"""

from __future__ import annotations

from aiohttp import web

from simulator.admin import claims as admin_claims
from simulator.admin import control as admin_control
from simulator.admin import conversations as admin_conversations
from simulator.admin import faults as admin_faults
from simulator.admin import notify as admin_notify
from simulator.chat import routes as chat
from simulator.middleware import MIDDLEWARES
from simulator.routes import claims, feeds, messages, oauth, sales, shipments
from simulator.state import STATE, SimState
from simulator.uploads import MAX_REQUEST

# Registration order is route-matching order: the `/_sim` control API first, then the chat page, then the API.
ROUTE_MODULES = (admin_control, admin_faults, admin_conversations, admin_notify, admin_claims, chat,
                 oauth, sales, shipments, claims, messages, feeds)


async def _stop_notifier(app: web.Application) -> None:
    """Pending retries must not outlive the server (nor leak an HTTP client session).

    Also run on shutdown: `run_app` waits (up to 60 s) for every pending task before cleanup, so a
    retry sleeping in its back-off would otherwise delay Ctrl-C / SIGTERM.
    """
    await app[STATE].notifier.close()


def create_app(state: SimState | None = None, *, callback_url: str | None = None) -> web.Application:
    """A fresh application; pass a `SimState` to share or pre-seed state (e.g. a fixed "now").

    `callback_url` is where notifications are pushed (also settable later via `POST /_sim/config`).
    """
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=MAX_REQUEST)
    app[STATE] = state or SimState()
    if callback_url is not None:
        app[STATE].notifier.config.update({"callback_url": callback_url})
    app.on_shutdown.append(_stop_notifier)
    app.on_cleanup.append(_stop_notifier)
    for module in ROUTE_MODULES:
        module.add_routes(app)
    return app
