"""Per-language NLU evaluation on a held-out split, with the thresholds the product promises.

One model serves both languages, so it is trained once on the training part of both language
folders; each language's held-out part (a fixed-seed, per-intent stratified split) is then
scored separately: intent macro-F1 and Help-vs-Complaint routing accuracy. Optional
`--compare-default` trains Rasa's default pipeline on the same split for comparison.

Usage: python scripts/evaluate_nlu.py [--config config.yml] [--compare-default] [--enforce]
Exit status 1 when --enforce is given and a threshold is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HELP = {"order_status", "delivery_time", "invoice_request", "return_or_exchange",
        "payment_question", "shipping_question"}
COMPLAINT = {"complaint_not_received", "complaint_damaged", "complaint_not_as_described",
             "complaint_no_refund", "complaint_warranty"}
THRESHOLDS = {"macro_f1": 0.90, "routing": 0.97}
DEFAULT_PIPELINE_CONFIG = {"recipe": "default.v1", "language": "pt", "pipeline": None,
                           "policies": None}
Example = tuple[str, str]  # (text, intent)


def group(intent: str) -> str:
    return "help" if intent in HELP else "complaint" if intent in COMPLAINT else "other"


def read_language(lang: str) -> list[Example]:
    examples: list[Example] = []
    for path in sorted((ROOT / "data" / "nlu" / lang).glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append((line[2:], block["intent"]))
    return examples


def split(examples: list[Example], test_share: float, seed: int) -> tuple[list[Example], list[Example]]:
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        by_intent[ex[1]].append(ex)
    rng = random.Random(seed)
    train, test = [], []
    for intent in sorted(by_intent):
        items = sorted(by_intent[intent])
        rng.shuffle(items)
        cut = max(1, round(len(items) * test_share))
        test += items[:cut]
        train += items[cut:]
    return train, test


def write_nlu(path: Path, examples: list[Example]) -> None:
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in examples:
        by_intent[intent].append(text)
    blocks = [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)}
              for i, texts in sorted(by_intent.items())]
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")


def train(config: Path, nlu_file: Path, out: Path) -> tuple[str, float]:
    from rasa.model_training import train_nlu

    started = time.time()
    model = train_nlu(str(config), str(nlu_file), str(out), fixed_model_name="eval",
                      additional_arguments={})
    return model, time.time() - started


async def predict(model_path: str, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)
    try:  # Rasa logs every parse at debug level through structlog; keep the report readable
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    except Exception:  # noqa: BLE001 - cosmetic only
        pass
    predictions = []
    for text in texts:
        parsed = await agent.parse_message(text)
        predictions.append((parsed.get("intent") or {}).get("name") or "None")
    return predictions


def scores(gold: list[str], pred: list[str]) -> dict[str, object]:
    labels = sorted(set(gold))
    per_intent = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[label] = {"precision": round(precision, 3), "recall": round(recall, 3),
                             "f1": round(f1, 3), "support": tp + fn}
    routed = [(g, p) for g, p in zip(gold, pred) if group(g) != "other"]
    return {
        "examples": len(gold),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4),
        "macro_f1": round(sum(v["f1"] for v in per_intent.values()) / len(per_intent), 4),
        "routing": round(sum(group(g) == group(p) for g, p in routed) / len(routed), 4),
        "per_intent": per_intent,
    }


ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def plain(text: str) -> str:
    """Training lines may carry entity annotations; buyers type the bare text."""
    return ANNOTATION.sub(r"\1", text)


def evaluate(config: Path, train_set: list[Example], tests: dict[str, list[Example]],
             workdir: Path) -> dict[str, object]:
    workdir.mkdir(parents=True, exist_ok=True)
    nlu_file = workdir / "train.yml"
    write_nlu(nlu_file, train_set)
    model, seconds = train(config, nlu_file, workdir / "models")
    result: dict[str, object] = {"config": str(config), "train_seconds": round(seconds, 1)}
    for lang, test in tests.items():
        texts = [plain(t) for t, _ in test]
        gold = [i for _, i in test]
        pred = asyncio.run(predict(model, texts))
        figures = scores(gold, pred)
        figures["errors"] = [{"text": t, "gold": g, "pred": p}
                             for t, g, p in zip(texts, gold, pred) if g != p]
        result[lang] = figures
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(ROOT / "config.yml"))
    parser.add_argument("--test-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--compare-default", action="store_true",
                        help="also train and score Rasa's default pipeline on the same split")
    parser.add_argument("--default-only", action="store_true", help="score only the default pipeline")
    parser.add_argument("--enforce", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "results" / "nlu_eval.json"))
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    # Evaluation models go to their own, temporary training cache instead of filling the
    # project's .rasa/cache with models of a data split nobody serves.
    eval_cache = tempfile.mkdtemp(prefix="rasa-eval-cache-")
    os.environ["RASA_CACHE_DIRECTORY"] = eval_cache
    atexit.register(shutil.rmtree, eval_cache, True)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

    train_set: list[Example] = []
    tests: dict[str, list[Example]] = {}
    for lang in ("pt", "es"):
        tr, te = split(read_language(lang), args.test_share, args.seed)
        train_set += tr
        tests[lang] = te

    report: dict[str, object] = {"seed": args.seed, "test_share": args.test_share}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.default_only:
            report["ours"] = evaluate(Path(args.config), train_set, tests, Path(tmp) / "ours")
        if args.compare_default or args.default_only:
            default_cfg = Path(tmp) / "default_config.yml"
            default_cfg.write_text(yaml.safe_dump(DEFAULT_PIPELINE_CONFIG))
            report["default"] = evaluate(default_cfg, train_set, tests, Path(tmp) / "default")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")

    failed = False
    print(f"{'pipeline':10} {'lang':4} {'n':>4} {'acc':>6} {'macroF1':>8} {'routing':>8} {'train s':>8}")
    for name in ("ours", "default"):
        if name not in report:
            continue
        run = report[name]
        for lang in ("pt", "es"):
            fig = run[lang]
            print(f"{name:10} {lang:4} {fig['examples']:4d} {fig['accuracy']:6.3f} "
                  f"{fig['macro_f1']:8.3f} {fig['routing']:8.3f} {run['train_seconds']:8.1f}")
            if name == "ours" and (fig["macro_f1"] < THRESHOLDS["macro_f1"]
                                   or fig["routing"] < THRESHOLDS["routing"]):
                failed = True
    print(f"thresholds: macro-F1 >= {THRESHOLDS['macro_f1']}, routing >= {THRESHOLDS['routing']}"
          f" -> {'MISSED' if failed else 'met'}; details in {out}")
    return 1 if failed and args.enforce else 0


if __name__ == "__main__":
    sys.exit(main())
