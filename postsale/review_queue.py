"""The review queue: buyer messages agents say the bot misread, waiting for a trainer.

Agents mark messages in the inbox (`add`); trainers look at them and teach the accepted ones
(`pending`, `reject` here; `accept`, which writes NLU examples, in training/review.py; command
line in scripts/review.py). The queue is a JSON-lines file outside the repository
(`REVIEW_QUEUE_PATH`, default var/review_queue.jsonl) because it is raw material, not training
data: only `accept` turns an item into an NLU example.

Texts are masked (postsale.masking) before they are stored. The server appends while a trainer
may be rewriting the file, so both hold an exclusive lock on `<queue>.lock`; rewrites go through
a temporary file and `os.replace`, never half written.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from postsale import catalogue, settings
from postsale.files import PRIVATE, append_private
from postsale.masking import mask

PLACEHOLDERS = ("[email]", "[phone]", "[document]")
PENDING, ACCEPTED, DUPLICATE, REJECTED = "pending", "accepted", "duplicate", "rejected"


class ReviewError(ValueError):
    """A request the queue cannot honour; the message is meant for the person who made it."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one item, for the trainer to read (`ok` is False when it still needs them)."""

    id: str
    result: str  # added | duplicate | conflict | masked | no_intent | not_found | not_pending | rejected
    message: str
    file: str | None = None

    @property
    def ok(self) -> bool:
        return self.result in ("added", "duplicate", "rejected")


# --- the queue file ----------------------------------------------------------------------------
def queue_path(path: str | Path | None = None) -> Path:
    return Path(path or settings.current().review_queue_path)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with append_private(path.with_name(path.name + ".lock")) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, PRIVATE)  # mkstemp's 0600, kept whatever the old file's mode was
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write(path: Path, items: list[dict[str, Any]]) -> None:
    write_atomically(path, "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def items(path: str | Path | None = None) -> list[dict[str, Any]]:
    return read(queue_path(path))


def pending(path: str | Path | None = None) -> list[dict[str, Any]]:
    return [i for i in items(path) if i.get("status") == PENDING]


def marks(ticket_id: str, path: str | Path | None = None) -> dict[float, dict[str, Any]]:
    """The latest item of each message of a ticket, keyed by the message's timestamp (for the inbox page)."""
    found: dict[float, dict[str, Any]] = {}
    for item in items(path):
        if item.get("ticket_id") == ticket_id and item.get("message_at") is not None:
            found[round(float(item["message_at"]), 6)] = item
    return found


def selectable_intents() -> set[str]:
    """The intents an agent may choose for a misread message: what a buyer can type."""
    return set(catalogue.TYPED_INTENTS)


# --- adding (the inbox) --------------------------------------------------------------------------
def clean_text(text: str) -> str:
    """Masked and on one line: an example is one `- text` line of a literal block."""
    return " ".join(mask(str(text or "")).split())


def add(text: str, language: str, intent: str, *, agent: str, ticket_id: str | None = None,
        predicted_intent: str | None = None, predicted_confidence: float | None = None,
        message_at: float | None = None, path: str | Path | None = None,
        seller_id: int | None = None) -> dict[str, Any]:
    """Queue a message, or replace the choice of a still pending item for the same message.

    Marking the same line twice (a double click, an agent changing their mind) must not give the
    trainer two items to settle.
    """
    item = _new_item(text, language, intent, agent=agent, ticket_id=ticket_id, predicted_intent=predicted_intent,
                     predicted_confidence=predicted_confidence, message_at=message_at, seller_id=seller_id)
    target = queue_path(path)
    with locked(target):
        queued = read(target)
        same = _same_message(queued, item)
        if same is None:
            item["id"] = _fresh_id({i["id"] for i in queued})
            with append_private(target) as out:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
            return item
        same.update({k: v for k, v in item.items() if k not in ("id", "created_at")}, updated_at=now())
        write(target, queued)
        return same


def _new_item(text: str, language: str, intent: str, **fields: Any) -> dict[str, Any]:
    stored = clean_text(text)
    if not stored:
        raise ReviewError("the message has no text")
    if language not in catalogue.LANGUAGES:
        raise ReviewError(f"language must be one of {', '.join(catalogue.LANGUAGES)}, not {language!r}")
    if not intent or intent.startswith(catalogue.CHANNEL_PREFIX):
        raise ReviewError(f"{intent!r} cannot be taught from text")
    confidence = fields.pop("predicted_confidence")
    message_at = fields.pop("message_at")
    return {"id": "", "text": stored, "language": language, "predicted_intent": fields.pop("predicted_intent"),
            "predicted_confidence": round(float(confidence), 4) if confidence is not None else None,
            "intent": intent, **fields, "message_at": float(message_at) if message_at is not None else None,
            "created_at": now(), "status": PENDING}


def _same_message(queued: list[dict[str, Any]], item: dict[str, Any]) -> dict[str, Any] | None:
    if item["ticket_id"] is None or item["message_at"] is None:
        return None
    for other in queued:
        if (other.get("status") == PENDING and other.get("ticket_id") == item["ticket_id"]
                and other.get("message_at") is not None
                and abs(float(other["message_at"]) - item["message_at"]) < 1e-6):
            return other
    return None


def _fresh_id(taken: set[str]) -> str:
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in taken:
            return candidate


# --- settling (the trainer) ----------------------------------------------------------------------
def find(queued: list[dict[str, Any]], item_id: str) -> dict[str, Any] | Outcome:
    for item in queued:
        if item.get("id") == item_id:
            if item.get("status") != PENDING:
                return Outcome(item_id, "not_pending", f"{item_id}: already {item.get('status')}, nothing to do")
            return item
    return Outcome(item_id, "not_found", f"{item_id}: no such item in the review queue")


def reject(ids: Iterable[str], path: str | Path | None = None) -> list[Outcome]:
    target = queue_path(path)
    with locked(target):
        queued = read(target)
        outcomes = []
        for item_id in ids:
            item = find(queued, item_id)
            if isinstance(item, Outcome):
                outcomes.append(item)
                continue
            item.update(status=REJECTED, reviewed_at=now())
            outcomes.append(Outcome(item_id, "rejected", f"{item_id}: rejected"))
        write(target, queued)
    return outcomes


def purge_before(cutoff: datetime, path: str | Path | None = None) -> int:
    """Drop items last touched before `cutoff` (retention); returns how many went."""
    target = queue_path(path)
    if not target.exists():
        return 0
    with locked(target):
        queued = read(target)
        kept = [i for i in queued if _touched(i) >= cutoff]
        if len(kept) != len(queued):
            write(target, kept)
    return len(queued) - len(kept)


def _touched(item: dict[str, Any]) -> datetime:
    stamp = item.get("updated_at") or item.get("created_at")
    try:
        return datetime.fromisoformat(str(stamp))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)  # unreadable: old enough to go
