"""Injected faults: make matching requests slow, fail, or both, a limited number of times.

Mercado Libre does not document a Retry-After header on 429, so none is sent unless a fault
asks for one with `retry_after` (seconds).

A fault with `probability` p < 1 fires on a matching request with chance p (drawn from its own
generator, seeded with `seed` when given, so a run can be replayed); when it does not fire, the
next matching fault is considered, so several rules over the same paths compose (e.g. 8% 500,
5% 429, 3% slow: a request meets at most one of them). `times` counts firings only.

This is how the bot's retry, backoff and "API is down, hand off to a human" paths are tested
without a real outage.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any


class FaultSpecError(ValueError):
    """The admin payload does not describe a usable fault."""


@dataclass
class Fault:
    """One rule; `times=None` means it never runs out."""

    fault_id: int
    path: str
    status: int | None = None
    latency_ms: int = 0
    times: int | None = None
    body: Any = None
    method: str | None = None
    retry_after: int | None = None
    probability: float = 1.0
    seed: int | None = None
    hits: int = 0
    matched: int = 0  # matching requests, fired or not (hits / matched is the observed rate)
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if self.seed is not None:
            self.rng = random.Random(self.seed)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return re.search(self.path, path) is not None

    def fires(self) -> bool:
        """Called once per matching request: does the fault apply to this one?"""
        self.matched += 1
        return self.probability >= 1.0 or self.rng.random() < self.probability

    def consume(self) -> None:
        self.hits += 1
        if self.times is not None:
            self.times -= 1

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.times <= 0

    def as_json(self) -> dict[str, Any]:
        return {"id": self.fault_id, "path": self.path, "status": self.status, "latency_ms": self.latency_ms,
                "times": self.times, "body": self.body, "method": self.method,
                "retry_after": self.retry_after, "probability": self.probability, "seed": self.seed,
                "hits": self.hits, "matched": self.matched}


def _int_or_none(payload: dict[str, Any], key: str) -> int | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FaultSpecError(f"'{key}' must be an integer or null")
    return value


def parse_fault(fault_id: int, payload: Any) -> Fault:
    """Validate the JSON posted to `/_sim/faults`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("path"), str):
        raise FaultSpecError("a JSON object with a 'path' regex is required")
    try:
        re.compile(payload["path"])
    except re.error as exc:
        raise FaultSpecError(f"invalid 'path' regex: {exc}") from exc
    status = _int_or_none(payload, "status")
    latency = _int_or_none(payload, "latency_ms") or 0
    times = _int_or_none(payload, "times")
    retry_after = _int_or_none(payload, "retry_after")
    if status is not None and not 400 <= status <= 599:
        raise FaultSpecError("'status' must be an HTTP error status (400-599)")
    if latency < 0 or (times is not None and times < 1) or (retry_after is not None and retry_after < 0):
        raise FaultSpecError("'latency_ms' and 'retry_after' must be >= 0, 'times' >= 1 or null")
    if status is None and latency == 0:
        raise FaultSpecError("give a 'status', a 'latency_ms', or both")
    method = payload.get("method")
    if method is not None and not isinstance(method, str):
        raise FaultSpecError("'method' must be a string")
    probability = payload.get("probability", 1.0)
    if isinstance(probability, bool) or not isinstance(probability, int | float) or not 0 < probability <= 1:
        raise FaultSpecError("'probability' must be a number in (0, 1]")
    seed = _int_or_none(payload, "seed")
    return Fault(fault_id, payload["path"], status, latency, times, payload.get("body"), method, retry_after,
                 float(probability), seed)
