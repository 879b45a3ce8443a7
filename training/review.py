"""The review queue: buyer messages agents say the bot misread, waiting for a trainer.

Agents mark messages in the inbox (`add`); trainers look at them and teach the accepted ones
(`pending`, `accept`, `reject`, command line in scripts/review.py). The queue is a JSON-lines
file outside the repository (`REVIEW_QUEUE_PATH`, default var/review_queue.jsonl) because it is
raw material, not training data: only `accept` turns an item into an NLU example.

What keeps the training data clean:

* texts are masked (`connectors.log_masking.mask`) before they are stored, and an item whose text
  still carries a placeholder is never taught as is: the placeholder would become a "word" of
  the intent. The trainer rewrites it (`accept ID --text "..."`), and that text is masked again.
* an example is inserted as one `    - text` line at the end of its intent's block, in the file
  that already holds the intent, so the file keeps its layout and the diff is one line.
* a text already taught in that language (case, accents and spacing ignored, as the validator
  does) is not added again; under another intent it is a conflict the trainer must settle.

The server appends while a trainer may be rewriting the file, so both hold an exclusive lock
on `<queue>.lock`; rewrites go through a temporary file and `os.replace`, never half written.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import yaml

from connectors.log_masking import mask
from training.validate import normalise

REPO = Path(__file__).resolve().parents[1]
DEFAULT_QUEUE = REPO / "var" / "review_queue.jsonl"
DEFAULT_DATA_DIR = REPO / "data" / "nlu"
DOMAIN = REPO / "domain.yml"
LANGUAGES = ("pt", "es")
PLACEHOLDERS = ("[email]", "[phone]", "[document]")
CHANNEL_PREFIX = "system_"
PENDING, ACCEPTED, DUPLICATE, REJECTED = "pending", "accepted", "duplicate", "rejected"
_INTENT_LINE = re.compile(r"^(?P<indent>\s*)-\s+intent:\s*(?P<name>[\"']?[\w\-]+[\"']?)\s*(?:#.*)?$")
_EXAMPLES_LINE = re.compile(r"^(?P<indent>\s*)examples:\s*\|[-+]?\s*(?:#.*)?$")


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
    """Read at call time, so tests and the server can point it elsewhere without reloading."""
    return Path(path or os.environ.get("REVIEW_QUEUE_PATH") or DEFAULT_QUEUE)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write(path: Path, items: list[dict[str, Any]]) -> None:
    _write_atomically(path, "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))


def _shown(path: Path) -> str:
    """Relative to the working directory when possible: trainers run the command from the repository."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def items(path: str | Path | None = None) -> list[dict[str, Any]]:
    return _read(queue_path(path))


def pending(path: str | Path | None = None) -> list[dict[str, Any]]:
    return [i for i in items(path) if i.get("status") == PENDING]


def marks(ticket_id: str, path: str | Path | None = None) -> dict[float, dict[str, Any]]:
    """The latest item of each message of a ticket, keyed by the message's timestamp (for the inbox page)."""
    found: dict[float, dict[str, Any]] = {}
    for item in items(path):
        if item.get("ticket_id") == ticket_id and item.get("message_at") is not None:
            found[round(float(item["message_at"]), 6)] = item
    return found


# --- adding (the inbox) --------------------------------------------------------------------------
def clean_text(text: str) -> str:
    """Masked and on one line: an example is one `- text` line of a literal block."""
    return " ".join(mask(str(text or "")).split())


def add(text: str, language: str, intent: str, *, agent: str, ticket_id: str | None = None,
        predicted_intent: str | None = None, predicted_confidence: float | None = None,
        message_at: float | None = None, path: str | Path | None = None) -> dict[str, Any]:
    """Queue a message, or replace the choice of a still pending item for the same message.

    Marking the same line twice (a double click, an agent changing their mind) must not give the
    trainer two items to settle.
    """
    item = _new_item(text, language, intent, agent=agent, ticket_id=ticket_id, predicted_intent=predicted_intent,
                     predicted_confidence=predicted_confidence, message_at=message_at)
    target = queue_path(path)
    with _locked(target):
        queued = _read(target)
        same = _same_message(queued, item)
        if same is None:
            item["id"] = _fresh_id({i["id"] for i in queued})
            with open(target, "a", encoding="utf-8") as out:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
            return item
        same.update({k: v for k, v in item.items() if k not in ("id", "created_at")}, updated_at=_now())
        _write(target, queued)
        return same


