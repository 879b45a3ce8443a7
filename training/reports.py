"""What a trainer reads after an evaluation: files under results/ and a one-screen summary.

The summary compares every figure with the previous run's (kept as evaluation.previous.json),
because the question a trainer asks after adding examples is "did it get better, and did I
break the other language?", not "what is the F1".
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from postsale.catalogue import LANGUAGES
from training.nlu_eval import THRESHOLDS, group

CHANGE = 0.01  # an intent's F1 moving less than this is noise between runs


def load_previous(out_dir: Path) -> dict[str, Any] | None:
    current = out_dir / "evaluation.json"
    if not current.exists():
        return None
    shutil.copyfile(current, out_dir / "evaluation.previous.json")
    try:
        return json.loads(current.read_text(encoding="utf-8"))
    except ValueError:
        return None


def write_all(report: dict[str, Any], previous: dict[str, Any] | None, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "evaluation.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    ours = report["ours"]
    written = [out_dir / "evaluation.json", _intent_json(ours, out_dir), _intent_markdown(ours, previous, out_dir)]
    for lang in LANGUAGES:
        written.append(confusion_png(ours[lang]["predictions"], lang, out_dir / f"confusion_matrix_{lang}.png"))
        written.append(confidence_png(ours[lang]["predictions"], lang, out_dir / f"confidence_histogram_{lang}.png"))
    return written


def _intent_json(run: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / "intent_report.json"
    body = {lang: {"macro_f1": run[lang]["macro_f1"], "routing": run[lang]["routing"],
                   "accuracy": run[lang]["accuracy"], "per_intent": run[lang]["per_intent"]} for lang in LANGUAGES}
    path.write_text(json.dumps(body, indent=2), encoding="utf-8")
    return path


def _intent_markdown(run: dict[str, Any], previous: dict[str, Any] | None, out_dir: Path) -> Path:
    before = (previous or {}).get("ours") or {}
    lines = ["# Intent report", ""]
    for lang in LANGUAGES:
        fig = run[lang]
        lines += [f"## {lang}: macro-F1 {fig['macro_f1']:.3f}, routing {fig['routing']:.3f}, "
                  f"accuracy {fig['accuracy']:.3f} ({fig['examples']} messages)", "",
                  "| intent | group | precision | recall | F1 | support | F1 before |", "|---|---|---|---|---|---|---|"]
        old = ((before.get(lang) or {}).get("per_intent")) or {}
        for intent, row in sorted(fig["per_intent"].items(), key=lambda kv: kv[1]["f1"]):
            was = old.get(intent, {}).get("f1")
            lines.append(f"| {intent} | {group(intent)} | {row['precision']:.3f} | {row['recall']:.3f} | "
                         f"{row['f1']:.3f} | {row['support']} | {'' if was is None else f'{was:.3f}'} |")
        wrong = [p for p in fig["predictions"] if p["gold"] != p["pred"]]
        lines += ["", f"Misread messages ({len(wrong)}), most confident first:", ""]
        for p in sorted(wrong, key=lambda p: -p["confidence"]):
            lines.append(f"- `{p['gold']}` read as `{p['pred']}` ({p['confidence']:.2f}): {p['text']}")
        lines.append("")
    path = out_dir / "intent_report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def confusion_png(predictions: list[dict[str, Any]], lang: str, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = sorted({p["gold"] for p in predictions} | {p["pred"] for p in predictions},
                    key=lambda i: ({"help": 0, "complaint": 1}.get(group(i), 2), i))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for p in predictions:
        matrix[index[p["gold"]]][index[p["pred"]]] += 1
    fig, ax = plt.subplots(figsize=(11, 9))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=70, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            if count:
                ax.text(j, i, str(count), ha="center", va="center", fontsize=7,
                        color="white" if count > max(map(max, matrix)) / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true intent")
    ax.set_title(f"Confusion matrix, {lang} held-out messages")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def confidence_png(predictions: list[dict[str, Any]], lang: str, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    right = [p["confidence"] for p in predictions if p["gold"] == p["pred"]]
    wrong = [p["confidence"] for p in predictions if p["gold"] != p["pred"]]
    fig, ax = plt.subplots(figsize=(8, 5))
    bins = [i / 20 for i in range(21)]
    ax.hist([right, wrong], bins=bins, label=[f"right ({len(right)})", f"wrong ({len(wrong)})"],
            color=["#2e7d32", "#c62828"], stacked=True)
    ax.set_xlabel("confidence of the predicted intent")
    ax.set_ylabel("messages")
    ax.set_title(f"Prediction confidence, {lang} held-out messages")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def summary(report: dict[str, Any], previous: dict[str, Any] | None, stories: dict[str, Any] | None,
            written: list[Path]) -> str:
    ours = report["ours"]
    before = (previous or {}).get("ours") or {}
    method = f"{ours['folds']}-fold cross-validation" if ours.get("folds") else \
        f"held-out {report['test_share']:.0%}, seed {report['seed']}"
    lines = [f"NLU evaluation ({method})" + ("" if before else "   (no previous run to compare with)"),
             f"{'lang':4} {'n':>5} {'accuracy':>9} {'macro-F1':>9} {'routing':>8}   {'vs previous':>22}"]
    for lang in LANGUAGES:
        fig, old = ours[lang], before.get(lang) or {}
        delta = ""
        if old:
            delta = f"F1 {fig['macro_f1'] - old['macro_f1']:+.3f}  routing {fig['routing'] - old['routing']:+.3f}"
        lines.append(f"{lang:4} {fig['examples']:5d} {fig['accuracy']:9.3f} {fig['macro_f1']:9.3f} "
                     f"{fig['routing']:8.3f}   {delta:>22}")
    if "default" in report:
        for lang in LANGUAGES:
            fig = report["default"][lang]
            lines.append(f"  Rasa default pipeline, {lang}: macro-F1 {fig['macro_f1']:.3f}, "
                         f"routing {fig['routing']:.3f}")
    misses = [f"{lang} {key} {ours[lang][key]:.3f} < {minimum}" for lang in LANGUAGES
              for key, minimum in THRESHOLDS.items() if ours[lang][key] < minimum]
    lines.append(f"thresholds: macro-F1 >= {THRESHOLDS['macro_f1']}, routing >= {THRESHOLDS['routing']} -> "
                 + ("MISSED: " + "; ".join(misses) if misses else "met"))
    changes = []
    for lang in LANGUAGES:
        old = ((before.get(lang) or {}).get("per_intent")) or {}
        for intent, row in ours[lang]["per_intent"].items():
            if intent in old and abs(row["f1"] - old[intent]["f1"]) >= CHANGE:
                changes.append((row["f1"] - old[intent]["f1"], lang, intent, old[intent]["f1"], row["f1"]))
    if before:
        lines.append(f"intents whose F1 moved by {CHANGE} or more: {len(changes) or 'none'}")
        for diff, lang, intent, was, now in sorted(changes)[:6] + sorted(changes)[6:][-6:]:
            lines.append(f"  {'worse ' if diff < 0 else 'better'} {lang} {intent:28} {was:.3f} -> {now:.3f}")
    if stories is not None:
        lines.append(f"test stories: {stories['passed']}/{stories['total']} passed"
                     + (f" ({stories['actions']})" if stories.get("actions") else "")
                     + ("" if stories["ok"] else f" -> FAILED, see {stories['failed_file']}"))
    lines.append("reports: " + ", ".join(str(p.relative_to(p.parents[1])) for p in written[1:]))
    return "\n".join(lines)
