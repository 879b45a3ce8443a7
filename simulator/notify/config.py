"""Runtime settings of the notification push (`POST /_sim/config`, `--callback-url`).

Mercado Libre retries an unanswered notification for one hour (8 attempts, reference §1.4). A test
cannot wait an hour, so the schedule is configurable and scaled down by default; the number of
attempts stays 8 so a bot sees the same sequence of `attempts` values as in production.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

MAX_ATTEMPTS = 8
# Seconds to wait before attempts 2..8 (production spreads them over an hour).
DEFAULT_RETRY_DELAYS: tuple[float, ...] = (1, 2, 4, 8, 16, 32, 60)
# Without an answer within this time the attempt counts as failed (MeLi asks for 500 ms; we allow 2 s).
DEFAULT_TIMEOUT_SECONDS = 2.0
ID_KEYS = ("_id", "id")


class ConfigError(ValueError):
    """A `/_sim/config` body the simulator refuses (answered with 400)."""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _callback_url(value: Any) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value) if isinstance(value, str) else None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError("'callback_url' must be an http(s) URL or null")
    return value


def _retry_delays(value: Any) -> list[float]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_ATTEMPTS - 1:
        raise ConfigError(f"'retry_delays' must be a list of 1 to {MAX_ATTEMPTS - 1} numbers of seconds")
    delays = [_number(v) for v in value]
    if any(d is None or d < 0 for d in delays):
        raise ConfigError("'retry_delays' entries must be non-negative numbers")
    return [d for d in delays if d is not None]


def _rate(value: Any) -> float:
    rate = _number(value)
    if rate is None or not 0.0 <= rate <= 1.0:
        raise ConfigError("'duplicate_rate' must be a number between 0 and 1")
    return rate


def _timeout(value: Any) -> float:
    seconds = _number(value)
    if seconds is None or seconds <= 0:
        raise ConfigError("'timeout_seconds' must be a positive number")
    return seconds


def _id_key(value: Any) -> str:
    if value not in ID_KEYS:
        raise ConfigError("'id_key' must be '_id' or 'id'")
    return str(value)


_PARSERS = {"callback_url": _callback_url, "retry_delays": _retry_delays, "duplicate_rate": _rate,
            "timeout_seconds": _timeout, "id_key": _id_key}


@dataclass
class NotifyConfig:
    """Where and how notifications are pushed; survives `/_sim/reset` (it is set up, not state)."""

    callback_url: str | None = None
    retry_delays: list[float] = field(default_factory=lambda: list(DEFAULT_RETRY_DELAYS))
    duplicate_rate: float = 0.0
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    # The docs spell the notification id `_id` in general and `id` in the messages example (§1.3).
    id_key: str = "_id"

    def update(self, body: Any) -> None:
        """Apply a partial `/_sim/config` body; nothing changes unless every key is valid."""
        if not isinstance(body, dict) or not body:
            raise ConfigError(f"a JSON object with any of {sorted(_PARSERS)} is required")
        unknown = sorted(set(body) - set(_PARSERS))
        if unknown:
            raise ConfigError(f"unknown config keys: {unknown}")
        parsed = {key: _PARSERS[key](value) for key, value in body.items()}
        for key, value in parsed.items():
            setattr(self, key, value)

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before `attempt` (2..8); a short list repeats its last entry."""
        index = min(attempt - 2, len(self.retry_delays) - 1)
        return self.retry_delays[index]

    def as_json(self) -> dict[str, Any]:
        return {"callback_url": self.callback_url, "retry_delays": list(self.retry_delays),
                "duplicate_rate": self.duplicate_rate, "timeout_seconds": self.timeout_seconds,
                "id_key": self.id_key, "max_attempts": MAX_ATTEMPTS}
