"""Score the outgoing-text guard on a labelled set: precision, recall, false blocks, per kind, speed.

    python scripts/evaluate_guard.py [tests/data/outgoing_guard.yml] [--errors] [--enforce]

A "block" is any kind; the kind only has to be right for the per-kind table. --enforce exits 1
when recall < 0.95 or false blocks > 2%, the product's targets.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from postsale.guard import KINDS, check_outgoing

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "outgoing_guard.yml"
RECALL_TARGET = 0.95
FALSE_BLOCK_TARGET = 0.02


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]


def score(examples: list[dict]) -> dict:
    tp = fp = fn = tn = 0
    kind_right: Counter[str] = Counter()
    kind_total: Counter[str] = Counter()
    kind_caught: Counter[str] = Counter()
    by_lang: Counter[tuple[str, str]] = Counter()
    errors = []
    timings = []
    for ex in examples:
        started = time.perf_counter()
        verdict = check_outgoing(ex["text"])
        timings.append(time.perf_counter() - started)
        blocked, expected = not verdict.allowed, ex.get("kind")
        lang = ex.get("lang", "?")
        if expected:
            kind_total[expected] += 1
            if blocked:
                tp += 1
                kind_caught[expected] += 1
                kind_right[expected] += verdict.kind == expected
                by_lang[(lang, "caught")] += 1
            else:
                fn += 1
                errors.append(("missed", expected, None, ex["text"]))
            by_lang[(lang, "violations")] += 1
        else:
            by_lang[(lang, "innocent")] += 1
            if blocked:
                fp += 1
                by_lang[(lang, "false_blocks")] += 1
                errors.append(("false block", None, f"{verdict.kind} at {verdict.excerpt(ex['text'])!r}", ex["text"]))
            else:
                tn += 1
    for _ in range(4):  # timing on a warm process, over the whole set
        for ex in examples:
            started = time.perf_counter()
            check_outgoing(ex["text"])
            timings.append(time.perf_counter() - started)
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "kind_total": kind_total, "kind_caught": kind_caught,
            "kind_right": kind_right, "by_lang": by_lang, "errors": errors,
            "median_ms": statistics.median(timings) * 1000, "p99_ms": sorted(timings)[int(len(timings) * 0.99)] * 1000,
            "recall": tp / max(tp + fn, 1), "precision": tp / max(tp + fp, 1), "false_block_rate": fp / max(fp + tn, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--errors", action="store_true", help="list every miss and false block")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    examples = load(args.path)
    s = score(examples)
    print(f"{args.path}: {len(examples)} messages, {s['tp'] + s['fn']} violations, {s['fp'] + s['tn']} innocent")
    print(f"recall {s['recall']:.3f} (target >= {RECALL_TARGET})   false blocks {s['fp']} = "
          f"{s['false_block_rate']:.3%} (target <= {FALSE_BLOCK_TARGET:.0%})   precision {s['precision']:.3f}")
    print(f"time per message: median {s['median_ms']:.3f} ms, p99 {s['p99_ms']:.3f} ms")
    print(f"{'kind':<18}{'n':>5}{'caught':>8}{'recall':>8}{'kind ok':>9}")
    for kind in KINDS:
        n = s["kind_total"][kind]
        if n:
            print(f"{kind:<18}{n:>5}{s['kind_caught'][kind]:>8}{s['kind_caught'][kind] / n:>8.2f}"
                  f"{s['kind_right'][kind] / n:>9.2f}")
    for lang in sorted({lang for lang, _ in s["by_lang"]}):
        v, c = s["by_lang"][(lang, "violations")], s["by_lang"][(lang, "caught")]
        i, f = s["by_lang"][(lang, "innocent")], s["by_lang"][(lang, "false_blocks")]
        print(f"{lang}: recall {c / max(v, 1):.3f} ({c}/{v})   false blocks {f}/{i}")
    if args.errors:
        for what, expected, got, text in s["errors"]:
            print(f"- {what:<12} {expected or got}: {text}")
    ok = s["recall"] >= RECALL_TARGET and s["false_block_rate"] <= FALSE_BLOCK_TARGET
    return 0 if ok or not args.enforce else 1


if __name__ == "__main__":
    sys.exit(main())
