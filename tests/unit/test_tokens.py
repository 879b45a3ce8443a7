"""Tokens: refreshed before use when expired, once for concurrent callers, persisted at once."""

from __future__ import annotations

import asyncio

from meli import MeliClient
from meli.tokens import OAuthApp, TokenStore
from postsale.db import get_engine
from simulator.constants import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN

SELLER = 123456789


def make_store(simulator, tmp_path, refresh=REFRESH_TOKEN, access=None) -> TokenStore:
    engine = get_engine(f"sqlite:///{tmp_path / 'tokens.db'}")
    return TokenStore(SELLER, OAuthApp(CLIENT_ID, CLIENT_SECRET), MeliClient(simulator.base_url, max_retries=0),
                      engine, initial_access_token=access, initial_refresh_token=refresh)


async def oauth_calls(simulator) -> int:
    return len([r for r in await simulator.requests() if r["path"] == "/oauth/token"])


async def test_refresh_token_only_gets_an_access_token_and_the_api_accepts_it(simulator, tmp_path) -> None:
    store = make_store(simulator, tmp_path)
    client = MeliClient(simulator.base_url, token_provider=store)
    order = await client.get_order(2000010000000201)
    assert order["id"] == 2000010000000201
    assert await oauth_calls(simulator) == 1
    await client.get_order(2000010000000201)
    assert await oauth_calls(simulator) == 1  # cached until it expires


async def test_concurrent_401s_refresh_once_and_new_refresh_token_is_stored(simulator, tmp_path) -> None:
    store = make_store(simulator, tmp_path)
    first = await store.token()
    await simulator.admin.post("/_sim/expire_tokens")
    results = await asyncio.gather(*(store.refresh(first) for _ in range(5)))
    assert len(set(results)) == 1 and results[0] != first
    assert await oauth_calls(simulator) == 2
    row = store._row()
    assert row.refresh_token != REFRESH_TOKEN  # the single-use token was replaced at once
    # a second store on the same database (another process) sees the new token, no refresh
    again = make_store(simulator, tmp_path)
    assert await again.token() == results[0]


async def test_client_retries_once_after_401_with_a_fresh_token(simulator, tmp_path) -> None:
    store = make_store(simulator, tmp_path)
    client = MeliClient(simulator.base_url, token_provider=store)
    await client.get_order(2000010000000201)
    await simulator.admin.post("/_sim/expire_tokens")
    assert (await client.get_order(2000010000000201))["id"] == 2000010000000201
    assert await oauth_calls(simulator) == 2
