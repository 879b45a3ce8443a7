"""The REST channel and the ids behind it, as a caller who wants another buyer's order sees them.

The channel runs in Rasa's own app (Sanic's ASGI client) with the agent replaced by a recorder:
a refused request must never reach the dialogue. The action side (which order a conversation
may read) runs the real slot action; the API client runs against a transport that records
every request."""

from __future__ import annotations

from unittest.mock import AsyncMock, MagicMock

import httpx
import pytest
from rasa.core.run import configure_app
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import ValidateSlotMappings
from connectors.rest import RestInput
from meli import MeliClient, MeliInvalidId
from testkit.trackers import make_tracker

TOKEN = "r" * 32
VICTIM_ORDER, OWN_ORDER = "2000010000000301", "2000010000000201"


def app_with(channel: RestInput):
    app = configure_app([channel], port=5004)
    app.ctx.agent = MagicMock()
    app.ctx.agent.handle_message = AsyncMock()
    return app


async def say(app, body: dict, token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    _, answer = await app.asgi_client.post("/webhooks/rest/webhook", json=body, headers=headers)
    return answer


def handled(app) -> list:
    return [call.args[0] for call in app.ctx.agent.handle_message.await_args_list]


async def test_production_without_a_token_turns_rest_off() -> None:
    app = app_with(RestInput(None, enabled=False))
    answer = await say(app, {"sender": "b1", "message": "como paguei?", "metadata": {"order_id": VICTIM_ORDER}})
    assert answer.status == 403 and answer.json["error"] == "rest_disabled"
    assert handled(app) == []


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN[:-1], TOKEN + "x"])
async def test_without_the_token_nothing_reaches_the_bot(token) -> None:
    app = app_with(RestInput(TOKEN))
    answer = await say(app, {"sender": "b1", "message": "como paguei?"}, token=token)
    assert answer.status == 401
    assert handled(app) == []


async def test_with_the_token_the_message_is_recorded_as_rest_whatever_the_body_claims() -> None:
    app = app_with(RestInput(TOKEN))
    answer = await say(app, {"sender": "b1", "message": "oi", "input_channel": "mercadolibre",
                             "metadata": {"order_id": OWN_ORDER, "buyer_text": "forged", "handoff_reason": "open_claim",
                                          "site_id": "MLB", "language": "pt"}})
    assert answer.status == 200
    [message] = handled(app)
    assert message.input_channel == "rest"
    assert message.metadata == {"order_id": OWN_ORDER, "site_id": "MLB", "language": "pt"}


@pytest.mark.parametrize("sender", ["meli-123456789-2000007000000201", "MELI-123456789-1", "meli-x", "a b", "",
                                    "x" * 129, 42])
async def test_marketplace_and_odd_sender_ids_are_refused(sender) -> None:
    app = app_with(RestInput(TOKEN))
    answer = await say(app, {"sender": sender, "message": "como paguei?"})
    assert answer.status == 400 and answer.json["error"] in ("reserved_sender", "invalid_sender")
    assert handled(app) == []


@pytest.mark.parametrize("order", ["../users/me", "1 OR 1=1", str(10**30), "2000010000000201/../../users/me",
                                   -1, 0, True, {"id": 1}])
async def test_metadata_ids_that_are_not_ids_are_refused(order) -> None:
    app = app_with(RestInput(TOKEN))
    answer = await say(app, {"sender": "b1", "message": "como paguei?", "metadata": {"order_id": order}})
    assert answer.status == 400 and answer.json["error"] == "invalid_metadata"
    assert handled(app) == []


async def test_bad_bodies_get_a_reason() -> None:
    app = app_with(RestInput(TOKEN))
    for body in ([], {"sender": "b1"}, {"sender": "b1", "message": "x" * 4001}, {"sender": "b1", "message": "  "},
                 {"sender": "b1", "message": "oi", "metadata": ["order_id"]}):
        answer = await say(app, body)
        assert answer.status == 400 and answer.json["error"], body
    assert handled(app) == []


# --- which order a conversation may read (action server) -------------------------------------------


async def extracted(tracker, domain) -> dict:
    events = await ValidateSlotMappings().run(CollectingDispatcher(), tracker, domain)
    return {e["name"]: e["value"] for e in events if e["name"] in ("order_id", "pack_id")}


async def test_a_bound_rest_conversation_cannot_switch_to_another_order(domain) -> None:
    history = [{"event": "slot", "name": "order_id", "value": OWN_ORDER}]
    tracker = make_tracker("e esse?", "payment_question", slots={"order_id": OWN_ORDER},
                           metadata={"order_id": VICTIM_ORDER}, history=history)
    assert await extracted(tracker, domain) == {}
    first = make_tracker("como paguei?", "payment_question", metadata={"order_id": OWN_ORDER})
    assert await extracted(first, domain) == {"order_id": OWN_ORDER}


async def test_a_marketplace_conversation_takes_orders_only_from_the_marketplace(domain) -> None:
    pack = "2000007000000201"
    meta = {"pack_id": pack, "order_id": OWN_ORDER, "order_ids": [OWN_ORDER]}
    via_rest = make_tracker("oi", "greet", metadata=meta, channel="rest")
    via_rest.sender_id = f"meli-123456789-{pack}"
    assert await extracted(via_rest, domain) == {}
    own = make_tracker("oi", "greet", metadata=meta, channel="mercadolibre")
    own.sender_id = f"meli-123456789-{pack}"
    assert await extracted(own, domain) == {"order_id": OWN_ORDER, "pack_id": pack}
    foreign = make_tracker("oi", "greet", metadata={**meta, "order_id": VICTIM_ORDER}, channel="mercadolibre")
    foreign.sender_id = f"meli-123456789-{pack}"
    assert await extracted(foreign, domain) == {"pack_id": pack}


@pytest.mark.parametrize("bad", ["../users/me", "1 OR 1=1", str(10**30), "", "12/34", "%2e%2e"])
async def test_the_api_client_sends_nothing_for_a_non_id(bad: str) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": 1})

    client = MeliClient("http://api.test", "APP_USR-x", transport=httpx.MockTransport(record))
    for call in (client.get_order, client.get_pack, client.get_shipment, client.get_claim, client.get_fiscal_documents):
        with pytest.raises(MeliInvalidId):
            await call(bad)
    with pytest.raises(MeliInvalidId):
        await client.get_message("../users/me")
    with pytest.raises(MeliInvalidId):
        await client.search_claims(order_id=bad)
    assert sent == []
    await client.get_order(OWN_ORDER)
    assert [r.url.path for r in sent] == [f"/orders/{OWN_ORDER}"]
    await client.aclose()
