"""Did the bot get better? NLU per language, the end-to-end test stories, reports to read.

    python scripts/evaluate.py [--folds K] [--compare-default] [--no-stories] [--enforce]

- NLU: one model trained on both language folders minus a fixed-seed held-out 20% per intent
  (or K-fold cross-validation with --folds), scored per language: macro-F1, Help/Complaint
  routing, per-intent figures. An unchanged model is reused, not retrained.
- Dialogue: `rasa test core` on tests/test_stories.yml with the served model (models/bot.tar.gz).
- Writes results/evaluation.json, intent_report.md/.json, confusion_matrix_<lang>.png,
  confidence_histogram_<lang>.png, stories/; prints a one-screen summary against the previous run.
Exit status 1 with --enforce when a threshold is missed or a story fails.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from training import nlu_eval as nlu
from training import reports

ROOT = Path(__file__).resolve().parents[1]



def stories(model: Path, out_dir: Path) -> dict[str, Any]:
    """`rasa test core` with the served model; every story must pass."""
    out = out_dir / "stories"
    log = ROOT / "var" / "test_stories.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with nlu.progress("test stories (rasa test core)", every=30):
        proc = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "rasa"), "test", "core", "-m", str(model), "--stories",
             str(ROOT / "tests" / "test_stories.yml"), "--out", str(out), "--fail-on-prediction-errors"],
            cwd=ROOT, capture_output=True, text=True)
    log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
    correct = re.findall(r"Correct:\s+(\d+)\s*/\s*(\d+)", proc.stdout + proc.stderr)
    total_stories = len(re.findall(r"^- story:", (ROOT / "tests" / "test_stories.yml").read_text(), re.M))
    failed_file = out / "failed_test_stories.yml"
    failed = len((yaml.safe_load(failed_file.read_text()) or {}).get("stories") or []) if failed_file.exists() else 0
    actions = f"{correct[1][0]}/{correct[1][1]} actions" if len(correct) > 1 else ""
    return {"ok": proc.returncode == 0 and failed == 0, "passed": total_stories - failed, "total": total_stories,
            "actions": actions, "failed_file": str(failed_file), "log": str(log)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(ROOT / "config.yml"))
    parser.add_argument("--test-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--folds", type=int, default=0, help="K-fold cross-validation instead of the held-out split")
    parser.add_argument("--compare-default", action="store_true", help="also score Rasa's default pipeline")
    parser.add_argument("--no-stories", action="store_true", help="skip rasa test core on the test stories")
    parser.add_argument("--model", default=str(ROOT / "models" / "bot.tar.gz"), help="model for the stories")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a threshold is missed")
    parser.add_argument("--out-dir", default=str(ROOT / "results"))
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "nlu"), help="NLU folders (pt/, es/) to evaluate")
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # Evaluation models train with their own temporary cache instead of filling the project's
    # .rasa/cache with models of a data split nobody serves; finished models go to var/eval_models.
    eval_cache = tempfile.mkdtemp(prefix="rasa-eval-cache-")
    os.environ["RASA_CACHE_DIRECTORY"] = eval_cache
    atexit.register(shutil.rmtree, eval_cache, True)
    out_dir = Path(args.out_dir)

    data = {lang: nlu.read_language(lang, Path(args.data_dir)) for lang in nlu.LANGUAGES}
    report: dict[str, Any] = {"seed": args.seed, "test_share": args.test_share, "folds": args.folds}
    configs = [("ours", Path(args.config))]
    with tempfile.TemporaryDirectory() as tmp:
        if args.compare_default:
            default_cfg = Path(tmp) / "default_config.yml"
            default_cfg.write_text(yaml.safe_dump(nlu.DEFAULT_PIPELINE_CONFIG))
            configs.append(("default", default_cfg))
        for name, config in configs:
            if args.folds:
                runs = []
                for k in range(args.folds):
                    train_set, tests = [], {}
                    for lang in nlu.LANGUAGES:
                        tr, te = nlu.folds(data[lang], args.folds, args.seed)[k]
                        train_set += tr
                        tests[lang] = te
                    runs.append(nlu.run_split(config, train_set, tests, Path(tmp) / f"{name}{k}",
                                              f"{name} NLU, fold {k + 1}/{args.folds}"))
                report[name] = nlu.merge_folds(runs)
            else:
                train_set, tests = [], {}
                for lang in nlu.LANGUAGES:
                    tr, te = nlu.split(data[lang], args.test_share, args.seed)
                    train_set += tr
                    tests[lang] = te
                report[name] = nlu.run_split(config, train_set, tests, Path(tmp) / name, f"{name} NLU")

    story_result = None if args.no_stories else stories(Path(args.model), out_dir)
    if story_result is not None:
        report["stories"] = story_result
    previous = reports.load_previous(out_dir)
    written = reports.write_all(report, previous, out_dir)
    print()
    print(reports.summary(report, previous, story_result, written))
    failed = bool(nlu.missed(report["ours"])) or (story_result is not None and not story_result["ok"])
    return 1 if failed and args.enforce else 0


if __name__ == "__main__":
    sys.exit(main())
