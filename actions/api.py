"""The action server's single Mercado Libre client (one connection pool per process)."""

from __future__ import annotations

from meli import MeliClient, client_from_settings

_client: MeliClient | None = None


def get_client() -> MeliClient:
    global _client
    if _client is None:
        _client = client_from_settings()
    return _client


def set_client(client: MeliClient | None) -> None:
    """Tests point the actions at their own simulator instance."""
    global _client
    _client = client
