"""Tests of the local Mercado Libre simulator (simulator/).

The bot's own tests trust the simulator to speak Mercado Libre's formats, so these check the
shapes and the error bodies (not only the status codes), plus the test-control API.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from simulator import ACCESS_TOKEN, SCENARIOS, create_app
from simulator.constants import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, SELLER_ID

AUTH = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
NEW_FORMAT = {**AUTH, "x-format-new": "true"}
ROOT = Path(__file__).resolve().parents[2]
MLB_AGENT = 3037675074


@pytest_asyncio.fixture
async def client() -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app())) as test_client:
        yield test_client


async def get_json(client: TestClient, path: str, status: int = 200, **kwargs: Any) -> Any:
    headers = kwargs.pop("headers", AUTH)
    resp = await client.get(path, headers=headers, **kwargs)
    assert resp.status == status, await resp.text()
    return await resp.json()


def parse_date(value: str) -> datetime:
    return datetime.fromisoformat(value)


def now() -> datetime:
    return datetime.now(timezone(timedelta(0)))


def generic(status: int, message: str, error: str) -> dict[str, Any]:
    return {"message": message, "error": error, "status": status, "cause": []}


def messages_path(pack_id: int, seller_id: int = SELLER_ID) -> str:
    return f"/messages/packs/{pack_id}/sellers/{seller_id}"


def reply(text: str, to: int) -> dict[str, Any]:
    return {"from": {"user_id": str(SELLER_ID)}, "to": {"user_id": str(to)}, "text": text}


# --- auth ------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_missing_token_is_401_with_meli_body(client: TestClient) -> None:
    order_id = SCENARIOS["shipped"].order_id
    body = await get_json(client, f"/orders/{order_id}", 401, headers={})
    assert body == generic(401, "authorization value not present", "unauthorized")


@pytest.mark.asyncio
async def test_invalid_token_is_401(client: TestClient) -> None:
    headers = {"Authorization": "Bearer APP_USR-wrong"}
    body = await get_json(client, f"/shipments/{SCENARIOS['shipped'].shipment_id}", 401, headers=headers)
    assert body == generic(401, "invalid access token", "unauthorized")


@pytest.mark.asyncio
async def test_admin_routes_need_no_token(client: TestClient) -> None:
    assert await get_json(client, "/_sim/health", headers={}) == {"status": "ok"}


# --- scenarios: orders, packs, payments ------------------------------------------------------

@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_every_scenario_order_matches_its_index(client: TestClient, name: str) -> None:
    scenario = SCENARIOS[name]
    order = await get_json(client, f"/orders/{scenario.order_id}")
    currency = {"MLB": "BRL", "MLA": "ARS", "MLM": "MXN"}[scenario.site_id]
    assert order["id"] == scenario.order_id
    assert order["pack_id"] == scenario.pack_id
    assert order["currency_id"] == currency
    assert order["context"]["site"] == scenario.site_id
    assert order["buyer"] == {"id": scenario.buyer_id, "user_type": None, "tags": [], "status": None,
                              "buy_restrictions": []}
    assert order["shipping"] == {"id": scenario.shipment_id}
    assert order["order_items"][0]["item"]["title"] == scenario.item_titles[0]
    assert len(str(scenario.order_id)) == 16 and str(scenario.order_id).startswith("2000")
    if scenario.shipment_id is not None:
        assert len(str(scenario.shipment_id)) == 11


@pytest.mark.asyncio
async def test_order_has_the_reference_shape(client: TestClient) -> None:
    order = await get_json(client, f"/orders/{SCENARIOS['shipped'].order_id}")
    expected = {"id", "date_created", "last_updated", "date_closed", "pack_id", "fulfilled", "buying_mode",
                "shipping_cost", "mediations", "total_amount", "paid_amount", "currency_id", "order_items",
                "payments", "shipping", "status", "status_detail", "tags", "feedback", "context", "seller",
                "buyer", "taxes", "cancel_detail", "manufacturing_ending_date", "order_request"}
    assert expected <= set(order)
    payment = order["payments"][0]
    assert {"id", "order_id", "payer_id", "collector", "payment_method_id", "payment_type", "installments",
            "operation_type", "status", "status_detail", "transaction_amount", "transaction_amount_refunded",
            "total_paid_amount", "shipping_cost", "date_approved", "date_created", "date_last_modified",
            "marketplace_fee", "available_actions"} <= set(payment)
    item = order["order_items"][0]
    assert {"item", "quantity", "unit_price", "full_unit_price", "currency_id", "manufacturing_days",
            "sale_fee", "listing_type_id"} <= set(item)
    assert payment["payment_type"] == "credit_card" and payment["installments"] == 3


@pytest.mark.asyncio
async def test_paid_not_shipped_has_no_pack(client: TestClient) -> None:
    scenario = SCENARIOS["paid_not_shipped"]
    order = await get_json(client, f"/orders/{scenario.order_id}")
    assert order["status"] == "paid" and order["pack_id"] is None
    assert order["payments"][0]["payment_method_id"] == "pix"
    assert order["payments"][0]["status"] == "approved"
    body = await get_json(client, f"/packs/{scenario.order_id}", 404)
    assert body == generic(404, "Order do not exists", "not_found")
    shipment = await get_json(client, f"/shipments/{scenario.shipment_id}", headers=NEW_FORMAT)
    assert shipment["status"] in ("ready_to_ship", "handling")
    body = await get_json(client, f"/packs/{scenario.order_id}/fiscal_documents", 404)
    assert body == generic(
        404, f"The pack_fiscal_document with pack_id: {scenario.order_id} does not exist", "not_found")


@pytest.mark.asyncio
async def test_delivered_pack_has_two_orders_with_variations(client: TestClient) -> None:
    scenario = SCENARIOS["delivered"]
    pack = await get_json(client, f"/packs/{scenario.pack_id}")
    assert set(pack) == {"shipment", "orders", "id", "status", "status_detail", "buyer", "date_created",
                         "last_updated"}
    assert pack["status"] == "released" and pack["shipment"] == {"id": scenario.shipment_id}
    assert len(pack["orders"]) == 2 and len(scenario.item_titles) == 2
    for ref in pack["orders"]:
        order = await get_json(client, f"/orders/{ref['id']}")
        attributes = order["order_items"][0]["item"]["variation_attributes"]
        assert {a["id"] for a in attributes} == {"SIZE", "COLOR"}
        assert order["pack_id"] == scenario.pack_id
    shipment = await get_json(client, f"/shipments/{scenario.shipment_id}", headers=NEW_FORMAT)
    assert shipment["status"] == "delivered"
    docs = await get_json(client, f"/packs/{scenario.pack_id}/fiscal_documents")
    assert docs["pack_id"] == scenario.pack_id
    assert set(docs["fiscal_documents"][0]) == {"id", "date", "file_type", "filename"}


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["cancelled_refunded", "cancelled_refunded_mla"])
async def test_cancelled_and_refunded(client: TestClient, name: str) -> None:
    order = await get_json(client, f"/orders/{SCENARIOS[name].order_id}")
    payment = order["payments"][0]
    assert order["status"] == "cancelled"
    assert order["cancel_detail"]["requested_by"] == "buyer"
    assert payment["status"] == "refunded"
    assert payment["transaction_amount_refunded"] == payment["transaction_amount"] == order["total_amount"]


@pytest.mark.asyncio
async def test_cancelled_not_refunded(client: TestClient) -> None:
    order = await get_json(client, f"/orders/{SCENARIOS['cancelled_not_refunded'].order_id}")
    assert order["status"] == "cancelled" and order["cancel_detail"] is not None
    assert order["payments"][0]["status"] == "approved"
    assert order["payments"][0]["transaction_amount_refunded"] == 0


@pytest.mark.asyncio
async def test_pending_payment(client: TestClient) -> None:
    scenario = SCENARIOS["pending_payment"]
    order = await get_json(client, f"/orders/{scenario.order_id}")
    assert order["status"] == "payment_required"
    assert order["payments"][0]["status"] == "pending"
    assert order["payments"][0]["payment_type"] == "ticket"
    assert order["shipping"] == {"id": None} and order["date_closed"] is None


@pytest.mark.asyncio
async def test_latam_scenarios_speak_spanish_and_local_currency(client: TestClient) -> None:
    mla = await get_json(client, f"/orders/{SCENARIOS['shipped_mla'].order_id}")
    mlm = await get_json(client, f"/orders/{SCENARIOS['delivered_mlm'].order_id}")
    assert (mla["currency_id"], mlm["currency_id"]) == ("ARS", "MXN")
    ship = await get_json(client, f"/shipments/{SCENARIOS['shipped_mla'].shipment_id}", headers=NEW_FORMAT)
    assert ship["status"] == "shipped" and ship["logistic"]["mode"] == "me2"
    assert (await get_json(client, f"/packs/{SCENARIOS['delivered_mlm'].pack_id}/fiscal_documents"))


# --- shipments -------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_shipped_has_carrier_tracking_and_future_promise(client: TestClient) -> None:
    scenario = SCENARIOS["shipped"]
    shipment = await get_json(client, f"/shipments/{scenario.shipment_id}", headers=NEW_FORMAT)
    assert {"id", "status", "substatus", "date_created", "last_updated", "tracking_number", "tracking_method",
            "logistic", "origin", "destination", "lead_time", "tags", "declared_value", "dimensions",
            "sibling"} <= set(shipment)
    assert shipment["status"] == "shipped" and shipment["tracking_number"]
    carrier = await get_json(client, f"/shipments/{scenario.shipment_id}/carrier")
    assert carrier["name"] == "Total Express" and carrier["url"].startswith("https://")
    lead = await get_json(client, f"/shipments/{scenario.shipment_id}/lead_time")
    assert parse_date(lead["estimated_delivery_time"]["date"]) > now()
    assert lead["cost_type"] in ("free", "charged", "partially_free")
    history = await get_json(client, f"/shipments/{scenario.shipment_id}/history")
    assert history[-1]["status"] == "shipped" and set(history[0]) == {"status", "substatus", "date"}
    assert await get_json(client, f"/packs/{scenario.pack_id}/fiscal_documents")


@pytest.mark.asyncio
async def test_late_shipment_is_past_its_limit(client: TestClient) -> None:
    shipment_id = SCENARIOS["late"].shipment_id
    shipment = await get_json(client, f"/shipments/{shipment_id}", headers=NEW_FORMAT)
    assert (shipment["status"], shipment["substatus"]) == ("shipped", "delayed")
    limit = parse_date(shipment["lead_time"]["estimated_delivery_limit"]["date"])
    assert limit < now()
    delays = await get_json(client, f"/shipments/{shipment_id}/delays")
    assert delays["shipment_id"] == shipment_id and delays["delays"]


@pytest.mark.asyncio
async def test_not_delivered_returning_without_invoice(client: TestClient) -> None:
    scenario = SCENARIOS["not_delivered"]
    shipment = await get_json(client, f"/shipments/{scenario.shipment_id}", headers=NEW_FORMAT)
    assert (shipment["status"], shipment["substatus"]) == ("not_delivered", "returning_to_sender")
    await get_json(client, f"/packs/{scenario.pack_id}/fiscal_documents", 404)


@pytest.mark.asyncio
async def test_shipment_without_header_and_missing_subresources(client: TestClient) -> None:
    shipment_id = SCENARIOS["shipped"].shipment_id
    assert (await get_json(client, f"/shipments/{shipment_id}"))["id"] == shipment_id
    body = await get_json(client, f"/shipments/{shipment_id}/delays", 404)
    assert body == generic(404, "Delays Not Found for shipment", "not_found")


# --- claims and returns ----------------------------------------------------------------------

@pytest.mark.asyncio
async def test_open_claim_found_by_order_id(client: TestClient) -> None:
    scenario = SCENARIOS["open_claim"]
    found = await get_json(client, "/post-purchase/v1/claims/search", params={"order_id": scenario.order_id})
    assert found["paging"] == {"total": 1, "offset": 0, "limit": 30}
    claim = found["data"][0]
    assert claim["id"] == scenario.claim_id
    assert (claim["status"], claim["stage"], claim["type"]) == ("opened", "claim", "mediations")
    assert claim["reason_id"].startswith("PDD")
    seller = next(p for p in claim["players"] if p["role"] == "respondent")
    mandatory = [a for a in seller["available_actions"] if a["mandatory"]]
    assert mandatory and all(parse_date(a["due_date"]) > now() for a in mandatory)
    assert await get_json(client, f"/post-purchase/v1/claims/{scenario.claim_id}") == claim
    detail = await get_json(client, f"/post-purchase/v1/claims/{scenario.claim_id}/detail")
    assert set(detail) == {"due_date", "action_responsible", "title", "description", "problem"}
    body = await get_json(client, f"/post-purchase/v2/claims/{scenario.claim_id}/returns", 404)
    assert body["error"] == "not_found" and body["status"] == 404 and body["cause"] == []
    order = await get_json(client, f"/orders/{scenario.order_id}")
    assert order["mediations"] == [{"id": scenario.claim_id}]


@pytest.mark.asyncio
async def test_return_in_progress(client: TestClient) -> None:
    scenario = SCENARIOS["return_in_progress"]
    found = await get_json(client, "/post-purchase/v1/claims/search", params={"pack_id": scenario.pack_id})
    assert [c["id"] for c in found["data"]] == [scenario.claim_id]
    assert found["data"][0]["related_entities"] == ["return"]
    ret = await get_json(client, f"/post-purchase/v2/claims/{scenario.claim_id}/returns")
    assert ret["claim_id"] == scenario.claim_id and ret["status"] == "shipped"
    assert ret["shipments"][0]["type"] == "return" and ret["shipments"][0]["status"] == "shipped"
    assert ret["orders"][0]["order_id"] == scenario.order_id


@pytest.mark.asyncio
async def test_claims_search_validation_and_filters(client: TestClient) -> None:
    body = await get_json(client, "/post-purchase/v1/claims/search", 400)
    assert body["error"] == "invalid_query" and body["message"].startswith("at least any of these filters")
    body = await get_json(client, "/post-purchase/v1/claims/search?limit=5", 400)
    assert body["error"] == "invalid_query"
    params = {"order_id": "1", "pack_id": "2"}
    assert (await get_json(client, "/post-purchase/v1/claims/search", 400, params=params))["error"] == \
        "invalid_params"
    opened = await get_json(client, "/post-purchase/v1/claims/search", params={"status": "opened"})
    assert opened["paging"]["total"] == 2
    params = {"players.role": "respondent", "players.user_id": str(SELLER_ID), "limit": "1"}
    page = await get_json(client, "/post-purchase/v1/claims/search", params=params)
    assert page["paging"] == {"total": 2, "offset": 0, "limit": 1} and len(page["data"]) == 1
    none = await get_json(client, "/post-purchase/v1/claims/search",
                          params={"order_id": SCENARIOS["shipped"].order_id})
    assert none == {"paging": {"total": 0, "offset": 0, "limit": 30}, "data": []}


# --- 404 bodies ------------------------------------------------------------------------------

@pytest.mark.asyncio
@pytest.mark.parametrize(("path", "message"), [
    ("/orders/2000019999999999", "Order do not exists"),
    ("/packs/2000009999999999", "Order do not exists"),
    ("/packs/2000009999999999/fiscal_documents",
     "The pack_fiscal_document with pack_id: 2000009999999999 does not exist"),
    ("/shipments/49999999999", "Shipment not found"),
    ("/post-purchase/v1/claims/5999999999", "Claim 5999999999 not found"),
    ("/no/such/resource", "Resource /no/such/resource not found."),
])
async def test_unknown_ids_give_meli_404(client: TestClient, path: str, message: str) -> None:
    assert await get_json(client, path, 404) == generic(404, message, "not_found")


@pytest.mark.asyncio
async def test_unknown_message_gives_messaging_404(client: TestClient) -> None:
    body = await get_json(client, "/messages/ffffffffffffffffffffffffffffffff?tag=post_sale", 404)
    assert set(body) == {"status_code", "code", "message"} and body["code"] == "not_found"


# --- messaging -------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_conversation_list_shape_and_tag_required(client: TestClient) -> None:
    pack_id = SCENARIOS["shipped"].pack_id
    body = await get_json(client, messages_path(pack_id), 400)
    assert body["status_code"] == 400 and body["code"] == "bad_request"
    thread = await get_json(client, messages_path(pack_id), params={"tag": "post_sale", "mark_as_read": "false"})
    assert thread["paging"] == {"limit": 10, "offset": 0, "total": 1}
    assert thread["seller_max_message_length"] == 350 and thread["buyer_max_message_length"] == 3500
    assert thread["conversation_status"]["status"] == "active"
    msg = thread["messages"][0]
    assert {"id", "site_id", "client_id", "from", "to", "status", "subject", "text", "message_date",
            "message_moderation", "message_attachments", "message_resources",
            "conversation_first_message"} <= set(msg)
    assert msg["from"]["user_id"] == SCENARIOS["shipped"].buyer_id and msg["message_date"]["read"] is None
    assert {"id": str(pack_id), "name": "packs"} in msg["message_resources"]
    await get_json(client, messages_path(pack_id), params={"tag": "post_sale"})
    again = await get_json(client, messages_path(pack_id), params={"tag": "post_sale"})
    assert again["messages"][0]["message_date"]["read"] is not None


@pytest.mark.asyncio
async def test_get_single_message_legacy_and_new(client: TestClient) -> None:
    pack_id = SCENARIOS["delivered"].pack_id
    thread = await get_json(client, messages_path(pack_id), params={"tag": "post_sale"})
    message_id = thread["messages"][0]["id"]
    legacy = await get_json(client, f"/messages/{message_id}", params={"tag": "post_sale"})
    assert legacy["message_id"] == message_id and legacy["resource_id"] == str(pack_id)
    assert legacy["text"] == {"plain": thread["messages"][0]["text"]}
    new = await get_json(client, f"/messages/{message_id}", params={"tag": "post_sale"}, headers=NEW_FORMAT)
    assert new["paging"] is None and new["messages"][0]["id"] == message_id


@pytest.mark.asyncio
async def test_reply_limit_is_350_characters(client: TestClient) -> None:
    scenario = SCENARIOS["shipped"]
    path = messages_path(scenario.pack_id) + "?tag=post_sale"
    resp = await client.post(path, json=reply("a" * 351, scenario.buyer_id), headers=AUTH)
    assert resp.status == 400
    assert await resp.json() == {"status_code": 400, "code": "bad_request",
                                 "message": "The message content is too long, max characters allowed are 350"}
    resp = await client.post(path, json=reply("b" * 350, scenario.buyer_id), headers=AUTH)
    assert resp.status == 200
    sent = await resp.json()
    assert sent["status"] == "available" and sent["message_moderation"]["status"] == "clean"
    thread = await get_json(client, messages_path(scenario.pack_id), params={"tag": "post_sale"})
    assert thread["messages"][0]["id"] == sent["id"] and thread["paging"]["total"] == 2


@pytest.mark.asyncio
async def test_reply_validation_errors(client: TestClient) -> None:
    scenario = SCENARIOS["shipped"]
    path = messages_path(scenario.pack_id) + "?tag=post_sale"
    cases = [
        ({"from": {"user_id": SELLER_ID}, "text": "oi"}, 400, "The field 'to.user_id' is required"),
        ({"to": {"user_id": scenario.buyer_id}, "text": "oi"}, 400, "The field 'from' is required"),
        (reply("oi", SELLER_ID), 400, "Sender and received must not be equals"),
        (reply("Olá “aspas curvas”", scenario.buyer_id), 400, "The text has character/s that is/are not supported."),
        (reply("oi", 42), 403, f"Receiver does not belong to order {scenario.pack_id}"),
    ]
    for body, status, message in cases:
        resp = await client.post(path, json=body, headers=AUTH)
        assert resp.status == status
        assert (await resp.json())["message"] == message
    resp = await client.post(path, data="not json", headers=AUTH)
    assert (await resp.json())["message"] == "A JSON body is required"


@pytest.mark.asyncio
async def test_reply_to_agent_and_moderation(client: TestClient) -> None:
    scenario = SCENARIOS["late"]
    path = messages_path(scenario.pack_id) + "?tag=post_sale"
    resp = await client.post(path, json=reply("Seu pedido está a caminho 😀", MLB_AGENT), headers=AUTH)
    assert resp.status == 200 and (await resp.json())["status"] == "available"
    resp = await client.post(path, json=reply("Me chame no fulano@example.com", scenario.buyer_id), headers=AUTH)
    body = await resp.json()
    assert resp.status == 200 and body["status"] == "moderated"
    assert body["message_moderation"]["reason"] == "PERSONAL_DATA" and body["to"]["user_id"] == scenario.buyer_id
    await client.post("/_sim/moderate_next", json={"reason": "AUTOMATIC_MESSAGE"})
    body = await (await client.post(path, json=reply("Obrigado!", scenario.buyer_id), headers=AUTH)).json()
    assert body["message_moderation"] == {**body["message_moderation"], "status": "rejected",
                                          "reason": "AUTOMATIC_MESSAGE"}


@pytest.mark.asyncio
async def test_blocked_conversations_refuse_replies(client: TestClient) -> None:
    scenario = SCENARIOS["cancelled_refunded"]
    path = messages_path(scenario.pack_id) + "?tag=post_sale"
    thread = await get_json(client, path)
    assert thread["conversation_status"]["substatus"] == "blocked_by_cancelled_order"
    resp = await client.post(path, json=reply("Oi", scenario.buyer_id), headers=AUTH)
    assert resp.status == 403
    assert await resp.json() == {"status_code": 403, "code": "forbidden",
                                 "message": "blocked_conversation_send_message_forbidden"}
    pending = SCENARIOS["pending_payment"]
    await client.post(f"/_sim/conversations/{pending.pack_id}/status", json={"status": "active"})
    resp = await client.post(messages_path(pending.pack_id) + "?tag=post_sale",
                             json=reply("Oi", pending.buyer_id), headers=AUTH)
    assert (await resp.json())["message"] == "blocked_by_conversation_started_by_seller"


@pytest.mark.asyncio
async def test_packless_order_uses_order_id_as_pack(client: TestClient) -> None:
    scenario = SCENARIOS["paid_not_shipped"]
    thread = await get_json(client, messages_path(scenario.order_id), params={"tag": "post_sale"})
    assert thread["paging"]["total"] == 1
    resp = await client.post(messages_path(scenario.order_id) + "?tag=post_sale",
                             json=reply("Enviaremos amanhã.", scenario.buyer_id), headers=AUTH)
    assert resp.status == 200


@pytest.mark.asyncio
async def test_buyer_message_injection(client: TestClient) -> None:
    scenario = SCENARIOS["shipped_mla"]
    resp = await client.post("/_sim/buyer_messages", json={"pack_id": scenario.pack_id, "text": "¿Y mi factura?"})
    assert resp.status == 201
    created = await resp.json()
    assert created["notification"]["topic"] == "messages"
    assert created["notification"]["resource"] == created["id"]
    msg = await get_json(client, f"/messages/{created['id']}", params={"tag": "post_sale"})
    assert msg["text"]["plain"] == "¿Y mi factura?" and msg["from"]["user_id"] == scenario.buyer_id
    resp = await client.post("/_sim/buyer_messages", json={"pack_id": 1, "text": "x"})
    assert resp.status == 404


# --- faults and request log ------------------------------------------------------------------

@pytest.mark.asyncio
async def test_fault_status_with_times(client: TestClient) -> None:
    order_id = SCENARIOS["shipped"].order_id
    resp = await client.post("/_sim/faults", json={"path": r"^/orders/", "status": 500, "times": 2})
    assert resp.status == 201
    for _ in range(2):
        body = await get_json(client, f"/orders/{order_id}", 500)
        assert body == generic(500, "Internal server error", "internal_server_error")
    await get_json(client, f"/orders/{order_id}")
    assert await get_json(client, "/_sim/faults") == []


@pytest.mark.asyncio
async def test_fault_429_body_and_method_filter(client: TestClient) -> None:
    pack_id = SCENARIOS["shipped"].pack_id
    await client.post("/_sim/faults", json={"path": "/messages/", "status": 429, "method": "POST"})
    await get_json(client, messages_path(pack_id), params={"tag": "post_sale"})
    resp = await client.post(messages_path(pack_id) + "?tag=post_sale", json={}, headers=AUTH)
    assert resp.status == 429 and "Retry-After" not in resp.headers
    assert await resp.json() == generic(429, "Too Many Requests", "local_rate_limited")
    await client.delete("/_sim/faults")
    resp = await client.post("/_sim/faults", json={"path": "/orders", "status": 503, "body": {"custom": True}})
    assert (await resp.json())["id"] >= 1
    assert await get_json(client, f"/orders/{SCENARIOS['shipped'].order_id}", 503) == {"custom": True}
    await client.delete("/_sim/faults")
    await client.post("/_sim/faults", json={"path": "/orders", "status": 429, "retry_after": 2})
    resp = await client.get(f"/orders/{SCENARIOS['shipped'].order_id}", headers=AUTH)
    assert resp.status == 429 and resp.headers["Retry-After"] == "2"


@pytest.mark.asyncio
async def test_fault_latency_only_then_serves(client: TestClient) -> None:
    shipment_id = SCENARIOS["shipped"].shipment_id
    await client.post("/_sim/faults", json={"path": "^/shipments/", "latency_ms": 300, "times": 1})
    started = time.monotonic()
    await get_json(client, f"/shipments/{shipment_id}")
    assert time.monotonic() - started >= 0.28
    started = time.monotonic()
    await get_json(client, f"/shipments/{shipment_id}")
    assert time.monotonic() - started < 0.28


@pytest.mark.asyncio
async def test_latency_fault_on_a_post_still_carries_it_out(client: TestClient) -> None:
    """The slow server has the whole request before it stalls: the reply is posted after the delay."""
    scenario = SCENARIOS["shipped"]
    await client.post("/_sim/faults", json={"path": "^/messages/packs/", "method": "POST", "latency_ms": 300,
                                            "times": 1})
    started = time.monotonic()
    resp = await client.post(messages_path(scenario.pack_id) + "?tag=post_sale",
                             json=reply("Oi! Seu pedido ja saiu.", scenario.buyer_id), headers=AUTH)
    assert resp.status == 200 and time.monotonic() - started >= 0.28
    thread = await get_json(client, f"/_sim/conversations/{scenario.pack_id}")
    assert thread["messages"][-1]["text"] == "Oi! Seu pedido ja saiu."


@pytest.mark.asyncio
async def test_bad_fault_specs_are_rejected(client: TestClient) -> None:
    for payload in ({}, {"path": "("}, {"path": "/x"}, {"path": "/x", "status": 200}, {"path": "/x", "status": 500,
                                                                                       "times": 0}):
        assert (await client.post("/_sim/faults", json=payload)).status == 400


@pytest.mark.asyncio
async def test_probabilistic_faults_fire_at_their_rate_with_real_error_bodies(client: TestClient) -> None:
    order_id = SCENARIOS["shipped"].order_id
    for payload in ({"path": "/x", "status": 500, "probability": 0}, {"path": "/x", "status": 500, "probability": 1.5},
                    {"path": "/x", "status": 500, "probability": "0.2"}, {"path": "/x", "status": 500,
                                                                          "probability": True},
                    {"path": "/x", "status": 500, "probability": 0.2, "seed": "s"}):
        assert (await client.post("/_sim/faults", json=payload)).status == 400, payload
    # Two rules over the same path compose: 30% 503, then 50% of the rest 429 (35% overall).
    for rule in ({"path": "^/orders/", "status": 503, "probability": 0.3, "seed": 7},
                 {"path": "^/orders/", "status": 429, "probability": 0.5, "seed": 8}):
        assert (await client.post("/_sim/faults", json=rule)).status == 201
    statuses = []
    for _ in range(400):
        resp = await client.get(f"/orders/{order_id}", headers=AUTH)
        statuses.append(resp.status)
        if resp.status != 200:
            assert await resp.json() == generic(resp.status, *{
                503: ("Service unavailable", "service_unavailable"),
                429: ("Too Many Requests", "local_rate_limited")}[resp.status])
    assert 90 <= statuses.count(503) <= 150 and 110 <= statuses.count(429) <= 170, statuses
    first, second = await get_json(client, "/_sim/faults")
    assert (first["matched"], first["hits"], first["probability"]) == (400, statuses.count(503), 0.3)
    assert (second["matched"], second["hits"]) == (400 - statuses.count(503), statuses.count(429))
    # The same seeds replay the same sequence.
    await client.delete("/_sim/faults")
    for rule in ({"path": "^/orders/", "status": 503, "probability": 0.3, "seed": 7},
                 {"path": "^/orders/", "status": 429, "probability": 0.5, "seed": 8}):
        await client.post("/_sim/faults", json=rule)
    replay = [(await client.get(f"/orders/{order_id}", headers=AUTH)).status for _ in range(400)]
    assert replay == statuses


@pytest.mark.asyncio
async def test_request_log_without_secrets(client: TestClient) -> None:
    order_id = SCENARIOS["delivered"].order_id
    await get_json(client, f"/orders/{order_id}")
    await get_json(client, "/orders/123", 404)
    await get_json(client, f"/orders/{order_id}", 401, headers={})
    await get_json(client, "/_sim/health")
    log = await get_json(client, "/_sim/requests")
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", f"/orders/{order_id}", 200), ("GET", "/orders/123", 404), ("GET", f"/orders/{order_id}", 401)]
    assert set(log[0]) == {"method", "path", "query", "status", "ts", "epoch", "ms"}
    assert log[0]["ms"] >= 0 and log[0]["epoch"] > 1.7e9  # benchmarks time the bot from outside with these
    assert ACCESS_TOKEN not in str(log)
    await get_json(client, messages_path(1), 404, params={"tag": "post_sale"})
    filtered = await get_json(client, "/_sim/requests", params={"path": "^/messages"})
    assert filtered[0]["query"] == {"tag": "post_sale"}


# --- oauth -----------------------------------------------------------------------------------

def token_form(refresh_token: str) -> dict[str, str]:
    return {"grant_type": "refresh_token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "refresh_token": refresh_token}


@pytest.mark.asyncio
async def test_refresh_tokens_are_single_use(client: TestClient) -> None:
    resp = await client.post("/oauth/token", data=token_form(REFRESH_TOKEN))
    assert resp.status == 200
    tokens = await resp.json()
    assert set(tokens) == {"access_token", "token_type", "expires_in", "scope", "user_id", "refresh_token"}
    assert tokens["user_id"] == SELLER_ID and tokens["refresh_token"] != REFRESH_TOKEN
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    await get_json(client, f"/orders/{SCENARIOS['shipped'].order_id}", headers=headers)
    await get_json(client, f"/orders/{SCENARIOS['shipped'].order_id}")
    resp = await client.post("/oauth/token", data=token_form(REFRESH_TOKEN))
    assert resp.status == 400
    assert await resp.json() == {
        "error_description": "Error validating grant. Your authorization code or refresh token may be expired "
                             "or it was already used",
        "error": "invalid_grant", "status": 400, "cause": []}
    resp = await client.post("/oauth/token", params=token_form(tokens["refresh_token"]))
    assert resp.status == 200


@pytest.mark.asyncio
async def test_oauth_rejects_wrong_client(client: TestClient) -> None:
    form = {**token_form(REFRESH_TOKEN), "client_secret": "nope"}
    resp = await client.post("/oauth/token", data=form)
    assert resp.status == 400 and (await resp.json())["error"] == "invalid_client"


@pytest.mark.asyncio
async def test_expired_tokens_recover_through_refresh(client: TestClient) -> None:
    order_path = f"/orders/{SCENARIOS['shipped'].order_id}"
    await client.post("/_sim/expire_tokens")
    await get_json(client, order_path, 401)
    tokens = await (await client.post("/oauth/token", data=token_form(REFRESH_TOKEN))).json()
    await get_json(client, order_path, headers={"Authorization": f"Bearer {tokens['access_token']}"})


# --- reset and scenarios index ---------------------------------------------------------------

@pytest.mark.asyncio
async def test_reset_restores_seed(client: TestClient) -> None:
    scenario = SCENARIOS["shipped"]
    path = messages_path(scenario.pack_id) + "?tag=post_sale"
    await client.post(path, json=reply("Já foi enviado!", scenario.buyer_id), headers=AUTH)
    await client.post("/_sim/faults", json={"path": "^/orders/", "status": 500})
    await client.post("/oauth/token", data=token_form(REFRESH_TOKEN))
    assert (await client.post("/_sim/reset")).status == 200
    assert await get_json(client, "/_sim/faults") == []
    assert await get_json(client, "/_sim/requests") == []
    thread = await get_json(client, path)
    assert thread["paging"]["total"] == 1 and thread["messages"][0]["message_date"]["read"] is None
    await get_json(client, f"/orders/{scenario.order_id}")
    assert (await client.post("/oauth/token", data=token_form(REFRESH_TOKEN))).status == 200


@pytest.mark.asyncio
async def test_scenarios_index(client: TestClient) -> None:
    body = await get_json(client, "/_sim/scenarios", headers={})
    rows = {row["name"]: row for row in body["scenarios"]}
    assert set(rows) == set(SCENARIOS) and body["seller_id"] == SELLER_ID
    assert rows["open_claim"]["claim_id"] == SCENARIOS["open_claim"].claim_id
    assert rows["paid_not_shipped"]["conversation_id"] == SCENARIOS["paid_not_shipped"].order_id


# --- command line ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.asyncio
async def test_python_dash_m_prints_banner() -> None:
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", str(port),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, env={**os.environ})
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
        assert line.decode().strip() == f"Mercado Libre simulator on http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        await proc.wait()


async def test_cloned_sales_have_their_own_order_shipment_and_thread(client: TestClient) -> None:
    made = await client.post("/_sim/sales/clone", json={"scenario": "shipped", "count": 3})
    assert made.status == 201
    sales = (await made.json())["sales"]
    assert len({s["pack_id"] for s in sales}) == 3
    original = SCENARIOS["shipped"]
    for sale in sales:
        order = await (await client.get(f"/orders/{sale['order_id']}", headers=AUTH)).json()
        assert order["status"] == "paid" and order["pack_id"] == sale["pack_id"]
        assert order["shipping"]["id"] != original.shipment_id
        shipment = await client.get(f"/shipments/{order['shipping']['id']}", headers=AUTH)
        assert shipment.status == 200 and (await shipment.json())["status"] == "shipped"
        said = await client.post("/_sim/buyer_messages", json={"pack_id": sale["pack_id"], "text": "cade?"})
        assert said.status == 201
    thread = await (await client.get(f"/_sim/conversations/{sales[0]['pack_id']}")).json()
    assert [m["text"] for m in thread["messages"]][-1:] == ["cade?"]
    refused = await client.post("/_sim/sales/clone", json={"scenario": "cancelled_refunded", "count": 1})
    assert refused.status == 400 and "cancellation" in (await refused.json())["message"]
    # A sale with a claim gets its own claim, which moves without touching the seeded one.
    cloned = (await (await client.post("/_sim/sales/clone", json={"scenario": "open_claim", "count": 1})).json())
    claim_id = cloned["sales"][0]["claim_id"]
    assert claim_id != SCENARIOS["open_claim"].claim_id
    moved = await client.post(f"/_sim/claims/{claim_id}/stage", json={"stage": "dispute"})
    assert (await moved.json())["claim"]["stage"] == "dispute"
    seeded = await (await client.get(f"/post-purchase/v1/claims/{SCENARIOS['open_claim'].claim_id}",
                                     headers=AUTH)).json()
    assert seeded["stage"] == "claim"
