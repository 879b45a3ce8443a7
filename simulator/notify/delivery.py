"""Background delivery of notifications to the seller's callback URL (reference §1.4-§1.5).

Rules reproduced: POST JSON; only an HTTP 200 counts as delivered; anything else (other status,
connection error, no answer within the timeout) is retried with `attempts` incremented, up to 8
attempts, after which the notification is "lost" and only `GET /missed_feeds` returns it.
Production also delivers some notifications twice, which `duplicate_rate` reproduces. Delivery
runs in tasks so the request that caused the event (e.g. a buyer message) answers at once, and a
bot whose webhook calls back into the simulator cannot deadlock it.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from simulator.notify.config import MAX_ATTEMPTS, NotifyConfig
from simulator.notify.payloads import Notification
from simulator.sites import utc_now, utc_z

REQUEST_HEADERS = {"Content-Type": "application/json", "Accept": "application/json",
                   "User-Agent": "MercadoLibre-Simulator-Notifications/1.0"}
MAX_LOGGED_ATTEMPTS = 5000
MAX_BODY_CHARS = 2000
MISSED_FEEDS_KEPT = timedelta(days=2)  # "keeps only the last 2 days" (reference §1.5)


@dataclass(frozen=True)
class AttemptResult:
    """What the callback answered to one POST (http_code 0 when it did not answer at all)."""

    http_code: int
    req_time_ms: int
    body: str
    headers: dict[str, str]
    error: str | None = None


@dataclass(frozen=True)
class MissedFeed:
    """A lost notification as `GET /missed_feeds` shows it (entry), plus when it was lost."""

    lost_at: datetime
    topic: str
    entry: dict[str, Any]


class Notifier:
    """Queue, retry, log; one per simulator state."""

    def __init__(self, config: NotifyConfig | None = None, rng: random.Random | None = None) -> None:
        self.config = config or NotifyConfig()
        self.attempts: deque[dict[str, Any]] = deque(maxlen=MAX_LOGGED_ATTEMPTS)
        self.missed: list[MissedFeed] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._random = rng or random.Random()

    # -- lifecycle ----------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget the log and missed feeds and stop pending retries (the config is kept)."""
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()
        self.attempts.clear()
        self.missed.clear()

    @property
    def pending(self) -> int:
        """Notifications still being delivered or waiting for a retry."""
        return sum(not task.done() for task in self._tasks)

    async def close(self) -> None:
        """Cancel pending deliveries and close the HTTP client (app shutdown)."""
        tasks = list(self._tasks)
        self.clear()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- delivery -----------------------------------------------------------------------------
    def queue(self, note: Notification) -> bool:
        """Start delivering `note` in the background; False when no callback URL is configured."""
        if self.config.callback_url is None:
            return False
        task = asyncio.get_running_loop().create_task(self._deliver(note))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _deliver(self, note: Notification) -> None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if attempt > 1:
                await asyncio.sleep(self.config.delay_before(attempt))
            url, data, result = await self._attempt(note, attempt)
            if result.http_code == 200:
                if self._random.random() < self.config.duplicate_rate:
                    await self._post(note, attempt, url, data, duplicate=True)
                return
        self._lose(note, url, data, result)

    async def _attempt(self, note: Notification, attempt: int) -> tuple[str | None, str, AttemptResult]:
        url = self.config.callback_url  # read per attempt: a fixed webhook URL gets the retries
        data = json.dumps(note.body(attempt, utc_now(), self.config.id_key), ensure_ascii=False)
        return url, data, await self._post(note, attempt, url, data)

    async def _post(self, note: Notification, attempt: int, url: str | None, data: str, *,
                    duplicate: bool = False) -> AttemptResult:
        started = time.perf_counter()
        if url is None:
            result = AttemptResult(0, 0, "", {}, "no callback_url configured")
        else:
            result = await self._send(url, data, started)
        self.attempts.append({"_id": note.note_id, "topic": note.topic, "resource": note.resource,
                              "attempt": attempt, "http_code": result.http_code,
                              "req_time_ms": result.req_time_ms, "at": utc_z(utc_now()), "url": url,
                              "duplicate": duplicate, "error": result.error})
        return result

    async def _send(self, url: str, data: str, started: float) -> AttemptResult:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        timeout = aiohttp.ClientTimeout(total=self.config.timeout_seconds)
        try:
            async with self._session.post(url, data=data.encode(), headers=REQUEST_HEADERS,
                                          timeout=timeout) as resp:
                body = (await resp.read()).decode("utf-8", "replace")[:MAX_BODY_CHARS]
                return AttemptResult(resp.status, _elapsed_ms(started), body, dict(resp.headers))
        except asyncio.TimeoutError:
            return AttemptResult(0, _elapsed_ms(started), "", {}, "timeout")
        except (aiohttp.ClientError, OSError) as exc:
            return AttemptResult(0, _elapsed_ms(started), "", {}, f"{type(exc).__name__}: {exc}")

    def _lose(self, note: Notification, url: str | None, data: str, result: AttemptResult) -> None:
        sent = json.loads(data)
        entry = {"_id": note.note_id, "resource": note.resource, "user_id": note.user_id, "topic": note.topic,
                 "application_id": note.application_id, "attempts": sent["attempts"], "sent": sent["sent"],
                 "received": sent["received"],
                 "request": {"url": url, "headers": dict(REQUEST_HEADERS), "data": data},
                 "response": {"req_time": result.req_time_ms, "http_code": result.http_code,
                              "body": result.body or result.error or "", "headers": result.headers}}
        self.missed.append(MissedFeed(utc_now(), note.topic, entry))

    def missed_feeds(self, topic: str | None = None) -> list[dict[str, Any]]:
        """Lost notifications of the last 2 days, oldest first, optionally of one topic."""
        cutoff = utc_now() - MISSED_FEEDS_KEPT
        return [m.entry for m in self.missed if m.lost_at >= cutoff and (topic is None or m.topic == topic)]


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
