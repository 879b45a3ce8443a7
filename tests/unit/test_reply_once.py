"""A reply POST that gets no answer is not sent again blindly (found by tests/live/test_reliability.py).

Mercado Libre's messaging API has no idempotency key: a POST that timed out may have been posted,
and retrying it gave the buyer the same answer twice. The channel now looks for it in the thread
first, and only sends again when it is not there.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from connectors.mercadolibre import output as output_module
from connectors.mercadolibre.intake import Intake
from connectors.mercadolibre.output import MercadoLibreOutput
from meli import MeliClient, MeliUnavailable
from postsale.db import get_engine

SELLER, BUYER, PACK = 123456789, 555001, "2000007000000201"
TEXT = "Seu pedido foi enviado e chega na quinta-feira."


class FakeMessaging:
    """A pack thread behind a scripted POST: "ok", "lost" (timeout, not posted) or "landed" (timeout, posted)."""

    def __init__(self, *plan: str, thread: list[dict[str, Any]] | None = None) -> None:
        self.plan = list(plan)
        self.messages: list[dict[str, Any]] = list(thread or [])
        self.posts = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={"messages": list(reversed(self.messages)),
                                             "conversation_status": {"status": "active"}})
        self.posts += 1
        body = json.loads(request.content)
        msg = {"id": uuid.uuid4().hex, "from": {"user_id": SELLER}, "to": {"user_id": int(body["to"]["user_id"])},
               "text": body["text"], "status": "available"}
        behaviour = self.plan.pop(0) if self.plan else "ok"
        if behaviour in ("ok", "landed"):
            self.messages.append(msg)
        if behaviour == "ok":
            return httpx.Response(200, json=msg)
        raise httpx.ReadTimeout("no answer", request=request)


@pytest.fixture
def intake(tmp_path) -> Intake:
    return Intake(get_engine(f"sqlite:///{tmp_path / 'replies.db'}"))


@pytest.fixture(autouse=True)
def quick_landing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output_module, "LANDING_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(output_module, "LANDING_POLL_SECONDS", 0.01)


def client_for(api: FakeMessaging) -> MeliClient:
    async def no_sleep(_: float) -> None:
        return None

    return MeliClient("https://api.test", "TOKEN", transport=httpx.MockTransport(api.handler), sleep=no_sleep)


async def test_a_timed_out_reply_that_was_posted_is_not_posted_again(intake: Intake) -> None:
    api = FakeMessaging("landed")
    output = MercadoLibreOutput(client_for(api), intake, SELLER, PACK, BUYER)
    await output.send_text_message("x", TEXT)
    assert api.posts == 1 and [m["text"] for m in api.messages] == [TEXT]
    assert output.delivery.sent == [TEXT] and not output.delivery.errors
    assert [(r["status"], r["message_id"]) for r in intake.replies_for(PACK)] == [("sent", api.messages[0]["id"])]


async def test_a_timed_out_reply_that_was_not_posted_is_sent_again_once(intake: Intake) -> None:
    api = FakeMessaging("lost")
    output = MercadoLibreOutput(client_for(api), intake, SELLER, PACK, BUYER)
    await output.send_text_message("x", TEXT)
    assert api.posts == 2 and [m["text"] for m in api.messages] == [TEXT]
    assert output.delivery.sent == [TEXT]


async def test_an_earlier_identical_reply_is_not_taken_for_the_lost_one(intake: Intake) -> None:
    earlier = {"id": "a" * 32, "from": {"user_id": SELLER}, "to": {"user_id": BUYER}, "text": TEXT,
               "status": "available"}
    intake.record_reply(SELLER, PACK, TEXT, "sent", earlier["id"])
    api = FakeMessaging("lost", thread=[earlier])
    output = MercadoLibreOutput(client_for(api), intake, SELLER, PACK, BUYER)
    await output.send_text_message("x", TEXT)
    assert api.posts == 2 and [m["text"] for m in api.messages] == [TEXT, TEXT]


async def test_it_gives_up_after_two_resends_and_records_the_error(intake: Intake) -> None:
    api = FakeMessaging("lost", "lost", "lost", "ok")
    output = MercadoLibreOutput(client_for(api), intake, SELLER, PACK, BUYER)
    await output.send_text_message("x", TEXT)
    assert api.posts == 3 and api.messages == []
    assert output.delivery.sent == [] and output.delivery.errors
    assert [r["status"] for r in intake.replies_for(PACK)] == ["error_timeout"]


async def test_only_a_sent_request_without_answer_is_ambiguous() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) == 1:
            raise httpx.ConnectError("refused", request=request)  # never reached the server: safe to retry
        if len(seen) == 2:
            return httpx.Response(200, json={"id": "m1", "status": "available"})
        raise httpx.ReadTimeout("no answer", request=request)

    async def no_sleep(_: float) -> None:
        return None

    client = MeliClient("https://api.test", "TOKEN", transport=httpx.MockTransport(handler), sleep=no_sleep)
    assert (await client.send_message(PACK, SELLER, BUYER, TEXT, retry_ambiguous=False))["id"] == "m1"
    with pytest.raises(MeliUnavailable) as caught:
        await client.send_message(PACK, SELLER, BUYER, TEXT, retry_ambiguous=False)
    assert caught.value.ambiguous and len(seen) == 3  # raised at once, not retried