def _new_item(text: str, language: str, intent: str, **fields: Any) -> dict[str, Any]:
    stored = clean_text(text)
    if not stored:
        raise ReviewError("the message has no text")
    if language not in LANGUAGES:
        raise ReviewError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    if not intent or intent.startswith(CHANNEL_PREFIX):
        raise ReviewError(f"{intent!r} cannot be taught from text")
    confidence = fields.pop("predicted_confidence")
    message_at = fields.pop("message_at")
    return {"id": "", "text": stored, "language": language, "predicted_intent": fields.pop("predicted_intent"),
            "predicted_confidence": round(float(confidence), 4) if confidence is not None else None,
            "intent": intent, **fields, "message_at": float(message_at) if message_at is not None else None,
            "created_at": _now(), "status": PENDING}


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


# --- the NLU files ---------------------------------------------------------------------------------
@dataclass
class _Language:
    """Where each intent of one language lives and which texts it already has (normalised)."""

    files: dict[str, Path]
    texts: dict[str, set[str]]  # normalised text -> intents

    def intents_with(self, text: str) -> set[str]:
        return self.texts.get(normalise(text), set())

    def learn(self, text: str, intent: str) -> None:
        self.texts.setdefault(normalise(text), set()).add(intent)


def _nlu_files(data_dir: Path, language: str) -> list[Path]:
    folder = data_dir / language
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def _examples(block: str) -> list[str]:
    return [line.strip()[2:].strip() for line in str(block).splitlines() if line.strip().startswith("- ")]


def _load_language(data_dir: Path, language: str) -> _Language:
    known = _Language({}, {})
    for path in _nlu_files(data_dir, language):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in document.get("nlu") or []:
            if not isinstance(entry, dict) or "intent" not in entry:
                continue
            intent = str(entry["intent"])
            known.files.setdefault(intent, path)
            for text in _examples(entry.get("examples") or ""):
                known.learn(text, intent)
    return known


def insert_example(source: str, intent: str, text: str) -> str:
    """`source` with `- text` added as the last line of `intent`'s examples block, nothing else touched."""
    lines = source.splitlines(keepends=True)
    start = _block_start(lines, intent)
    key_indent = len(_EXAMPLES_LINE.match(lines[start].rstrip("\n")).group("indent"))  # type: ignore[union-attr]
    last, indent = start, " " * (key_indent + 2)
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if not stripped:
            continue
        current = len(lines[index]) - len(lines[index].lstrip())
        if current <= key_indent:
            break
        last, indent = index, lines[index][:current]
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines.insert(last + 1, f"{indent}- {text}\n")
    return "".join(lines)


def _block_start(lines: list[str], intent: str) -> int:
    """Index of the `examples: |` line of `intent`'s item."""
    for index, line in enumerate(lines):
        found = _INTENT_LINE.match(line.rstrip("\n"))
        if not found or found.group("name").strip("\"'") != intent:
            continue
        item_indent = len(found.group("indent"))
        for below in range(index + 1, len(lines)):
            stripped = lines[below].rstrip("\n")
            if not stripped.strip():
                continue
            if len(stripped) - len(stripped.lstrip()) <= item_indent:
                break
            if _EXAMPLES_LINE.match(stripped):
                return below
        raise ReviewError(f"intent {intent} has no `examples: |` block to add to")
    raise ReviewError(f"intent {intent} not found")


def _blocks(source: str) -> dict[str, list[str]]:
    document = yaml.safe_load(source) or {}
    return {str(e["intent"]): _examples(e.get("examples") or "")
            for e in document.get("nlu") or [] if isinstance(e, dict) and "intent" in e}


def _add_to_file(path: Path, intent: str, text: str) -> None:
    """Insert, then check the file still loads and only that block gained exactly that text, before writing."""
    source = path.read_text(encoding="utf-8")
    updated = insert_example(source, intent, text)
    expected = _blocks(source)
    expected[intent] = expected.get(intent, []) + [text]
    if _blocks(updated) != expected:
        raise ReviewError(f"inserting into {path} would not give the expected YAML; add the example by hand")
    _write_atomically(path, updated)


# --- accepting and rejecting (the trainer) ---------------------------------------------------------
def accept(ids: Iterable[str] | Literal["all"], data_dir: str | Path = DEFAULT_DATA_DIR, *,
           text: str | None = None, path: str | Path | None = None) -> list[Outcome]:
    """Teach the chosen items; `text` replaces the stored text of a single item (after masking)."""
    wanted = None if ids == "all" else list(ids)
    if text is not None and (wanted is None or len(wanted) != 1):
        raise ReviewError("--text needs exactly one item id")
    target, data = queue_path(path), Path(data_dir)
    languages: dict[str, _Language] = {}
    with _locked(target):
        queued = _read(target)
        selected = [i for i in queued if i.get("status") == PENDING] if wanted is None else \
            [_find(queued, item_id) for item_id in wanted]
        outcomes = []
        for item in selected:
            if isinstance(item, dict):
                if item["language"] not in languages:
                    languages[item["language"]] = _load_language(data, item["language"])
                item = _accept_one(item, languages[item["language"]], data, text)
            outcomes.append(item)
        _write(target, queued)
    return outcomes


