"""`GET /chat` and `GET /chat/{pack_id}`: a buyer's side of the post-sale conversation.

Lets a person play the buyer against the seller's bot during a demo or manual test: the page
writes through `/_sim/buyer_messages` (which pushes the `messages` notification to the bot) and
polls `/_sim/conversations/{pack_id}` to show the bot's replies, moderated ones included.
The path takes the pack id, or the order id for sales without a pack (as the messaging API does).
"""

from __future__ import annotations

from aiohttp import web

from simulator.chat.pages import ChatRow, chat_page, index_page, not_found_page
from simulator.scenarios.index import SPECS
from simulator.scenarios.specs import ScenarioSpec
from simulator.state import get_state
from simulator.world import World


def _row(world: World, name: str, spec: ScenarioSpec) -> ChatRow:
    titles = [item.title for item in spec.items]
    title = titles[0] + (f" (+{len(titles) - 1})" if len(titles) > 1 else "")
    order = world.orders.get(spec.items[0].order_id, {})
    conv = world.conversations.get(spec.conversation_id)
    status = conv.status if conv else {"status": "unknown", "substatus": None}
    conv_status = status["status"] + (f" ({status['substatus']})" if status.get("substatus") else "")
    return ChatRow(name, spec.conversation_id, title, spec.site_id, str(order.get("status", "unknown")), conv_status)


def _rows(world: World) -> list[ChatRow]:
    return [_row(world, name, spec) for name, spec in SPECS.items()]


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "no-store"})


async def chat_index(request: web.Request) -> web.Response:
    return _html(index_page(_rows(get_state(request).world)))


async def chat_conversation(request: web.Request) -> web.Response:
    raw = request.match_info["pack_id"]
    rows = {str(row.conversation_id): row for row in _rows(get_state(request).world)}
    row = rows.get(raw)
    if row is None:
        return _html(not_found_page(raw), status=404)
    return _html(chat_page(row))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/chat", chat_index)
    app.router.add_get("/chat/", chat_index)
    app.router.add_get("/chat/{pack_id}", chat_conversation)
