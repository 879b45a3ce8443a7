"""Where training's seconds go, and what each lever costs in time and NLU quality.

    .venv/bin/python bench/train_levers.py [--lever NAME ...] [--full]

For each lever (a change to config.yml, listed in LEVERS) it trains, in a fresh subprocess with
an empty Rasa cache (a cold start, as CI and a new user get):
- by default the evaluation's model: NLU on the fixed-seed 80% split of both languages (the
  split `scripts/evaluate.py` scores) plus the dialogue policies, and scores the held-out 20%
  per language (macro-F1, Help/Complaint routing);
- with `--full`, the served model on all the data, as `scripts/setup.sh` does (no scores).
It prints the wall time of every graph node (featurizers, DIET, the ensemble's logistic
regression, TED, ...) and one summary line per lever. Figures are for the machine it runs on;
run nothing else meanwhile.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

Config = dict[str, Any]


def _component(config: Config, name: str, **match: Any) -> dict[str, Any]:
    for item in config["pipeline"] + config["policies"]:
        if item["name"] == name and all(item.get(k) == v for k, v in match.items()):
            return item
    raise KeyError(name)


def _set(name: str, match: dict[str, Any] | None = None, **values: Any) -> Callable[[Config], Config]:
    def apply(config: Config) -> Config:
        _component(config, name, **(match or {})).update(values)
        return config
    return apply


CHAR = {"analyzer": "char_wb"}
TOKENIZER = "nlu_components.tokenizer.QuestionMarkTokenizer"
CLASSIFIER = "nlu_components.linear.LinearIntentClassifier"


def _replace(old: str, new: str) -> Callable[[Config], Config]:
    def apply(config: Config) -> Config:
        _component(config, old)["name"] = new
        return config
    return apply


# Each lever is one change to config.yml as it is in the repository. The "before" rows of
# docs/nlu.md were measured by this script with levers for the previous pipeline (DIET epochs,
# char n-gram max_features, TED epochs, no DIET; run with --config on commit 97d32fc's config.yml); they
# are not kept here, since that pipeline is gone.
LEVERS: dict[str, Callable[[Config], Config]] = {
    "current": lambda c: c,
    "whitespace_tokenizer": _replace(TOKENIZER, "WhitespaceTokenizer"),
    "C_10": _set(CLASSIFIER, C=10.0),
    "C_30": _set(CLASSIFIER, C=30.0),
    "char_1_4": _set("CountVectorsFeaturizer", CHAR, max_ngram=4),
    "with_ted": lambda c: {**c, "policies": c["policies"] + [
        {"name": "TEDPolicy", "max_history": 5, "epochs": 40, "random_seed": 42}]},
}


def timed_nodes() -> dict[str, float]:
    """Wrap every graph node so its wall time is recorded under its component's name."""
    from rasa.engine.graph import GraphNode

    spent: dict[str, float] = defaultdict(float)
    original = GraphNode.__call__

    def call(self: GraphNode, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, *args)
        finally:
            spent[self._node_name] += time.perf_counter() - started

    GraphNode.__call__ = call  # type: ignore[method-assign]
    return spent


def child(lever: str, config_file: Path, full: bool, out: Path, data_dir: Path) -> None:
    """One cold training in this process; writes its figures as JSON to `out`."""
    os.environ["RASA_CACHE_DIRECTORY"] = tempfile.mkdtemp(prefix="rasa-lever-cache-")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import asyncio
    import logging

    logging.disable(logging.WARNING)
    from rasa.model_training import train

    from training import nlu_eval as nlu

    spent = timed_nodes()
    work = Path(tempfile.mkdtemp(prefix="rasa-lever-"))
    tests: dict[str, list[Any]] = {}
    if full:
        nlu_files = [str(ROOT / "data")]
    else:
        train_set: list[Any] = []
        for lang in nlu.LANGUAGES:
            tr, te = nlu.split(nlu.read_language(lang, data_dir), 0.2, 13)
            train_set += tr
            tests[lang] = te
        nlu.write_nlu(work / "train.yml", train_set)
        nlu_files = [str(work / "train.yml"), str(ROOT / "data" / "regex.yml"),
                     str(ROOT / "data" / "stories.yml"), str(ROOT / "data" / "rules.yml")]
    started = time.perf_counter()
    result = train(str(ROOT / "domain.yml"), str(config_file), nlu_files, str(work / "models"),
                   force_training=True, fixed_model_name="lever")
    total = time.perf_counter() - started
    figures: dict[str, Any] = {"lever": lever, "total_s": round(total, 1),
                               "nodes": {k: round(v, 1) for k, v in sorted(spent.items(), key=lambda kv: -kv[1])}}
    for lang, test in tests.items():
        texts = [nlu.plain_text(t) for t, _ in test]
        predicted = asyncio.run(nlu.predict(result.model, texts))
        score = nlu.scores([i for _, i in test], [p for p, _ in predicted])
        figures[lang] = {"macro_f1": score["macro_f1"], "routing": score["routing"]}
    out.write_text(json.dumps(figures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lever", action="append", choices=sorted(LEVERS), help="default: all")
    parser.add_argument("--full", action="store_true", help="the served model on all the data, no scores")
    parser.add_argument("--config", default=str(ROOT / "config.yml"))
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "nlu"), help="NLU folders (pt/, es/) to split")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(ROOT / "results" / "train_levers.json"))
    args = parser.parse_args()
    if args.child:
        lever, config_file, out = args.child.split("|")
        child(lever, Path(config_file), args.full, Path(out), Path(args.data_dir))
        return 0

    base = yaml.safe_load(Path(args.config).read_text())
    rows = []
    for lever in args.lever or list(LEVERS):
        with tempfile.TemporaryDirectory() as tmp:
            config_file = Path(tmp) / "config.yml"
            config_file.write_text(yaml.safe_dump(LEVERS[lever](copy.deepcopy(base)), sort_keys=False))
            out = Path(tmp) / "figures.json"
            cmd = [sys.executable, __file__, "--child", f"{lever}|{config_file}|{out}", "--data-dir", args.data_dir]
            cmd += ["--full"] if args.full else []
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0 or not out.exists():
                print(f"{lever}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            figures = json.loads(out.read_text())
        rows.append(figures)
        nodes = ", ".join(f"{k} {v}" for k, v in list(figures["nodes"].items())[:8])
        scores = "  ".join(f"{lang} F1 {figures[lang]['macro_f1']:.3f} routing {figures[lang]['routing']:.3f}"
                           for lang in ("pt", "es") if lang in figures)
        print(f"{lever:24s} {figures['total_s']:6.1f} s  {scores}\n    {nodes}", flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