def _find(queued: list[dict[str, Any]], item_id: str) -> dict[str, Any] | Outcome:
    for item in queued:
        if item.get("id") == item_id:
            if item.get("status") != PENDING:
                return Outcome(item_id, "not_pending", f"{item_id}: already {item.get('status')}, nothing to do")
            return item
    return Outcome(item_id, "not_found", f"{item_id}: no such item in the review queue")


def _accept_one(item: dict[str, Any], known: _Language, data_dir: Path, edited: str | None) -> Outcome:
    item_id, intent, lang = item["id"], item["intent"], item["language"]
    text = clean_text(edited) if edited is not None else item["text"]
    leftover = [p for p in PLACEHOLDERS if p in text]
    if leftover or not text:
        why = f"still contains {', '.join(leftover)}" if leftover else "is empty"
        return Outcome(item_id, "masked", f"{item_id}: not added, the text {why}; "
                                          f"rewrite it without personal data: accept {item_id} --text \"...\"")
    if intent not in known.files:
        return Outcome(item_id, "no_intent", f"{item_id}: no file of {_shown(data_dir / lang)} holds intent {intent}")
    file = known.files[intent]
    already = known.intents_with(text)
    if intent in already:
        item.update(status=DUPLICATE, reviewed_at=_now())
        return Outcome(item_id, "duplicate", f"{item_id}: duplicate, {_shown(file)} already has it under {intent}",
                       _shown(file))
    if already:
        return Outcome(item_id, "conflict", f"{item_id}: conflict, \"{text}\" is already an example of "
                                            f"{', '.join(sorted(already))} in {lang}; not added (reject it, "
                                            "or move the example by hand)")
    _add_to_file(file, intent, text)
    known.learn(text, intent)
    item.update(status=ACCEPTED, reviewed_at=_now(), file=_shown(file), **({"added_text": text} if edited else {}))
    return Outcome(item_id, "added", f"{item_id}: added to {_shown(file)} under {intent}: {text}", _shown(file))


def reject(ids: Iterable[str], path: str | Path | None = None) -> list[Outcome]:
    target = queue_path(path)
    with _locked(target):
        queued = _read(target)
        outcomes = []
        for item_id in ids:
            item = _find(queued, item_id)
            if isinstance(item, Outcome):
                outcomes.append(item)
                continue
            item.update(status=REJECTED, reviewed_at=_now())
            outcomes.append(Outcome(item_id, "rejected", f"{item_id}: rejected"))
        _write(target, queued)
    return outcomes


# --- which intents an agent may choose -------------------------------------------------------------
def intent_groups(domain_path: str | Path = DOMAIN) -> list[tuple[str, list[str]]]:
    """The domain's intents under the comment headings of its `intents:` list (Help, Complaint, ...).

    The headings are how the domain is organised for people, so the agent's picker follows them;
    `system_*` intents are sent by the channel, never typed, and are left out.
    """
    source = Path(domain_path).read_text(encoding="utf-8")
    declared = [next(iter(i)) if isinstance(i, dict) else str(i)
                for i in (yaml.safe_load(source) or {}).get("intents") or []]
    headings = _headings(source)
    groups: dict[str, list[str]] = {}
    for intent in declared:
        if not intent.startswith(CHANNEL_PREFIX):
            groups.setdefault(headings.get(intent, "other"), []).append(intent)
    return list(groups.items())


def _headings(source: str) -> dict[str, str]:
    """intent -> the last `# comment` above it inside the top-level `intents:` list."""
    found: dict[str, str] = {}
    heading, inside = "other", False
    for line in source.splitlines():
        if re.match(r"^intents:\s*(#.*)?$", line):
            inside = True
            continue
        if not inside or not line.strip():
            continue
        if not line[0].isspace() and not line.startswith(("-", "#")):
            break
        comment = re.match(r"^\s*#\s*(.+?)\s*$", line)
        entry = re.match(r"^\s*-\s*([\w\-]+)", line)
        if comment:
            heading = comment.group(1)
        elif entry:
            found[entry.group(1)] = heading
    return found


def selectable_intents(domain_path: str | Path = DOMAIN) -> set[str]:
    return {intent for _, names in intent_groups(domain_path) for intent in names}
