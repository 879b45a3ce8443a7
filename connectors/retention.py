"""Retention: what the product keeps about buyers is deleted once it is RETENTION_DAYS old.

Resolved tickets, the channel's intake (stored notifications, replies, conversation records),
the review queue, the JSON-lines ticket file and Rasa's stored conversations older than the
window go; a conversation with an open ticket stays, whatever its age, since a person is
still working on it. The Rasa server runs `purge` every 6 hours (`schedule`, started by the
channels); `python -m connectors retention [--days N] [--endpoints endpoints.yml]` runs it once,
e.g. from cron or after lowering the setting, and prints what it deleted. Deleting is
idempotent, so replicas purging at the same time do no harm.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import time
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_, func, inspect, select

from connectors.mercadolibre.intake import conversations, notifications, replies
from postsale import review_queue, settings, tickets
from postsale.db import get_engine
from postsale.files import drop_lines

logger = logging.getLogger(__name__)
DAY = 86400.0
INTERVAL_SECONDS = 6 * 3600.0
FIRST_RUN_SECONDS = 60.0  # after start, once the server is serving
_APP_FLAG = "retention_task"


def purge(days: float | None = None, now: float | None = None, tracker_engine: Any = None) -> dict[str, int]:
    """Delete what is older than `days` (default RETENTION_DAYS); returns counts per kind."""
    current = settings.current()
    days = current.retention_days if days is None else days
    cutoff = (time.time() if now is None else now) - days * DAY
    cutoff_dt = datetime.fromtimestamp(cutoff, timezone.utc)
    counts = {"tickets": tickets.purge_resolved_before(cutoff)}
    with get_engine().begin() as conn:
        counts["notifications"] = conn.execute(notifications.delete().where(and_(
            notifications.c.status.in_(("done", "failed")), notifications.c.received_at < cutoff))).rowcount
        counts["replies"] = conn.execute(replies.delete().where(replies.c.created_at < cutoff)).rowcount
        counts["conversations"] = conn.execute(conversations.delete().where(
            conversations.c.updated_at < cutoff)).rowcount
    counts["review_items"] = review_queue.purge_before(cutoff_dt)
    if current.handoff.jsonl_path:
        counts["jsonl_tickets"] = drop_lines(current.handoff.jsonl_path, lambda line: _created(line) < cutoff_dt)
    if tracker_engine is not None:
        counts["tracker_conversations"] = _purge_trackers(tracker_engine, cutoff)
    return counts


def _created(line: str) -> datetime:
    try:
        return datetime.fromisoformat(json.loads(line)["created_at"])
    except (ValueError, KeyError, TypeError):
        return datetime.max.replace(tzinfo=timezone.utc)  # unreadable: kept for a person to look at


def _purge_trackers(engine: Any, cutoff: float) -> int:
    """Whole conversations whose last event is older than the cutoff (a partial tracker would
    confuse the dialogue), except those a person is still working on."""
    from rasa.core.tracker_store import SQLTrackerStore

    events = SQLTrackerStore.SQLEvent.__table__
    if not inspect(engine).has_table(events.name):
        return 0  # no conversation stored yet
    keep = tickets.open_conversations()
    with engine.begin() as conn:
        stale = [r.sender_id for r in conn.execute(
            select(events.c.sender_id).group_by(events.c.sender_id).having(func.max(events.c.timestamp) < cutoff))
            if r.sender_id not in keep]
        for start in range(0, len(stale), 500):
            conn.execute(events.delete().where(events.c.sender_id.in_(stale[start:start + 500])))
    return len(stale)


def tracker_engine_of(tracker_store: Any) -> Any:
    """The SQLAlchemy engine of Rasa's SQL tracker store, through Rasa's wrappers; None for
    other stores (Redis, Mongo... keep their own expiry)."""
    seen = 0
    while tracker_store is not None and seen < 5:
        if hasattr(tracker_store, "engine") and hasattr(tracker_store, "SQLEvent"):
            return tracker_store.engine
        tracker_store = getattr(tracker_store, "_tracker_store", None)
        seen += 1
    return None


async def _run(app: Any) -> None:
    await asyncio.sleep(FIRST_RUN_SECONDS)
    while True:
        try:
            agent = getattr(app.ctx, "agent", None)
            engine = tracker_engine_of(getattr(agent, "tracker_store", None))
            counts = await asyncio.to_thread(purge, None, None, engine)
            if any(counts.values()):
                logger.info("retention (%s days): purged %s", settings.current().retention_days, counts)
        except Exception:  # noqa: BLE001 - the next run tries again; serving buyers goes on
            logger.exception("retention purge failed")
        await asyncio.sleep(INTERVAL_SECONDS)


def schedule(app: Any) -> None:
    """Start the periodic purge once per server, whichever channel asks first."""
    if getattr(app.ctx, _APP_FLAG, None) is None:
        setattr(app.ctx, _APP_FLAG, asyncio.get_event_loop().create_task(_run(app)))


async def stop(app: Any) -> None:
    task = getattr(app.ctx, _APP_FLAG, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def main(argv: list[str]) -> int:
    """`python -m connectors retention`: one purge now (settings already checked by the caller)."""
    parser = argparse.ArgumentParser(prog="python -m connectors retention", description="Purge data older than "
                                     "the retention window (RETENTION_DAYS) now.")
    parser.add_argument("--days", type=float, help="retention window in days (default: RETENTION_DAYS)")
    parser.add_argument("--endpoints", help="endpoints file with Rasa's tracker store (default: RASA_ENDPOINTS)")
    args = parser.parse_args(argv)
    if args.days is not None and args.days < 0:
        parser.error("--days must not be negative")
    current = settings.current()
    counts = purge(args.days, tracker_engine=_tracker_engine(args.endpoints or str(current.endpoints_path)))
    print(json.dumps({"days": current.retention_days if args.days is None else args.days, "purged": counts}))
    return 0


def _tracker_engine(endpoints: str) -> Any:
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints

    config = AvailableEndpoints.read_endpoints(endpoints).tracker_store
    return tracker_engine_of(TrackerStore.create(config)) if config else None
