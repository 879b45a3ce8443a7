"""The `state` of a store's connect flow (OAuth authorization code with PKCE, reference §7.1).

A state is 256 random bits, stored only as its SHA-256, bound to the admin who started the flow
and to their browser (a cookie nonce, also stored hashed), usable once and for STATE_SECONDS.
It carries the PKCE verifier (sealed), so the code is worth nothing to whoever intercepts it.
The callback answers for one of these outcomes, and never half-connects a store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Column, Float, String, Table, select

from postsale import settings
from postsale.db import get_engine, metadata
from postsale.sealed import cipher_from_settings

STATE_SECONDS = 600.0
UNKNOWN, EXPIRED, REUSED, OTHER_BROWSER = "unknown_state", "expired_state", "reused_state", "other_browser"

oauth_states = Table(
    "oauth_states",
    metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("binding_hash", String(64), nullable=False),
    Column("admin", String(64), nullable=False),
    Column("site_id", String(8), nullable=False),
    Column("verifier", String(512), nullable=False),  # sealed
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("used_at", Float, nullable=True),
)


@dataclass(frozen=True)
class Started:
    state: str  # goes in the authorization URL
    binding: str  # goes in the admin's browser, as an HttpOnly cookie
    challenge: str  # PKCE S256 code_challenge


@dataclass(frozen=True)
class Pending:
    admin: str
    site_id: str
    verifier: str


class StateError(ValueError):
    """Why a callback's state cannot be used (UNKNOWN, EXPIRED, REUSED, OTHER_BROWSER)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def challenge_of(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def start(admin: str, site_id: str, now: float | None = None) -> Started:
    now = time.time() if now is None else now
    state, binding, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    with get_engine().begin() as conn:
        conn.execute(oauth_states.delete().where(oauth_states.c.expires_at < now - STATE_SECONDS))  # old ones
        conn.execute(oauth_states.insert().values(
            state_hash=_hash(state), binding_hash=_hash(binding), admin=admin, site_id=site_id,
            verifier=cipher_from_settings(settings.current()).seal(verifier), created_at=now,
            expires_at=now + STATE_SECONDS))
    return Started(state, binding, challenge_of(verifier))


def use(state: str, binding: str | None, now: float | None = None) -> Pending:
    """Spend the state (once, even when the rest of the callback fails) or raise StateError."""
    now = time.time() if now is None else now
    if not state or len(state) > 200:
        raise StateError(UNKNOWN)
    key = _hash(state)
    with get_engine().begin() as conn:
        row = conn.execute(select(oauth_states).where(oauth_states.c.state_hash == key)).first()
        if row is None:
            raise StateError(UNKNOWN)
        if row.used_at is not None:
            raise StateError(REUSED)
        if not binding or not hmac.compare_digest(row.binding_hash, _hash(binding)):
            raise StateError(OTHER_BROWSER)  # not spent: the right browser may still come back
        spent = conn.execute(oauth_states.update().where(
            (oauth_states.c.state_hash == key) & oauth_states.c.used_at.is_(None)).values(used_at=now)).rowcount
    if not spent:
        raise StateError(REUSED)
    if row.expires_at < now:
        raise StateError(EXPIRED)  # spent all the same (committed above)
    verifier = cipher_from_settings(settings.current()).open(row.verifier)
    if not verifier:
        raise StateError(UNKNOWN)
    return Pending(row.admin, row.site_id, verifier)
