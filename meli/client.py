"""Async Mercado Libre API client.

One place for the base URL, the Bearer token, timeouts and the retry policy, so actions (and the
marketplace channel later) never hand-roll HTTP. Retries cover what is worth retrying on this API:
429 `local_rate_limited`, 5xx and transport failures, with exponential backoff and jitter so a
throttled burst does not come back as a synchronized retry storm.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections.abc import Awaitable, Callable
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from meli.errors import MeliError, MeliInvalidId, MeliUnavailable, error_from_response
from postsale import ids, settings
from postsale.settings import DEFAULT_API_URL, Marketplace

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Attachment ids are file names (`210438685_59f0...2482.jpg`): no path separator, no leading dot.
_ATTACHMENT_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}")
_REASON_ID = re.compile(r"[A-Z]{1,8}[0-9]{1,8}")
CLAIM_PARTS = ("detail", "affects-reputation", "messages")


class Download:
    """A file the API returned: bytes and the content type it declared (checked by the caller)."""

    def __init__(self, content: bytes, content_type: str) -> None:
        self.content, self.content_type = content, content_type.split(";")[0].strip().lower()


def _id(value: int | str | None, kind: str) -> str:
    """A path segment from an id: digits only (postsale.ids), quoted all the same."""
    valid = ids.valid(value)
    if valid is None:
        raise MeliInvalidId(f"not a {kind} id", status=404, code="invalid_id", path=f"/{kind}s/?")
    return quote(valid, safe="")


def _attachment_id(value: str) -> str:
    if not isinstance(value, str) or not _ATTACHMENT_ID.fullmatch(value) or ".." in value:
        raise MeliInvalidId("not an attachment id", status=404, code="invalid_id", path="/attachments/?")
    return quote(value, safe="")


def _message_id(value: str) -> str:
    if not isinstance(value, str) or not _MESSAGE_ID.fullmatch(value):
        raise MeliInvalidId("not a message id", status=404, code="invalid_id", path="/messages/?")
    return quote(value, safe="")


class TokenProvider(Protocol):
    """Supplies access tokens; the marketplace channel's token store implements it."""

    async def token(self) -> str: ...

    async def refresh(self, rejected: str) -> str:
        """Return a valid token after `rejected` got a 401 (refreshing unless already done)."""
        ...


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
        token_provider: TokenProvider | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.token_provider = token_provider
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
        retry_ambiguous: bool = True,
        files: dict[str, Any] | None = None,
        raw: bool = False,
    ) -> Any:
        """Send one logical request, retrying transient failures; returns decoded JSON.

        With a token provider, a 401 triggers one refresh and one retry (tokens expire early
        when the seller changes password or the app secret rotates). `retry_ambiguous=False`
        raises at once when the request may have been carried out without an answer (see
        MeliUnavailable.ambiguous), for POSTs that must not happen twice.
        """
        attempt = 0
        refreshed = False
        token = await self._token() if auth else None
        while True:
            try:
                return await self._send_once(method, path, params, json, data, headers, token, files, raw)
            except MeliError as err:
                if err.status == 401 and auth and self.token_provider and not refreshed and token:
                    refreshed = True
                    token = await self.token_provider.refresh(token)
                    continue
                if not err.retryable or attempt >= self.max_retries:
                    raise
                if not retry_ambiguous and getattr(err, "ambiguous", False):
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
        token: str | None,
        files: dict[str, Any] | None = None,
        raw: bool = False,
    ) -> Any:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        try:
            response = await self._http.request(
                method, path, params=params, json=json, data=data, headers=all_headers, files=files
            )
        except httpx.TransportError as exc:
            timeout = isinstance(exc, httpx.TimeoutException)
            error = MeliUnavailable(f"{'timeout' if timeout else 'transport'}: {type(exc).__name__}",
                                    code="timeout" if timeout else "unreachable", path=path)
            # Sent, but no answer: the server may have done it. Not when it never got the request.
            error.ambiguous = not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
            raise error from exc
        if raw and response.is_success:  # a file: its bytes and the type the API says it is
            return Download(response.content, response.headers.get("content-type") or "application/octet-stream")
        body = _decode(response)
        if response.is_success:
            if body is None and response.content:
                raise MeliUnavailable("invalid JSON", status=response.status_code, path=path)
            return body
        raise error_from_response(
            response.status_code, body, path, _retry_after(response.headers.get("retry-after"))
        )

    async def _token(self) -> str | None:
        if self.token_provider:
            return await self.token_provider.token()
        return self.access_token

    # --- orders and packs -------------------------------------------------------------------
    async def get_order(self, order_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/orders/{_id(order_id, 'order')}")

    async def get_pack(self, pack_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/packs/{_id(pack_id, 'pack')}")

    # --- shipments --------------------------------------------------------------------------
    async def get_shipment(self, shipment_id: int | str) -> dict[str, Any]:
        return await self.request(
            "GET", f"/shipments/{_id(shipment_id, 'shipment')}", headers={"x-format-new": "true"}
        )

    async def get_lead_time(self, shipment_id: int | str) -> dict[str, Any]:
        return await self.request(
            "GET", f"/shipments/{_id(shipment_id, 'shipment')}/lead_time", headers={"x-format-new": "true"}
        )

    async def get_carrier(self, shipment_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/shipments/{_id(shipment_id, 'shipment')}/carrier")

    # --- invoices ---------------------------------------------------------------------------
    async def get_fiscal_documents(self, pack_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/packs/{_id(pack_id, 'pack')}/fiscal_documents")

    # --- claims and returns -----------------------------------------------------------------
    async def search_claims(
        self, *, order_id: int | str | None = None, pack_id: int | str | None = None
    ) -> list[dict[str, Any]]:
        # The API refuses both filters at once; the pack covers all its orders.
        params: dict[str, Any] = {"pack_id": _id(pack_id, "pack")} if pack_id else {"order_id": _id(order_id, "order")}
        body = await self.request("GET", "/post-purchase/v1/claims/search", params=params)
        return list((body or {}).get("data") or [])

    async def get_claim(self, claim_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/post-purchase/v1/claims/{_id(claim_id, 'claim')}")

    async def get_returns(self, claim_id: int | str) -> dict[str, Any]:
        return await self.request("GET", f"/post-purchase/v2/claims/{_id(claim_id, 'claim')}/returns")

    async def get_claim_part(self, claim_id: int | str, part: str) -> Any:
        """`detail`, `affects-reputation` or `messages` of a claim (CLAIM_PARTS)."""
        if part not in CLAIM_PARTS:
            raise ValueError(f"not a claim sub-resource: {part}")
        return await self.request("GET", f"/post-purchase/v1/claims/{_id(claim_id, 'claim')}/{part}")

    async def get_claim_reason(self, reason_id: str) -> dict[str, Any]:
        if not _REASON_ID.fullmatch(str(reason_id)):
            raise ValueError(f"invalid claim reason id: {reason_id!r}")
        return await self.request("GET", f"/post-purchase/v1/claims/reasons/{reason_id}")

    async def send_claim_message(self, claim_id: int | str, receiver_role: str, text: str,
                                 attachments: list[str] | None = None) -> dict[str, Any]:
        """Write in the claim (to the buyer in stage claim, to the mediator in a dispute); no retry
        of an unanswered POST: the caller reads the claim's messages instead."""
        body: dict[str, Any] = {"receiver_role": receiver_role, "message": text}
        if attachments:
            body["attachments"] = attachments
        return await self.request("POST", f"/post-purchase/v1/claims/{_id(claim_id, 'claim')}/actions/send-message",
                                  json=body, retry_ambiguous=False)

    async def upload_claim_attachment(self, claim_id: int | str, name: str, content: bytes,
                                      content_type: str) -> dict[str, Any]:
        return await self.request("POST", f"/post-purchase/v1/claims/{_id(claim_id, 'claim')}/attachments",
                                  files={"file": (name, content, content_type)}, retry_ambiguous=False)

    async def download_claim_attachment(self, claim_id: int | str, attachment_id: str) -> Download:
        return await self.request("GET", f"/post-purchase/v1/claims/{_id(claim_id, 'claim')}/attachments/"
                                  f"{_attachment_id(attachment_id)}/download", raw=True)

    # --- post-sale messages -----------------------------------------------------------------
    async def get_message(self, message_id: str) -> dict[str, Any]:
        return await self.request(
            "GET", f"/messages/{_message_id(message_id)}", params={"tag": "post_sale"},
            headers={"x-format-new": "true"},
        )

    async def get_pack_messages(
        self, pack_id: int | str, seller_id: int | str, limit: int = 10, offset: int = 0
    ) -> dict[str, Any]:
        """The thread and its conversation_status, without marking messages as read."""
        return await self.request(
            "GET", f"/messages/packs/{_id(pack_id, 'pack')}/sellers/{_id(seller_id, 'user')}",
            params={"tag": "post_sale", "mark_as_read": "false", "limit": limit, "offset": offset},
        )

    async def send_message(
        self, pack_id: int | str, seller_id: int | str, to_user_id: int | str, text: str,
        *, retry_ambiguous: bool = True, attachments: list[str] | None = None,
    ) -> dict[str, Any]:
        """Post a reply; the caller must read `status` (a moderated reply is still HTTP 200).

        The messaging API has no idempotency key: with `retry_ambiguous=False` a POST that got no
        answer raises MeliUnavailable(ambiguous) instead of being sent again, so the caller can
        look in the thread first (connectors/mercadolibre/output.py does).
        """
        body: dict[str, Any] = {"from": {"user_id": str(seller_id)}, "to": {"user_id": str(to_user_id)}, "text": text}
        if attachments:  # left out entirely when there are none (reference 2.4)
            body["attachments"] = attachments
        return await self.request(
            "POST", f"/messages/packs/{_id(pack_id, 'pack')}/sellers/{_id(seller_id, 'user')}",
            params={"tag": "post_sale"}, json=body, retry_ambiguous=retry_ambiguous,
        )

    async def upload_attachment(self, site_id: str, name: str, content: bytes, content_type: str) -> dict[str, Any]:
        """Upload a file for a post-sale message; it must be linked to a message within 48 h."""
        return await self.request("POST", "/messages/attachments", params={"tag": "post_sale", "site_id": site_id},
                                  files={"file": (name, content, content_type)}, retry_ambiguous=False)

    async def download_attachment(self, site_id: str, attachment_id: str) -> Download:
        return await self.request("GET", f"/messages/attachments/{_attachment_id(attachment_id)}",
                                  params={"tag": "post_sale", "site_id": site_id}, raw=True)

    async def missed_feeds(
        self, app_id: int | str, topic: str | None = None, offset: int = 0, limit: int = 10
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"app_id": app_id, "offset": offset, "limit": limit}
        if topic:
            params["topic"] = topic
        body = await self.request("GET", "/missed_feeds", params=params)
        return list((body or {}).get("messages") or [])

    # --- OAuth ------------------------------------------------------------------------------
    async def refresh_token(self, client_id: str, client_secret: str, refresh_token: str) -> dict[str, Any]:
        """Exchange a (single-use) refresh token for a new access + refresh token pair."""
        return await self.request(
            "POST", "/oauth/token", auth=False,
            data={"grant_type": "refresh_token", "client_id": client_id,
                  "client_secret": client_secret, "refresh_token": refresh_token},
            headers={"content-type": "application/x-www-form-urlencoded"},
        )

    async def exchange_code(self, client_id: str, client_secret: str, code: str, redirect_uri: str,
                            code_verifier: str) -> dict[str, Any]:
        """The connect flow's authorization code (PKCE S256) for the store's first token pair."""
        return await self.request(
            "POST", "/oauth/token", auth=False, retry_ambiguous=False,
            data={"grant_type": "authorization_code", "client_id": client_id, "client_secret": client_secret,
                  "code": code, "redirect_uri": redirect_uri, "code_verifier": code_verifier},
            headers={"content-type": "application/x-www-form-urlencoded"},
        )

    async def me(self) -> dict[str, Any]:
        """`GET /users/me` with this client's token: the store it acts for."""
        return await self.request("GET", "/users/me")

    async def get_me(self, access_token: str) -> dict[str, Any]:
        """`GET /users/me` with a given token: who just authorised the app (id, nickname, site)."""
        return await self.request("GET", "/users/me", auth=False, headers={"Authorization": f"Bearer {access_token}"})


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


def client_from_settings(marketplace: Marketplace | None = None, **overrides: Any) -> MeliClient:
    """A client for this deployment's seller (postsale.settings, MELI_* variables).

    With a seller id plus a refresh token, tokens come from the shared SQL token store, so the
    action server uses the token the marketplace channel refreshed; otherwise MELI_ACCESS_TOKEN
    is used as is.
    """
    config = marketplace or settings.current().marketplace
    kwargs: dict[str, Any] = {
        "base_url": config.api_url,
        "access_token": config.access_token,
        "timeout": config.timeout,
        "max_retries": config.max_retries,
    }
    if config.seller_id is not None and config.refresh_token:
        from meli.tokens import OAuthApp, TokenStore

        app = OAuthApp(config.client_id, config.client_secret) if config.can_refresh else None  # type: ignore[arg-type]
        kwargs["token_provider"] = TokenStore(
            config.seller_id, app, MeliClient(config.api_url),
            initial_access_token=config.access_token, initial_refresh_token=config.refresh_token,
        )
    kwargs.update(overrides)
    return MeliClient(**kwargs)
