"""Typed errors carrying Mercado Libre's own error body.

Callers branch on the class (not found vs. the API being unwell) and the handoff ticket keeps
`code`/`message` so an agent can see what the marketplace said, not just an HTTP number.
"""

from __future__ import annotations

from typing import Any


class MeliError(Exception):
    """Any failure talking to Mercado Libre."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        code: str | None = None,
        body: dict[str, Any] | None = None,
        path: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.body = body or {}
        self.path = path
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return False

    def as_dict(self) -> dict[str, Any]:
        """A loggable summary (no tokens, no payloads with buyer data)."""
        return {
            "kind": type(self).__name__,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "path": self.path,
        }

    def __str__(self) -> str:
        return f"{type(self).__name__}({self.status} {self.code}: {self.message} [{self.path}])"


class MeliNotFound(MeliError):
    """The resource does not exist (or not for this seller)."""


class MeliInvalidId(MeliNotFound):
    """Not an id (`../users/me`, `1 OR 1=1`): refused before any request, read as "no such resource"."""


class MeliAuthError(MeliError):
    """401/403: token missing, expired, revoked or not allowed."""


class MeliBadRequest(MeliError):
    """4xx other than 401/403/404/429: our request is wrong, retrying will not help."""


class MeliRateLimited(MeliError):
    """429 local_rate_limited."""

    @property
    def retryable(self) -> bool:
        return True


class MeliServerError(MeliError):
    """5xx from Mercado Libre."""

    @property
    def retryable(self) -> bool:
        return True


class MeliUnavailable(MeliError):
    """No usable HTTP answer: timeout, connection refused, invalid JSON.

    `ambiguous` is set when the request was sent but no answer came back (read timeout, connection
    dropped): Mercado Libre may have carried it out, so a POST must not simply be sent again.
    """

    ambiguous: bool = False

    @property
    def retryable(self) -> bool:
        return True


def error_from_response(
    status: int, body: Any, path: str, retry_after: float | None = None
) -> MeliError:
    """Map a non-2xx answer to a typed error.

    Mercado Libre uses several body shapes (generic, messaging, claims search); the machine code is
    read from `cause`, then `error`, then `code`, as integrators do.
    """
    data: dict[str, Any] = body if isinstance(body, dict) else {}
    code: str | None = None
    cause = data.get("cause")
    if isinstance(cause, str) and cause:
        code = cause
    elif isinstance(cause, list) and cause and isinstance(cause[0], dict):
        code = cause[0].get("code") or None
    code = code or data.get("error") or data.get("code")
    message = str(data.get("message") or data.get("error_description") or f"HTTP {status}")
    cls: type = MeliBadRequest
    if status == 404:
        cls = MeliNotFound
    elif status in (401, 403):
        cls = MeliAuthError
    elif status == 429:
        cls = MeliRateLimited
    elif status >= 500:
        cls = MeliServerError
    return cls(message, status=status, code=code, body=data, path=path, retry_after=retry_after)
