"""The review queue without a live stack: agents' marks in, trainers' accepted examples out."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from postsale import catalogue, review_queue
from postsale.nlu_examples import normalise
from training import review

ROOT = Path(__file__).resolve().parents[2]
DAMAGED = "o liquidificador chegou com a jarra toda rachada e vazando agua"
NO_REFUND_ES = "me cancelaron la compra hace dos semanas y la plata sigue sin volver"


@pytest.fixture(autouse=True)
def real_data_untouched() -> Iterator[None]:
    """Every test works on a copy: a wrong default must fail here, not edit the repository's data."""
    before = {p: p.read_bytes() for p in (ROOT / "data" / "nlu").rglob("*.yml")}
    yield
    assert {p: p.read_bytes() for p in (ROOT / "data" / "nlu").rglob("*.yml")} == before


@pytest.fixture
def queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "var" / "review.jsonl"
    monkeypatch.setenv("REVIEW_QUEUE_PATH", str(path))
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "nlu"
    shutil.copytree(ROOT / "data" / "nlu", copy)
    return copy


def examples(path: Path) -> dict[str, list[str]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {e["intent"]: [line.strip()[2:] for line in e["examples"].splitlines() if line.strip()]
            for e in document["nlu"]}


def occurrences(data_dir: Path, lang: str, text: str) -> list[tuple[str, str]]:
    """(file name, intent) of every example of that language equal to `text` (normalised)."""
    return [(path.name, intent) for path in sorted((data_dir / lang).glob("*.yml"))
            for intent, texts in examples(path).items() for t in texts if normalise(t) == normalise(text)]


def mark(text: str, lang: str = "pt", intent: str = "complaint_damaged", **extra: object) -> dict:
    return review_queue.add(text, lang, intent, agent="ana", ticket_id="t-1", predicted_intent="order_status",
                      predicted_confidence=0.41, **extra)


def test_an_item_is_stored_masked_with_what_the_trainer_needs(queue: Path) -> None:
    item = mark("meu email é fulano@example.com e o tel (11) 98765-4321", message_at=1_700_000_000.25)
    stored = json.loads(queue.read_text().splitlines()[0])
    assert stored == item
    assert item["text"] == "meu email é [email] e o tel [phone]"
    assert "fulano" not in queue.read_text() and "98765" not in queue.read_text()
    assert {k: item[k] for k in ("language", "intent", "predicted_intent", "predicted_confidence", "agent",
                                 "ticket_id", "status")} == {
        "language": "pt", "intent": "complaint_damaged", "predicted_intent": "order_status",
        "predicted_confidence": 0.41, "agent": "ana", "ticket_id": "t-1", "status": "pending"}
    assert item["created_at"].startswith("20") and "T" in item["created_at"]
    assert [i["id"] for i in review_queue.pending()] == [item["id"]]


@pytest.mark.parametrize("text, lang, intent", [
    ("", "pt", "greet"), ("oi", "fr", "greet"), ("oi", "pt", "system_handoff"), ("oi", "pt", ""),
])
def test_items_that_cannot_be_taught_are_refused(queue: Path, text: str, lang: str, intent: str) -> None:
    with pytest.raises(review.ReviewError):
        review_queue.add(text, lang, intent, agent="ana")
    assert review_queue.pending() == []


def test_marking_the_same_message_again_replaces_the_choice(queue: Path) -> None:
    first = mark(DAMAGED, message_at=12.5)
    again = mark(DAMAGED, intent="complaint_not_as_described", message_at=12.5)
    assert again["id"] == first["id"]
    assert [(i["id"], i["intent"]) for i in review_queue.pending()] == [(first["id"], "complaint_not_as_described")]


def test_accept_adds_the_text_once_under_its_intent_and_touches_nothing_else(queue: Path, data_dir: Path) -> None:
    before = {p: p.read_text(encoding="utf-8") for p in data_dir.rglob("*.yml")}
    pt, es = mark(DAMAGED), mark(NO_REFUND_ES, "es", "complaint_no_refund")

    outcomes = review.accept("all", data_dir)

    assert [(o.id, o.result) for o in outcomes] == [(pt["id"], "added"), (es["id"], "added")]
    assert occurrences(data_dir, "pt", DAMAGED) == [("complaints.yml", "complaint_damaged")]
    assert occurrences(data_dir, "es", NO_REFUND_ES) == [("complaints.yml", "complaint_no_refund")]
    changed = {p for p, text in before.items() if p.read_text(encoding="utf-8") != text}
    assert changed == {data_dir / "pt" / "complaints.yml", data_dir / "es" / "complaints.yml"}
    for path in changed:  # one line more, at the end of the block, the rest byte for byte
        old, new = before[path].splitlines(), path.read_text(encoding="utf-8").splitlines()
        added = [line for line in new if line not in old]
        assert len(new) == len(old) + 1 and len(added) == 1 and added[0].startswith("    - ")
        assert [line for line in new if line != added[0]] == old
        old_items = yaml.safe_load(before[path])["nlu"]
        new_items = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
        intent = "complaint_damaged" if path.parent.name == "pt" else "complaint_no_refund"
        assert [i["intent"] for i in new_items] == [i["intent"] for i in old_items]
        for old_item, new_item in zip(old_items, new_items):
            if old_item["intent"] != intent:
                assert new_item == old_item
            else:
                assert new_item["examples"].splitlines()[-1] == added[0].strip()
    assert review_queue.pending() == []
    assert {i["status"] for i in review_queue.items()} == {"accepted"}


def test_accepting_the_same_text_again_is_a_duplicate(queue: Path, data_dir: Path) -> None:
    review.accept([mark(DAMAGED)["id"]], data_dir)
    second = mark(DAMAGED.upper().replace("AGUA", "ÁGUA") + "  ")

    [outcome] = review.accept([second["id"]], data_dir)

    assert outcome.result == "duplicate" and "duplicate" in outcome.message and outcome.ok
    assert occurrences(data_dir, "pt", DAMAGED) == [("complaints.yml", "complaint_damaged")]
    assert review_queue.pending() == []  # nothing left to do for it
    [again] = review.accept([second["id"]], data_dir)
    assert again.result == "not_pending" and not again.ok


def test_a_text_taught_under_another_intent_is_a_conflict_and_stays_pending(queue: Path, data_dir: Path) -> None:
    taught = examples(data_dir / "pt" / "help.yml")["order_status"][0]
    item = mark(taught, intent="complaint_not_received")

    [outcome] = review.accept([item["id"]], data_dir)

    assert outcome.result == "conflict" and "order_status" in outcome.message and not outcome.ok
    assert occurrences(data_dir, "pt", taught) == [("help.yml", "order_status")]
    assert [i["id"] for i in review_queue.pending()] == [item["id"]]


def test_the_same_text_in_the_other_language_is_no_conflict(queue: Path, data_dir: Path) -> None:
    taught = examples(data_dir / "pt" / "help.yml")["order_status"][0]
    [outcome] = review.accept([mark(taught, "es", "complaint_not_received")["id"]], data_dir)
    assert outcome.result == "added"


def test_masked_text_is_refused_unless_the_trainer_rewrites_it(queue: Path, data_dir: Path) -> None:
    before = {p: p.read_text(encoding="utf-8") for p in data_dir.rglob("*.yml")}
    item = mark("o carregador veio queimado, me liga no 11 98765-4321")
    assert "[phone]" in item["text"]

    [refused] = review.accept([item["id"]], data_dir)
    assert refused.result == "masked" and "--text" in refused.message
    [still_personal] = review.accept([item["id"]], data_dir, text="o carregador veio queimado, meu cpf 123.456.789-09")
    assert still_personal.result == "masked"
    assert {p: p.read_text(encoding="utf-8") for p in data_dir.rglob("*.yml")} == before

    [added] = review.accept([item["id"]], data_dir, text="o carregador veio queimado, nem liga")
    assert added.result == "added"
    assert occurrences(data_dir, "pt", "o carregador veio queimado, nem liga") == [
        ("complaints.yml", "complaint_damaged")]
    assert review_queue.items()[0]["added_text"] == "o carregador veio queimado, nem liga"
    with pytest.raises(review.ReviewError):
        review.accept("all", data_dir, text="one text for many items")


def test_reject_closes_the_item_without_touching_the_data(queue: Path, data_dir: Path) -> None:
    item = mark(DAMAGED)
    [outcome] = review_queue.reject([item["id"]])
    assert outcome.result == "rejected"
    assert review_queue.pending() == [] and review_queue.items()[0]["status"] == "rejected"
    assert review.accept("all", data_dir) == []
    assert occurrences(data_dir, "pt", DAMAGED) == []
    assert review_queue.reject(["nope"])[0].result == "not_found"


def test_insert_keeps_the_layout_of_the_file() -> None:
    source = ('version: "3.1"\n\nnlu:\n- intent: a\n  examples: |\n    - one\n    - two\n\n'
              "# the b block\n- intent: b\n  examples: |\n    - three\n")
    assert review.insert_example(source, "a", "new") == source.replace("    - two\n", "    - two\n    - new\n")
    assert review.insert_example(source, "b", "new").endswith("    - three\n    - new\n")
    with pytest.raises(review.ReviewError):
        review.insert_example(source, "c", "new")


def test_the_agent_picker_offers_the_catalogue_groups_without_channel_intents() -> None:
    groups = dict(catalogue.INTENT_GROUPS)
    assert list(groups)[:3] == ["Help", "Complaint", "conversation"]
    assert "order_status" in groups["Help"] and "complaint_damaged" in groups["Complaint"]
    assert "greet" in groups["conversation"]
    assert not any(i.startswith("system_") for names in groups.values() for i in names)


# --- the command line --------------------------------------------------------------------------------
def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "review.py"), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_cli_list_accept_and_reject(queue: Path, data_dir: Path) -> None:
    empty = run("--queue", queue, "list")
    assert empty.returncode == 0 and "No pending items" in empty.stdout
    good = mark(DAMAGED)
    masked = mark("meu email é fulano@example.com, o produto quebrou", intent="complaint_damaged")
    conflict = mark(examples(data_dir / "pt" / "conversation.yml")["greet"][0], intent="thanks")

    listed = run("--queue", queue, "list")
    assert listed.returncode == 0
    assert "3 pending item(s)" in listed.stdout
    assert f"{good['id']}  pt  order_status (0.41) → complaint_damaged  ana" in listed.stdout
    assert DAMAGED in listed.stdout and "[email]" in listed.stdout and "fulano" not in listed.stdout

    accepted = run("--queue", queue, "--data-dir", data_dir, "accept", "--all")
    assert accepted.returncode == 1, accepted.stdout + accepted.stderr
    assert f"{good['id']}: added to" in accepted.stdout
    assert f"{masked['id']}: not added" in accepted.stderr and f"{conflict['id']}: conflict" in accepted.stderr
    assert occurrences(data_dir, "pt", DAMAGED) == [("complaints.yml", "complaint_damaged")]

    rewritten = run("accept", masked["id"], "--text", "o produto quebrou no primeiro uso",
                    "--queue", queue, "--data-dir", data_dir)
    assert rewritten.returncode == 0, rewritten.stderr
    assert occurrences(data_dir, "pt", "o produto quebrou no primeiro uso") == [
        ("complaints.yml", "complaint_damaged")]

    rejected = run("--queue", queue, "reject", conflict["id"])
    assert rejected.returncode == 0 and f"{conflict['id']}: rejected" in rejected.stdout
    assert "No pending items" in run("--queue", queue, "list").stdout


@pytest.mark.parametrize("args", [
    ["accept"], ["accept", "abc", "--all"], ["accept", "--all", "--text", "x"], ["accept", "a", "b", "--text", "x"],
    ["reject"], ["frobnicate"], ["reject", "missing-id"],
])
def test_cli_usage_errors_exit_1_with_a_message(queue: Path, data_dir: Path, args: list[str]) -> None:
    result = run("--queue", queue, "--data-dir", data_dir, *args)
    assert result.returncode == 1 and result.stderr.strip()
