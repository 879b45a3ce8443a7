"""OAuth tokens per seller, kept in SQL and refreshed by exactly one caller at a time.

Mercado Libre's refresh tokens are single-use: if two workers refresh at once, the loser holds
a dead token and the seller's integration stops. So the refresh runs inside a write
transaction that first takes the row's write lock (a no-op UPDATE, which works on SQLite and
PostgreSQL alike) and the new pair is
committed before anyone uses it; callers that were waiting see the new token and skip their
own refresh. Both tokens are stored encrypted (postsale/sealed.py); only this module opens them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import BigInteger, Column, Float, String, Table, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from meli.errors import MeliAuthError, MeliError
from postsale import settings, stores
from postsale.db import get_engine, metadata
from postsale.sealed import TokenCipher, cipher_from_settings

logger = logging.getLogger(__name__)
EARLY_REFRESH_SECONDS = 300
CACHE_SECONDS = 30.0  # how long a token read from SQL is trusted without reading it again
STORE_DISCONNECTED = "store_disconnected"  # MeliAuthError.code: the store must connect again

tokens = Table(
    "meli_tokens",
    metadata,
    Column("seller_id", BigInteger, primary_key=True),
    Column("access_token", String(512), nullable=True),
    Column("refresh_token", String(512), nullable=True),
    Column("expires_at", Float, nullable=True),
    Column("updated_at", Float, nullable=False),
)


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str


class TokenStore:
    """TokenProvider for MeliClient, backed by the `meli_tokens` table."""

    def __init__(
        self,
        seller_id: int,
        app: OAuthApp | None,
        oauth_client: Any,
        engine: Engine | None = None,
        initial_access_token: str | None = None,
        initial_refresh_token: str | None = None,
        cipher: TokenCipher | None = None,
    ) -> None:
        self.seller_id = int(seller_id)
        self.app = app
        self.oauth = oauth_client  # a MeliClient without token provider (POST /oauth/token)
        self.engine = engine or get_engine()
        self.cipher = cipher or cipher_from_settings(settings.current())
        self._lock = asyncio.Lock()
        self._cached: tuple[str, float | None, float] | None = None  # token, expires_at, read at
        self.configured_refresh = initial_refresh_token
        self._seed(initial_access_token, initial_refresh_token)

    def _seed(self, access: str | None, refresh: str | None) -> None:
        """First start: store the configured tokens unless the table already has newer ones."""
        try:
            with self.engine.begin() as conn:
                row = conn.execute(select(tokens).where(tokens.c.seller_id == self.seller_id)).first()
                if row is None and (access or refresh):
                    conn.execute(tokens.insert().values(
                        seller_id=self.seller_id, access_token=self.cipher.seal(access),
                        refresh_token=self.cipher.seal(refresh),
                        expires_at=None if refresh is None or access else 0.0, updated_at=time.time()))
        except IntegrityError:
            pass  # another replica starting at the same time seeded it first (PostgreSQL)

    def _row(self) -> Any:
        with self.engine.connect() as conn:
            return self._opened(conn.execute(select(tokens).where(tokens.c.seller_id == self.seller_id)).first())

    def _opened(self, row: Any) -> Any:
        """The row with its tokens decrypted (a row stored in clear reads as it is)."""
        if row is None:
            return None
        return SimpleNamespace(**{**row._mapping, "access_token": self.cipher.open(row.access_token),
                                  "refresh_token": self.cipher.open(row.refresh_token)})

    async def token(self) -> str:
        # Every API call asks for the token: reading it from SQL each time was a transaction per
        # call (five per buyer message). It is kept in memory for CACHE_SECONDS; a token another
        # process refreshed meanwhile costs one 401, after which refresh() reads the new one.
        now = time.time()
        if self._cached and now - self._cached[2] < CACHE_SECONDS and (
                self._cached[1] is None or self._cached[1] - EARLY_REFRESH_SECONDS > now):
            return self._cached[0]
        row = await asyncio.to_thread(self._row)
        if row is None:
            raise MeliAuthError("no token configured for seller", status=401, code="no_token")
        expiring = row.expires_at is not None and row.expires_at - EARLY_REFRESH_SECONDS < time.time()
        if row.access_token and not expiring:
            self._cached = (row.access_token, row.expires_at, now)
            return row.access_token
        return await self.refresh(row.access_token or "")

    async def refresh(self, rejected: str) -> str:
        self._cached = None
        async with self._lock:  # one refresh per process; the SQL transaction covers processes
            return await self._refresh_locked(rejected)

    async def _refresh_locked(self, rejected: str) -> str:
        if not self.app:
            raise MeliAuthError("access token rejected and no refresh credentials", status=401,
                                code="no_refresh_credentials")
        with self.engine.connect() as conn:
            tx = conn.begin()
            try:
                mine = tokens.c.seller_id == self.seller_id
                conn.execute(tokens.update().where(mine).values(updated_at=tokens.c.updated_at))
                row = self._opened(conn.execute(select(tokens).where(mine)).first())
                if row is None or not row.refresh_token:
                    raise MeliAuthError("no refresh token stored", status=401, code="no_refresh_token")
                fresh = row.expires_at is None or row.expires_at - EARLY_REFRESH_SECONDS > time.time()
                if row.access_token and row.access_token != rejected and fresh:
                    tx.commit()
                    return row.access_token  # somebody else refreshed meanwhile
                try:
                    body = await self._exchange(row.refresh_token)
                except MeliError as err:
                    if err.code != "invalid_grant":
                        raise
                    # The seller revoked the app, changed password, or the token aged out: only
                    # the seller can fix it, by connecting the store again (the admin page).
                    tx.rollback()
                    if stores.disconnect(self.seller_id, "invalid_grant: connect the store again"):
                        logger.warning("store %s disconnected: its refresh token was refused", self.seller_id)
                    raise MeliAuthError("the store's authorization was revoked or expired", status=401,
                                        code=STORE_DISCONNECTED) from err
                conn.execute(tokens.update().where(tokens.c.seller_id == self.seller_id).values(
                    access_token=self.cipher.seal(body["access_token"]),
                    refresh_token=self.cipher.seal(body["refresh_token"]),
                    expires_at=time.time() + float(body.get("expires_in") or 21600),
                    updated_at=time.time()))
                tx.commit()
            except BaseException:
                tx.rollback()
                raise
        logger.info("access token refreshed for seller %s", self.seller_id)
        return body["access_token"]

    async def _exchange(self, stored: str) -> dict[str, Any]:
        """Use the stored refresh token; if it was rejected and the operator configured a
        different one (the seller authorised the app again), use that instead."""
        assert self.app is not None
        try:
            return await self.oauth.refresh_token(self.app.client_id, self.app.client_secret, stored)
        except MeliError as err:
            if err.code != "invalid_grant" or not self.configured_refresh or self.configured_refresh == stored:
                raise
            logger.warning("stored refresh token rejected; using the configured one")
            return await self.oauth.refresh_token(self.app.client_id, self.app.client_secret,
                                                  self.configured_refresh)


def store_tokens(seller_id: int, body: dict[str, Any], engine: Engine | None = None,
                 cipher: TokenCipher | None = None) -> None:
    """The tokens of an authorization-code exchange (the connect flow), sealed, replacing any the
    store had: a reconnected store's old refresh token is dead anyway."""
    engine = engine or get_engine()
    cipher = cipher or cipher_from_settings(settings.current())
    values = {"access_token": cipher.seal(body["access_token"]),
              "refresh_token": cipher.seal(body.get("refresh_token")),
              "expires_at": time.time() + float(body.get("expires_in") or 21600), "updated_at": time.time()}
    with engine.begin() as conn:
        if not conn.execute(tokens.update().where(tokens.c.seller_id == int(seller_id)).values(**values)).rowcount:
            conn.execute(tokens.insert().values(seller_id=int(seller_id), **values))
