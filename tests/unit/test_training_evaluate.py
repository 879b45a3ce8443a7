"""The evaluate command's parts that need no training: splits, scores, reports, model reuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training import nlu_eval as nlu
from training import reports


def examples(n_per_intent: int = 10) -> list[nlu.Example]:
    intents = ["order_status", "delivery_time", "complaint_damaged", "greet"]
    return [(f"{intent} msg {i}", intent) for intent in intents for i in range(n_per_intent)]


def test_split_is_stratified_and_fixed_by_the_seed() -> None:
    train, test = nlu.split(examples(), 0.2, seed=13)
    assert sorted(train + test) == sorted(examples())
    assert {i for _, i in test} == {"order_status", "delivery_time", "complaint_damaged", "greet"}
    assert all(sum(1 for _, i in test if i == intent) == 2 for intent in {i for _, i in test})
    assert nlu.split(examples(), 0.2, seed=13) == (train, test)
    assert nlu.split(examples(), 0.2, seed=14) != (train, test)


def test_every_example_is_tested_exactly_once_across_folds() -> None:
    parts = nlu.folds(examples(), 5, seed=13)
    tested = [e for _, test in parts for e in test]
    assert sorted(tested) == sorted(examples())
    for train, test in parts:
        assert not set(train) & set(test)


def test_routing_counts_help_read_as_complaint_as_an_error_but_not_help_read_as_other_help() -> None:
    gold = ["order_status", "order_status", "complaint_damaged", "greet"]
    pred = ["delivery_time", "complaint_damaged", "complaint_damaged", "thanks"]
    figures = nlu.scores(gold, pred)
    assert figures["routing"] == round(2 / 3, 4)  # greet is not routed
    assert figures["accuracy"] == 0.25


def run(f1_shift: float = 0.0) -> dict:
    out = {"config": "config.yml", "train_seconds": 1.0, "reused_model": False}
    for lang in nlu.LANGUAGES:
        predictions = [{"text": f"t{i}", "gold": "order_status" if i % 2 else "complaint_damaged",
                        "pred": "order_status" if i % 2 or i < f1_shift * 10 else "complaint_damaged",
                        "confidence": 0.5 + i / 40} for i in range(20)]
        figures = nlu.scores([p["gold"] for p in predictions], [p["pred"] for p in predictions])
        figures["predictions"] = predictions
        out[lang] = figures
    return out


def test_reports_are_written_and_the_summary_compares_with_the_previous_run(tmp_path: Path) -> None:
    first = {"seed": 13, "test_share": 0.2, "folds": 0, "ours": run()}
    written = reports.write_all(first, reports.load_previous(tmp_path), tmp_path)
    for name in ("confusion_matrix_pt.png", "confusion_matrix_es.png", "confidence_histogram_pt.png",
                 "confidence_histogram_es.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| complaint_damaged | complaint |" in (tmp_path / "intent_report.md").read_text()
    assert "met" in reports.summary(first, None, None, written)

    second = {"seed": 13, "test_share": 0.2, "folds": 0, "ours": run(f1_shift=0.4)}
    previous = reports.load_previous(tmp_path)
    assert previous == json.loads((tmp_path / "evaluation.previous.json").read_text())
    written = reports.write_all(second, previous, tmp_path)
    text = reports.summary(second, previous, {"ok": True, "passed": 26, "total": 26, "actions": "88/88 actions",
                                              "failed_file": "x"}, written)
    assert "worse  pt complaint_damaged" in text and "MISSED" in text
    assert "test stories: 26/26 passed" in text
    assert len(text.splitlines()) <= 25  # one screen


def test_an_unchanged_model_is_reused_not_retrained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlu, "MODEL_STORE", tmp_path)
    nlu_file = tmp_path / "train.yml"
    nlu.write_nlu(nlu_file, examples())
    config = Path(nlu.ROOT / "config.yml")
    key = nlu.fingerprint(config, nlu_file)
    (tmp_path / f"{key}.tar.gz").write_bytes(b"model")
    model, seconds, reused = nlu.train(config, nlu_file, "test")
    assert reused and seconds == 0 and model.endswith(f"{key}.tar.gz")
    nlu.write_nlu(nlu_file, examples()[:-1])
    assert nlu.fingerprint(config, nlu_file) != key  # one example less: retrain
