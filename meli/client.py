"""Async Mercado Libre API client.

One place for the base URL, the Bearer token, timeouts and the retry policy, so actions (and the
marketplace channel later) never hand-roll HTTP. Retries cover what is worth retrying on this API:
429 `local_rate_limited`, 5xx and transport failures, with exponential backoff and jitter so a
throttled burst does not come back as a synchronized retry storm.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from meli.errors import MeliError, MeliUnavailable, error_from_response

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.mercadolibre.com"
Sleep = Callable[[float], Awaitable[None]]


class MeliClient:
    """Thin, typed access to the endpoints a post-sale bot needs."""

    def __init__(
        self,
        base_url: str = DEFAULT_API_URL,
        access_token: str | None = None,
        *,
        timeout: float = 5.0,
        max_retries: int = 3,
        backoff_base: float = 0.25,
        backoff_cap: float = 4.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            transport=transport,
            headers={"accept": "application/json"},
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> MeliClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def backoff_delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Full-jitter exponential backoff; a server-sent Retry-After is a floor."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2**attempt))
        delay = random.uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff_cap))
        return delay

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Any:
        """Send one logical request, retrying transient failures; returns decoded JSON."""
        attempt = 0
        while True:
            try:
                return await self._send_once(method, path, params, json, data, headers, auth)
            except MeliError as err:
                if not err.retryable or attempt >= self.max_retries:
                    raise
                delay = self.backoff_delay(attempt, err.retry_after)
                logger.warning(
                    "meli %s %s failed (%s); retry %d/%d in %.2fs",
                    method, path, err.status or err.code, attempt + 1, self.max_retries, delay,
                )
                attempt += 1
                await self._sleep(delay)

    async def _send_once(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        json: Any,
        data: dict[str, Any] | None,
        headers: dict[str, str] | None,
        auth: bool,
    ) -> Any:
        all_headers = dict(headers or {})
        if auth and self.access_token:
            all_headers["Authorization"] = f"Bearer {self.access_token}"
        try:
            response = await self._http.request(
                method, path, params=params, json=json, data=data, headers=all_headers
            )
        except httpx.TimeoutException as exc:
            raise MeliUnavailable(f"timeout: {type(exc).__name__}", code="timeout", path=path) from exc
        except httpx.TransportError as exc:
            raise MeliUnavailable(f"transport: {type(exc).__name__}", code="unreachable", path=path) from exc
        body = _decode(response)
        if response.is_success:
            if body is None and response.content:
                raise MeliUnavailable("invalid JSON", status=response.status_code, path=path)
            return body
        raise error_from_response(
            response.status_code, body, path, _retry_after(response.headers.get("retry-after"))
        )

    # --- orders and packs -------------------------------------------------------------------
    async def get_order(self, order_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/orders/{order_id}")

    async def get_pack(self, pack_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/packs/{pack_id}")

    # --- shipments --------------------------------------------------------------------------
    async def get_shipment(self, shipment_id: int | str) -> dict[str, Any]:
        return await self.request(
            "GET", f"/shipments/{shipment_id}", headers={"x-format-new": "true"}
        )

    async def get_lead_time(self, shipment_id: int | str) -> dict[str, Any]:
        return await self.request(
            "GET", f"/shipments/{shipment_id}/lead_time", headers={"x-format-new": "true"}
        )

    async def get_carrier(self, shipment_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/shipments/{shipment_id}/carrier")

    # --- invoices ---------------------------------------------------------------------------
    async def get_fiscal_documents(self, pack_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/packs/{pack_id}/fiscal_documents")

    # --- claims and returns -----------------------------------------------------------------
    async def search_claims(
        self, *, order_id: int | str | None = None, pack_id: int | str | None = None
    ) -> list[dict[str, Any]]:
        # The API refuses both filters at once; the pack covers all its orders.
        params: dict[str, Any] = {"pack_id": pack_id} if pack_id else {"order_id": order_id}
        body = await self.request("GET", "/post-purchase/v1/claims/search", params=params)
        return list((body or {}).get("data") or [])

    async def get_claim(self, claim_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/post-purchase/v1/claims/{claim_id}")

    async def get_returns(self, claim_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/post-purchase/v2/claims/{claim_id}/returns")


def _decode(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def client_from_env(**overrides: Any) -> MeliClient:
    """Build a client from MELI_API_URL / MELI_ACCESS_TOKEN / MELI_TIMEOUT / MELI_MAX_RETRIES."""
    kwargs: dict[str, Any] = {
        "base_url": os.environ.get("MELI_API_URL", DEFAULT_API_URL),
        "access_token": os.environ.get("MELI_ACCESS_TOKEN"),
        "timeout": float(os.environ.get("MELI_TIMEOUT", "5")),
        "max_retries": int(os.environ.get("MELI_MAX_RETRIES", "3")),
    }
    kwargs.update(overrides)
    return MeliClient(**kwargs)
