"""Shared fixtures: a real simulator over loopback HTTP and a client pointed at it."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from aiohttp.test_utils import TestServer

from actions.api import set_client
from meli import MeliClient
from postsale import settings
from simulator import ACCESS_TOKEN, create_app
from testkit.stack import Stack
from testkit.trackers import make_tracker  # noqa: F401 - tests import it from here too

ROOT = Path(__file__).resolve().parents[1]

try:  # Rasa's Sanic apps refuse to start twice in one process unless in test mode.
    from sanic import Sanic

    Sanic.test_mode = True
except ImportError:  # pragma: no cover
    pass


class Simulator:
    """Handle on a running simulator: base URL plus its admin API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.admin = httpx.AsyncClient(base_url=base_url, timeout=10)

    async def fault(self, path: str, status: int | None = None, latency_ms: int = 0,
                    times: int | None = None, **extra: Any) -> None:
        body = {"path": path, "latency_ms": latency_ms, "times": times, **extra}
        if status is not None:
            body["status"] = status
        response = await self.admin.post("/_sim/faults", json=body)
        response.raise_for_status()

    async def requests(self) -> list[dict[str, Any]]:
        return (await self.admin.get("/_sim/requests")).json()

    async def reset(self) -> None:
        (await self.admin.post("/_sim/reset")).raise_for_status()


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Settings are read once per process; each test reads them again from its own environment."""
    settings.reset()
    yield
    settings.reset()


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    server = TestServer(create_app(), host="127.0.0.1")
    await server.start_server()
    sim = Simulator(str(server.make_url("")).rstrip("/"))
    try:
        yield sim
    finally:
        await sim.admin.aclose()
        await server.close()


@pytest.fixture
async def meli(simulator: Simulator) -> AsyncIterator[MeliClient]:
    async def no_sleep(_: float) -> None:
        return None

    client = MeliClient(simulator.base_url, ACCESS_TOKEN, timeout=2, max_retries=2, sleep=no_sleep)
    set_client(client)
    try:
        yield client
    finally:
        set_client(None)
        await client.aclose()


@pytest.fixture
def tickets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Handoff tickets go to a temporary JSON-lines file; returns a reader."""
    path = tmp_path / "handoffs.jsonl"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("handoff:\n  inbox: false\n")  # no business hours: people always there
    monkeypatch.setenv("RASA_ENDPOINTS", str(endpoints))
    monkeypatch.setenv("HANDOFF_JSONL_PATH", str(path))
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "")

    def read() -> list[dict[str, Any]]:
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    return read


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Rasa server + action server + simulator, shared by the end-to-end tests."""
    with Stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
