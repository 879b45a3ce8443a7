"""Teaching accepted review-queue items: each becomes one line of data/nlu/<lang>/.

The queue itself (postsale.review_queue) is shared with the inbox; accepting is the trainers'
job (scripts/review.py). What keeps the training data clean:

* an item whose text still carries a masking placeholder is never taught as is: the placeholder
  would become a "word" of the intent. The trainer rewrites it (`accept ID --text "..."`), and
  that text is masked again.
* an example is inserted as one `    - text` line at the end of its intent's block, in the file
  that already holds the intent, so the file keeps its layout and the diff is one line.
* a text already taught in that language (case, accents and spacing ignored, as the validator
  does) is not added again; under another intent it is a conflict the trainer must settle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from postsale.nlu_examples import example_lines, nlu_files
from postsale.review_queue import (
    ACCEPTED,
    DUPLICATE,
    PENDING,
    PLACEHOLDERS,
    Outcome,
    ReviewError,
    clean_text,
    find,
    locked,
    now,
    queue_path,
    read,
    write,
    write_atomically,
)
from training.validate import normalise

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO / "data" / "nlu"
_INTENT_LINE = re.compile(r"^(?P<indent>\s*)-\s+intent:\s*(?P<name>[\"']?[\w\-]+[\"']?)\s*(?:#.*)?$")
_EXAMPLES_LINE = re.compile(r"^(?P<indent>\s*)examples:\s*\|[-+]?\s*(?:#.*)?$")


def _shown(path: Path) -> str:
    """Relative to the working directory when possible: trainers run the command from the repository."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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


def _load_language(data_dir: Path, language: str) -> _Language:
    known = _Language({}, {})
    for path in nlu_files(data_dir, language):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in document.get("nlu") or []:
            if not isinstance(entry, dict) or "intent" not in entry:
                continue
            intent = str(entry["intent"])
            known.files.setdefault(intent, path)
            for text in example_lines(entry.get("examples") or ""):
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
    return {str(e["intent"]): example_lines(e.get("examples") or "")
            for e in document.get("nlu") or [] if isinstance(e, dict) and "intent" in e}


def _add_to_file(path: Path, intent: str, text: str) -> None:
    """Insert, then check the file still loads and only that block gained exactly that text, before writing."""
    source = path.read_text(encoding="utf-8")
    updated = insert_example(source, intent, text)
    expected = _blocks(source)
    expected[intent] = expected.get(intent, []) + [text]
    if _blocks(updated) != expected:
        raise ReviewError(f"inserting into {path} would not give the expected YAML; add the example by hand")
    write_atomically(path, updated)


# --- accepting and rejecting (the trainer) ---------------------------------------------------------
def accept(ids: Iterable[str] | Literal["all"], data_dir: str | Path = DEFAULT_DATA_DIR, *,
           text: str | None = None, path: str | Path | None = None) -> list[Outcome]:
    """Teach the chosen items; `text` replaces the stored text of a single item (after masking)."""
    wanted = None if ids == "all" else list(ids)
    if text is not None and (wanted is None or len(wanted) != 1):
        raise ReviewError("--text needs exactly one item id")
    target, data = queue_path(path), Path(data_dir)
    languages: dict[str, _Language] = {}
    with locked(target):
        queued = read(target)
        selected = [i for i in queued if i.get("status") == PENDING] if wanted is None else \
            [find(queued, item_id) for item_id in wanted]
        outcomes = []
        for item in selected:
            if isinstance(item, dict):
                if item["language"] not in languages:
                    languages[item["language"]] = _load_language(data, item["language"])
                item = _accept_one(item, languages[item["language"]], data, text)
            outcomes.append(item)
        write(target, queued)
    return outcomes


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
        item.update(status=DUPLICATE, reviewed_at=now())
        return Outcome(item_id, "duplicate", f"{item_id}: duplicate, {_shown(file)} already has it under {intent}",
                       _shown(file))
    if already:
        return Outcome(item_id, "conflict", f"{item_id}: conflict, \"{text}\" is already an example of "
                                            f"{', '.join(sorted(already))} in {lang}; not added (reject it, "
                                            "or move the example by hand)")
    _add_to_file(file, intent, text)
    known.learn(text, intent)
    item.update(status=ACCEPTED, reviewed_at=now(), file=_shown(file), **({"added_text": text} if edited else {}))
    return Outcome(item_id, "added", f"{item_id}: added to {_shown(file)} under {intent}: {text}", _shown(file))
