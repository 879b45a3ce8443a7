"""OAuth tokens at rest: sealed with MELI_TOKEN_KEY, never in clear in the table, rows from an
older release (in clear) still read and sealed on the next refresh, a wrong key said plainly."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from meli import MeliClient
from meli.tokens import OAuthApp, TokenStore, tokens
from postsale import settings
from postsale.db import get_engine
from postsale.sealed import TokenCipher, cipher_from_settings
from simulator.constants import ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN

SELLER = 123456789
KEY, OTHER_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw_row(engine):
    with engine.connect() as conn:
        return conn.execute(select(tokens).where(tokens.c.seller_id == SELLER)).first()


def store(simulator, engine, key: str = KEY, **initial) -> TokenStore:
    return TokenStore(SELLER, OAuthApp(CLIENT_ID, CLIENT_SECRET), MeliClient(simulator.base_url, max_retries=0),
                      engine, cipher=TokenCipher([key]), **initial)


async def test_no_token_is_stored_in_clear_and_the_api_still_works(simulator, tmp_path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'tokens.db'}")
    tokens_store = store(simulator, engine, initial_refresh_token=REFRESH_TOKEN)
    row = raw_row(engine)
    assert row.refresh_token.startswith("fernet:") and REFRESH_TOKEN not in row.refresh_token
    client = MeliClient(simulator.base_url, token_provider=tokens_store)
    assert (await client.get_order(2000010000000201))["id"] == 2000010000000201
    row = raw_row(engine)
    fresh = await tokens_store.token()
    assert row.access_token.startswith("fernet:") and fresh not in row.access_token
    assert row.refresh_token.startswith("fernet:")
    assert "APP_USR" not in str(tuple(row)) and "TG-" not in str(tuple(row))


async def test_a_row_stored_in_clear_is_read_then_sealed_on_refresh(simulator, tmp_path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'tokens.db'}")
    with engine.begin() as conn:  # as an older release left it
        conn.execute(tokens.insert().values(seller_id=SELLER, access_token=ACCESS_TOKEN, refresh_token=REFRESH_TOKEN,
                                            expires_at=None, updated_at=0.0))
    tokens_store = store(simulator, engine)
    assert await tokens_store.token() == ACCESS_TOKEN
    await simulator.admin.post("/_sim/expire_tokens")
    await tokens_store.refresh(ACCESS_TOKEN)
    row = raw_row(engine)
    assert row.access_token.startswith("fernet:") and row.refresh_token.startswith("fernet:")


async def test_rotated_keys_still_open_old_tokens(simulator, tmp_path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'tokens.db'}")
    store(simulator, engine, key=KEY, initial_access_token="APP_USR-old")
    rotated = TokenCipher([OTHER_KEY, KEY])
    assert rotated.open(raw_row(engine).access_token) == "APP_USR-old"
    assert TokenCipher([OTHER_KEY]).open(raw_row(engine).access_token) is None  # a wrong key opens nothing


def test_a_malformed_key_stops_the_start() -> None:
    with pytest.raises(settings.SettingsError, match="MELI_TOKEN_KEY must be Fernet keys"):
        settings.load({"MELI_TOKEN_KEY": "not-a-key", "RASA_ENDPOINTS": "/nonexistent"})
    assert settings.load({"MELI_TOKEN_KEY": f"{KEY},{OTHER_KEY}", "RASA_ENDPOINTS": "/x"}).token_key


def test_local_mode_generates_a_private_key_file_once(tmp_path) -> None:
    key_file = tmp_path / "var" / "token.key"
    local = settings.load({"RASA_ENDPOINTS": "/nonexistent"})
    first = cipher_from_settings(local, key_file)
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    sealed = first.seal("APP_USR-x")
    assert cipher_from_settings(local, key_file).open(sealed) == "APP_USR-x"
    production = settings.load({"RASA_ENDPOINTS": "/nonexistent", "POSTSALE_MODE": "production"})
    with pytest.raises(RuntimeError, match="MELI_TOKEN_KEY is required in production"):
        cipher_from_settings(production, tmp_path / "other.key")


def test_servers_starting_together_share_one_local_key(tmp_path) -> None:
    """The action server and the Rasa server start at once: both must end with the same key."""
    import concurrent.futures

    key_file = tmp_path / "var" / "token.key"
    local = settings.load({"RASA_ENDPOINTS": "/nonexistent"})
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        ciphers = list(pool.map(lambda _: cipher_from_settings(local, key_file), range(32)))
    sealed = ciphers[0].seal("APP_USR-x")
    assert all(c.open(sealed) == "APP_USR-x" for c in ciphers)
    assert [p.name for p in key_file.parent.iterdir()] == ["token.key"]
