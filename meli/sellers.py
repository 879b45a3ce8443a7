"""One API client per store, sharing one connection pool: what both servers use to act for a seller.

Every store has its own tokens (meli/tokens.py, keyed by seller), so a request for store A can
never carry store B's token, and one store's refresh failing (its seller revoked the app) marks
only that store disconnected. The clients share one httpx pool, so fifty stores cost fifty small
objects, not fifty pools.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy.engine import Engine

from meli.client import MeliClient
from meli.tokens import OAuthApp, TokenStore
from postsale.settings import Marketplace


class SellerClients:
    def __init__(self, marketplace: Marketplace, engine: Engine | None = None, *,
                 timeout: float | None = None, **client_options: Any) -> None:
        self.marketplace = marketplace
        self.engine = engine
        self.app = OAuthApp(marketplace.client_id, marketplace.client_secret) if marketplace.can_refresh else None  # type: ignore[arg-type]
        self.oauth = MeliClient(marketplace.api_url)  # POST /oauth/token, GET /users/me with a fresh token
        options = {"timeout": marketplace.timeout if timeout is None else timeout, **client_options}
        self.base = MeliClient(marketplace.api_url, **options)
        self._clients: dict[int, MeliClient] = {}

    def client(self, seller_id: int) -> MeliClient:
        """The client acting for this store (its tokens, the shared pool)."""
        seller_id = int(seller_id)
        found = self._clients.get(seller_id)
        if found is None:
            configured = seller_id == self.marketplace.seller_id
            tokens = TokenStore(
                seller_id, self.app, self.oauth, self.engine,
                initial_access_token=self.marketplace.access_token if configured else None,
                initial_refresh_token=self.marketplace.refresh_token if configured else None)
            found = copy.copy(self.base)  # the same httpx client: one pool for every store
            found.token_provider = tokens
            found.access_token = None
            self._clients[seller_id] = found
        return found

    def forget(self, seller_id: int) -> None:
        """Drop a store's cached token (it connected again: new tokens are in SQL)."""
        self._clients.pop(int(seller_id), None)

    async def aclose(self) -> None:
        await self.base.aclose()
        await self.oauth.aclose()
