"""Per-language NLU evaluation: a fixed-seed held-out split or k-fold cross-validation.

One model serves both languages, so it is trained once on the training part of both language
folders; each language's held-out part (a per-intent stratified split) is then scored on its
own: intent macro-F1 and Help-vs-Complaint routing accuracy (a Complaint answered as Help is
the error a seller pays for). A model whose inputs did not change is not retrained: evaluation
models are kept under var/eval_models/, keyed by a hash of the training data, config and our
NLU components.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from postsale.catalogue import LANGUAGES, routing_group
from postsale.nlu_examples import plain_text, read_examples

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = {"macro_f1": 0.90, "routing": 0.97}
DEFAULT_PIPELINE_CONFIG = {"recipe": "default.v1", "language": "pt", "pipeline": None, "policies": None}
MODEL_STORE = ROOT / "var" / "eval_models"
REGEX = ROOT / "data" / "regex.yml"
Example = tuple[str, str]  # (text as written, intent)
group = routing_group


def read_language(lang: str, data_dir: Path = ROOT / "data" / "nlu") -> list[Example]:
    return [(example.text, example.intent) for example in read_examples(data_dir, lang)]


def _by_intent(examples: list[Example], seed: int) -> dict[str, list[Example]]:
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        by_intent[ex[1]].append(ex)
    rng = random.Random(seed)
    for intent in sorted(by_intent):
        items = sorted(by_intent[intent])
        rng.shuffle(items)
        by_intent[intent] = items
    return by_intent


def split(examples: list[Example], test_share: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Stratified per intent, so a small intent is never absent from the test part."""
    train, test = [], []
    for items in _by_intent(examples, seed).values():
        cut = max(1, round(len(items) * test_share))
        test += items[:cut]
        train += items[cut:]
    return train, test


def folds(examples: list[Example], k: int, seed: int) -> list[tuple[list[Example], list[Example]]]:
    """k stratified folds: every example is tested exactly once."""
    parts: list[list[Example]] = [[] for _ in range(k)]
    for items in _by_intent(examples, seed).values():
        for index, item in enumerate(items):
            parts[index % k].append(item)
    return [([e for j, p in enumerate(parts) if j != i for e in p], parts[i]) for i in range(k)]


def write_nlu(path: Path, examples: list[Example]) -> None:
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in examples:
        by_intent[intent].append(text)
    blocks = [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)} for i, texts in sorted(by_intent.items())]
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def fingerprint(config: Path, nlu_file: Path) -> str:
    """What the trained model depends on: config, data (a file or a folder of them), our
    components, the Rasa version."""
    import rasa

    digest = hashlib.sha256(rasa.__version__.encode())
    data = sorted(nlu_file.rglob("*.yml")) if nlu_file.is_dir() else [nlu_file]
    for path in [config, *data, *sorted((ROOT / "nlu_components").glob("*.py"))]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:20]


@contextmanager
def progress(label: str, every: float = 20.0) -> Iterator[None]:
    """Training takes minutes: say so, and keep saying how long it has been."""
    started = time.time()
    done = threading.Event()

    def tick() -> None:
        while not done.wait(every):
            print(f"    ... {label}: {time.time() - started:.0f} s", flush=True)

    print(f"==> {label}", flush=True)
    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        print(f"    {label}: done in {time.time() - started:.0f} s", flush=True)


def train(config: Path, nlu_file: Path, label: str) -> tuple[str, float, bool]:
    """(model path, seconds, reused): an unchanged model is taken from the store, not retrained."""
    MODEL_STORE.mkdir(parents=True, exist_ok=True)
    stored = MODEL_STORE / f"{fingerprint(config, nlu_file)}.tar.gz"
    if stored.exists():
        print(f"==> {label}: unchanged since the last run, model reused ({stored.name})", flush=True)
        return str(stored), 0.0, True
    from rasa.model_training import train_nlu

    started = time.time()
    with tempfile.TemporaryDirectory() as out, progress(label):
        model = train_nlu(str(config), str(nlu_file), out, fixed_model_name="eval", additional_arguments={})
        shutil.move(model, stored)
    for old in sorted(MODEL_STORE.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-6]:
        old.unlink()  # keep the last few: enough to flip between two versions of the data
    return str(stored), time.time() - started, False


async def predict(model_path: str, texts: list[str]) -> list[tuple[str, float]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)
    try:  # Rasa logs every parse at debug level through structlog; keep the report readable
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    except Exception:  # noqa: BLE001 - cosmetic only
        pass
    out = []
    for text in texts:
        intent = (await agent.parse_message(text)).get("intent") or {}
        out.append((intent.get("name") or "None", float(intent.get("confidence") or 0.0)))
    return out


def scores(gold: list[str], pred: list[str]) -> dict[str, Any]:
    labels = sorted(set(gold))
    per_intent = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                             "support": tp + fn}
    routed = [(g, p) for g, p in zip(gold, pred) if group(g) != "other"]
    return {
        "examples": len(gold),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4),
        "macro_f1": round(sum(v["f1"] for v in per_intent.values()) / len(per_intent), 4),
        "routing": round(sum(group(g) == group(p) for g, p in routed) / len(routed), 4),
        "per_intent": per_intent,
    }


def run_split(config: Path, train_set: list[Example], tests: dict[str, list[Example]], workdir: Path,
              label: str) -> dict[str, Any]:
    """Train on `train_set`, score each language's test set; keeps every prediction for the reports."""
    # The served model's regex features too (data/regex.yml: the order number's shape).
    nlu_dir = workdir / "nlu"
    nlu_dir.mkdir(parents=True, exist_ok=True)
    write_nlu(nlu_dir / "train.yml", train_set)
    shutil.copyfile(REGEX, nlu_dir / REGEX.name)
    model, seconds, reused = train(config, nlu_dir, f"training {label} ({len(train_set)} examples)")
    result: dict[str, Any] = {"config": str(config), "train_seconds": round(seconds, 1), "reused_model": reused}
    for lang, test in tests.items():
        texts = [plain_text(t) for t, _ in test]
        gold = [i for _, i in test]
        predicted = asyncio.run(predict(model, texts))
        figures = scores(gold, [p for p, _ in predicted])
        figures["predictions"] = [{"text": t, "gold": g, "pred": p, "confidence": round(c, 4)}
                                  for t, g, (p, c) in zip(texts, gold, predicted)]
        result[lang] = figures
    return result


def merge_folds(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Cross-validation figures: every example scored once, by the fold that held it out."""
    merged: dict[str, Any] = {"config": runs[0]["config"], "folds": len(runs),
                              "train_seconds": round(sum(r["train_seconds"] for r in runs), 1),
                              "reused_model": all(r["reused_model"] for r in runs)}
    for lang in LANGUAGES:
        predictions = [p for r in runs for p in r[lang]["predictions"]]
        figures = scores([p["gold"] for p in predictions], [p["pred"] for p in predictions])
        figures["predictions"] = predictions
        merged[lang] = figures
    return merged


def missed(run: dict[str, Any]) -> list[str]:
    """Thresholds the run misses, in words."""
    out = []
    for lang in LANGUAGES:
        for key, minimum in THRESHOLDS.items():
            if run[lang][key] < minimum:
                out.append(f"{lang} {key} {run[lang][key]:.3f} < {minimum}")
    return out
