"""The channel asks Mercado Libre for a thread's state once per OPEN_THREAD_SECONDS while it is
open, and every time while it is blocked (connectors/mercadolibre/processing.py)."""

from __future__ import annotations

from connectors.mercadolibre import processing
from connectors.mercadolibre.processing import Processor
from simulator import SCENARIOS

SELLER = 123456789


class OneStore:
    """The seeded store's real client, as the channel's SellerClients would give it."""

    def __init__(self, client) -> None:
        self._client = client

    def client(self, seller_id: int):
        assert seller_id == SELLER
        return self._client


async def _thread_gets(simulator, pack: str) -> int:
    return sum(1 for r in await simulator.requests()
               if r["method"] == "GET" and r["path"].startswith(f"/messages/packs/{pack}/sellers/"))


async def test_an_open_thread_is_not_asked_again_a_blocked_one_always(simulator, meli, monkeypatch) -> None:
    pack = str(SCENARIOS["shipped"].pack_id or SCENARIOS["shipped"].order_id)
    processor = Processor(OneStore(meli), None, on_new_message=None)  # type: ignore[arg-type]
    assert (await processor._thread_status(SELLER, pack)).get("status") == "active"
    assert (await processor._thread_status(SELLER, pack)).get("status") == "active"
    assert await _thread_gets(simulator, pack) == 1  # the second answer came from memory

    await simulator.admin.post(f"/_sim/conversations/{pack}/status",
                               json={"status": "blocked", "substatus": "blocked_by_mediation"})
    monkeypatch.setattr(processing, "OPEN_THREAD_SECONDS", 0.0)  # the open state has expired
    blocked = await processor._thread_status(SELLER, pack)
    assert (blocked["status"], blocked["substatus"]) == ("blocked", "blocked_by_mediation")
    monkeypatch.setattr(processing, "OPEN_THREAD_SECONDS", 30.0)
    assert (await processor._thread_status(SELLER, pack)).get("status") == "blocked"  # not remembered
    assert await _thread_gets(simulator, pack) == 3
