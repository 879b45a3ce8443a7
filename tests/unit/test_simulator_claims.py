"""The simulator's claims move and talk like Mercado Libre's (reference 6.2-6.4), and its
attachments follow 2.5: stage rules for claim messages, files checked on their bytes, the
48-hour link window, files served only to their seller."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer

from simulator import ACCESS_TOKEN, SCENARIOS, create_app
from simulator.constants import SELLER_ID
from simulator.state import STATE

AUTH = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CLAIM = SCENARIOS["open_claim"].claim_id


@pytest_asyncio.fixture
async def client() -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app())) as test_client:
        yield test_client


def upload(content: bytes, name: str) -> FormData:
    form = FormData()
    form.add_field("file", content, filename=name, content_type="image/png")
    return form


async def send(client: TestClient, role: str, text: str = "Segue a nota", **extra: object):
    return await client.post(f"/post-purchase/v1/claims/{CLAIM}/actions/send-message", headers=AUTH,
                             json={"receiver_role": role, "message": text, **extra})


async def test_a_claim_moves_to_dispute_and_the_seller_may_then_write_only_to_the_mediator(client) -> None:
    assert (await send(client, "mediator")).status == 403
    assert (await send(client, "complainant")).status == 201
    moved = await (await client.post(f"/_sim/claims/{CLAIM}/stage", json={"stage": "dispute", "due_in_hours": 24})
                   ).json()
    assert moved["claim"]["stage"] == "dispute" and moved["notification_queued"] is False  # no callback configured
    assert [p["role"] for p in moved["claim"]["players"]] == ["complainant", "respondent", "mediator"]
    refused = await send(client, "complainant")
    assert refused.status == 403 and (await refused.json())["error"] == "action_not_allowed"
    assert (await send(client, "mediator")).status == 201
    messages = await (await client.get(f"/post-purchase/v1/claims/{CLAIM}/messages", headers=AUTH)).json()
    assert [(m["sender_role"], m["receiver_role"]) for m in messages] == [
        ("complainant", "respondent"), ("respondent", "complainant"), ("mediator", "respondent"),
        ("respondent", "mediator")]
    assert len({m["hash"] for m in messages}) == 4
    pack = SCENARIOS["open_claim"].pack_id
    thread = await (await client.get(f"/_sim/conversations/{pack}")).json()
    assert thread["conversation_status"]["substatus"] == "blocked_by_mediation"
    reputation = await (await client.get(f"/post-purchase/v1/claims/{CLAIM}/affects-reputation", headers=AUTH)
                        ).json()
    assert reputation == {"affects_reputation": "affected", "has_incentive": False, "due_date": None}

    closed = await (await client.post(f"/_sim/claims/{CLAIM}/stage", json={
        "status": "closed", "resolution": "seller_sent_product", "benefited": "respondent"})).json()
    assert closed["claim"]["resolution"]["benefited"] == ["respondent"]
    assert all(not p["available_actions"] for p in closed["claim"]["players"])
    assert (await send(client, "mediator")).status == 400
    again = await client.post(f"/_sim/claims/{CLAIM}/stage", json={"stage": "dispute"})
    assert again.status == 400


async def test_reasons_and_bad_moves(client) -> None:
    reason = await (await client.get("/post-purchase/v1/claims/reasons/PDD9549", headers=AUTH)).json()
    assert reason["name"] == "damaged_product" and "refund" in reason["settings"]["expected_resolutions"]
    assert (await client.get("/post-purchase/v1/claims/reasons/XYZ1", headers=AUTH)).status == 404
    assert (await client.post(f"/_sim/claims/{CLAIM}/stage", json={"stage": "won"})).status == 400
    assert (await client.post(f"/_sim/claims/{CLAIM}/stage", json={"due_in_hours": "soon"})).status == 400
    assert (await client.post("/_sim/claims/1/stage", json={"stage": "dispute"})).status == 404


async def test_claim_attachments_are_checked_on_their_bytes(client) -> None:
    path = f"/post-purchase/v1/claims/{CLAIM}/attachments"
    html = await client.post(path, headers=AUTH, data=upload(b"<html><script>x</script>", "foto.png"))
    assert html.status == 400
    bad_name = await client.post(path, headers=AUTH, data=upload(PNG, "foto com espaço.png"))
    assert bad_name.status == 400
    stored = await (await client.post(path, headers=AUTH, data=upload(PNG, "foto.png"))).json()
    assert (await send(client, "complainant", attachments=["nope.png"])).status == 400
    sent = await (await send(client, "complainant", attachments=[stored["filename"]])).json()
    assert sent["attachments"][0]["original_filename"] == "foto.png"
    got = await client.get(f"{path}/{stored['filename']}/download", headers=AUTH)
    assert got.status == 200 and await got.read() == PNG


async def test_message_attachments_link_within_48_hours_and_only_for_their_seller(client) -> None:
    sc = SCENARIOS["delivered"]
    pack = sc.pack_id or sc.order_id
    site = "?tag=post_sale&site_id=MLB"
    uploaded = await (await client.post(f"/messages/attachments{site}", headers=AUTH,
                                        data=upload(PNG, "etiqueta.png"))).json()
    body = {"from": {"user_id": str(SELLER_ID)}, "to": {"user_id": str(sc.buyer_id)}, "text": "segue",
            "attachments": [uploaded["id"]]}
    state = client.server.app[STATE]
    owner, name, kind, content, when = state.world.attachments[uploaded["id"]]
    state.world.attachments[uploaded["id"]] = (owner, name, kind, content, when - timedelta(hours=49))
    expired = await client.post(f"/messages/packs/{pack}/sellers/{SELLER_ID}?tag=post_sale", headers=AUTH, json=body)
    assert expired.status == 422
    state.world.attachments[uploaded["id"]] = (owner, name, kind, content, when)
    sent = await (await client.post(f"/messages/packs/{pack}/sellers/{SELLER_ID}?tag=post_sale", headers=AUTH,
                                    json=body)).json()
    assert sent["message_attachments"][0]["original_filename"] == "etiqueta.png"
    # A buyer's photo arrives with the message, and the seller can download it.
    photo = await (await client.post("/_sim/buyer_messages", json={
        "pack_id": pack, "text": "", "attachment": {"name": "quebrado.png", "data": base64.b64encode(PNG).decode()}})
    ).json()
    file_id = photo["message"]["message_attachments"][0]["filename"]
    got = await client.get(f"/messages/attachments/{file_id}{site}", headers=AUTH)
    assert got.status == 200 and await got.read() == PNG
    refused = await client.post("/_sim/buyer_messages", json={
        "pack_id": pack, "attachment": {"name": "x.png", "data": base64.b64encode(b"MZ\x90\x00\xff\xfe").decode()}})
    assert refused.status == 400


@pytest.mark.parametrize("name", ["../x.png", "a/b.png"])
async def test_message_upload_names_with_a_path_are_refused(client, name) -> None:
    body = (f'--XX\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            'Content-Type: image/png\r\n\r\n').encode() + PNG + b"\r\n--XX--\r\n"
    answer = await client.post("/messages/attachments?tag=post_sale&site_id=MLB", data=body,
                               headers={**AUTH, "Content-Type": "multipart/form-data; boundary=XX"})
    assert answer.status == 400 and "invalid file name" in (await answer.json())["message"]
