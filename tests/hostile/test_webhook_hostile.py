"""The Mercado Libre webhook as an outsider sees it: the real channel in Rasa's own app (Sanic's
ASGI client), a real SQLite intake, no model. Each refusal is checked against what was stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from unittest.mock import MagicMock

import pytest
from rasa.core.run import configure_app

from connectors import rasa_patches
from connectors.mercadolibre import MercadoLibreInput
from connectors.mercadolibre.intake import Intake
from connectors.mercadolibre.notification import MAX_BODY_BYTES
from postsale import settings

SELLER, APP, SECRET = 123456789, 5551234, "s" * 32


@pytest.fixture
def channel(tmp_path, monkeypatch) -> Iterator[MercadoLibreInput]:
    for name, value in {"MELI_API_URL": "http://127.0.0.1:9", "MELI_APP_ID": str(APP),
                        "MELI_SELLER_ID": str(SELLER), "MELI_ACCESS_TOKEN": "APP_USR-test",
                        "MELI_WEBHOOK_SECRET": SECRET, "MELI_WEBHOOK_RATE": "5",
                        "MELI_DB_URL": f"sqlite:///{tmp_path / 'meli.db'}",
                        "RASA_ENDPOINTS": str(tmp_path / "none.yml")}.items():
        monkeypatch.setenv(name, value)
    settings.reset()
    rasa_patches.apply()
    try:
        yield MercadoLibreInput.from_credentials(None)
    finally:
        rasa_patches.remove()


@pytest.fixture
def client(channel: MercadoLibreInput):
    app = configure_app([channel], port=5004)
    app.ctx.agent = MagicMock()
    return app.asgi_client


def note(resource: str) -> bytes:
    return json.dumps({"_id": f"n-{resource}", "resource": resource, "user_id": SELLER, "topic": "messages",
                       "application_id": APP, "attempts": 1, "sent": "2026-11-29T12:00:00.000Z"}).encode()


def stored(channel: MercadoLibreInput) -> list[str]:
    from sqlalchemy import select

    from connectors.mercadolibre.intake import notifications

    with channel.intake.engine.connect() as conn:
        return [r.resource for r in conn.execute(select(notifications.c.resource))]


async def post(client, body: bytes, secret: str | None = SECRET, **headers: str):
    url = "/webhooks/mercadolibre/webhook" + (f"?secret={secret}" if secret is not None else "")
    _, answer = await client.post(url, content=body, headers={"content-type": "application/json", **headers})
    return answer


async def test_wrong_or_missing_secret_stores_nothing(client, channel) -> None:
    for secret in (None, "", "wrong", SECRET[:-1], SECRET + "x"):
        answer = await post(client, note(f"m{len(secret or '')}"), secret)
        assert answer.status == 401 and answer.json["error"] == "bad_secret"
    assert stored(channel) == []


async def test_an_oversized_body_is_refused_from_its_length_and_while_streaming(client, channel) -> None:
    big = b'{"topic": "messages", "pad": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}'
    answer = await post(client, big)
    assert answer.status == 413 and answer.json["error"] == "body_too_large"

    async def chunks():  # no Content-Length: chunked transfer, counted as it arrives
        for _ in range(MAX_BODY_BYTES // 1024 + 8):
            yield b"x" * 1024

    _, answer = await client.post(f"/webhooks/mercadolibre/webhook?secret={SECRET}", content=chunks(),
                                  headers={"content-type": "application/json"})
    assert answer.status == 413 and answer.json["error"] == "body_too_large"
    answer = await post(client, note("m1"), **{"content-length": "12abc"})
    assert answer.status == 400
    # decided from the header alone: a small body announced as too large is not read at all
    answer = await post(client, note("m2"), **{"content-length": str(MAX_BODY_BYTES + 1)})
    assert answer.status == 413
    assert stored(channel) == []


async def test_a_flood_of_invented_ids_is_capped_per_seller(client, channel) -> None:
    statuses = [(await post(client, note(f"invented{i}"))) for i in range(8)]
    assert [a.status for a in statuses] == [200] * 5 + [429] * 3
    assert statuses[-1].json["error"] == "rate_limited" and int(statuses[-1].headers["retry-after"]) >= 1
    assert sorted(stored(channel)) == [f"invented{i}" for i in range(5)]


async def test_health_shows_no_counts_without_the_secret_and_runs_no_query(client, channel, monkeypatch) -> None:
    def no_query(self: Intake) -> dict:
        raise AssertionError("the intake was queried for an anonymous caller")

    monkeypatch.setattr(Intake, "counts", no_query)
    for query in ("", "?secret=wrong"):
        _, answer = await client.get(f"/webhooks/mercadolibre/{query}")
        assert answer.status == 200 and answer.json == {"status": "ok"}
    monkeypatch.undo()
    _, answer = await client.get(f"/webhooks/mercadolibre/?secret={SECRET}")
    assert answer.json["status"] == "ok" and "intake" in answer.json


async def test_malformed_json_gets_a_reason_and_nothing_is_stored(client, channel) -> None:
    for body in (b"{not json", b"[]", b'{"topic": "messages"}', b"\xff\xfe"):
        answer = await post(client, body)
        assert 400 <= answer.status < 500 and answer.json["error"]
    assert stored(channel) == []
