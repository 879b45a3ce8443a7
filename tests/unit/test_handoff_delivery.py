"""Handoff tickets reach the configured destinations: JSON-lines file and signed webhook."""

from __future__ import annotations

import json
import stat
import time
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from actions.delivery import deliver
from postsale import settings, signature
from postsale.settings import Handoff


async def test_webhook_receives_signed_ticket_and_file_gets_a_line(tmp_path) -> None:
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        received.append({"body": body, "signature": request.headers.get("x-signature-sha256"),
                         "timestamp": request.headers.get("x-signature-timestamp")})
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/hook", hook)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        ticket = {"id": "t-1", "interaction_type": "Complaint", "reason": "complaint_damaged"}
        path = tmp_path / "t.jsonl"
        targets = await deliver(
            ticket,
            Handoff(jsonl_path=str(path), webhook_url=str(server.make_url("/hook")), webhook_secret="s3"),
        )
    finally:
        await server.close()
    assert targets == ["jsonl", "webhook"]
    assert json.loads(path.read_text())["id"] == "t-1"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    got = received[0]
    assert abs(int(got["timestamp"]) - time.time()) < 5
    assert signature.verify("s3", got["body"], got["timestamp"], got["signature"])
    # the same request later, another body, another secret: all refused
    assert not signature.verify("s3", got["body"], got["timestamp"], got["signature"], now=time.time() + 301)
    assert not signature.verify("s3", got["body"] + b" ", got["timestamp"], got["signature"])
    assert not signature.verify("s4", got["body"], got["timestamp"], got["signature"])
    assert not signature.verify("s3", got["body"], str(int(got["timestamp"]) + 1), got["signature"])


async def test_unreachable_webhook_does_not_lose_the_file_copy(tmp_path) -> None:
    path = tmp_path / "t.jsonl"
    targets = await deliver({"id": "t-2"}, Handoff(jsonl_path=str(path), webhook_url="http://127.0.0.1:9/x"))
    assert targets == ["jsonl"]
    assert path.exists()


def test_destinations_come_from_endpoints_with_env_override(tmp_path, monkeypatch) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("handoff:\n  jsonl_path: a.jsonl\n  webhook_url: null\n")
    monkeypatch.setenv("RASA_ENDPOINTS", str(endpoints))
    monkeypatch.delenv("HANDOFF_JSONL_PATH", raising=False)
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)
    assert settings.load().handoff.jsonl_path == "a.jsonl"
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://example.invalid/h")
    assert settings.load().handoff.webhook_url == "http://example.invalid/h"
