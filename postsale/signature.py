"""The handoff webhook's signature: HMAC-SHA256 over `timestamp.body`.

The timestamp is inside what is signed, so a captured request cannot be replayed later: a
receiver accepts a signature only within WINDOW_SECONDS of its own clock. `verify` is what a
receiver runs (README shows it); the tests use it to prove what `actions/delivery.py` sends.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "x-signature-timestamp"
SIGNATURE_HEADER = "x-signature-sha256"
WINDOW_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, body, timestamp)}


def verify(secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float | None = None,
           window: float = WINDOW_SECONDS) -> bool:
    """True only for this body, signed with this secret, within `window` seconds of now."""
    if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > window:
        return False
    return hmac.compare_digest(sign(secret, body, int(timestamp)), signature)
