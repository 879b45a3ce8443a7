"""The action server's Mercado Libre clients: one per store, one connection pool per process.

A marketplace conversation (`meli-<seller>-<pack>`, a sender id only the marketplace channel can
use) is served with its store's tokens; any other conversation (REST, shell) with the
deployment's configured seller (MELI_SELLER_ID), or MELI_ACCESS_TOKEN as it is.
"""

from __future__ import annotations

from meli import MeliClient, client_from_settings
from meli.sellers import SellerClients
from postsale import conversation_id, settings

_override: MeliClient | None = None  # set_client: tests point every conversation at their simulator
_default: MeliClient | None = None
_sellers: SellerClients | None = None


def get_client(sender_id: str | None = None) -> MeliClient:
    global _default, _sellers
    if _override is not None:
        return _override
    marketplace = settings.current().marketplace
    parsed = conversation_id.parse(sender_id or "")
    seller = parsed[0] if parsed else marketplace.seller_id
    if seller is None or (parsed is None and not marketplace.refresh_token):
        if _default is None:
            _default = client_from_settings()
        return _default
    if _sellers is None:
        _sellers = SellerClients(marketplace)
    return _sellers.client(seller)


def set_client(client: MeliClient | None) -> None:
    global _override, _default, _sellers
    _override, _default, _sellers = client, None, None
