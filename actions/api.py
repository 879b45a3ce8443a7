"""The action server's single Mercado Libre client (one connection pool per process)."""

from __future__ import annotations

from typing import Optional

from meli import MeliClient, client_from_env

_client: Optional[MeliClient] = None


def get_client() -> MeliClient:
    global _client
    if _client is None:
        _client = client_from_env()
    return _client


def set_client(client: Optional[MeliClient]) -> None:
    """Tests point the actions at their own simulator instance."""
    global _client
    _client = client
