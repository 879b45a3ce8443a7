"""Settle the messages agents marked as misread in the inbox (the review queue).

    scripts/review.py list                         pending items: id, language, predicted → chosen, text
    scripts/review.py accept ID [ID...]            add them as examples of the chosen intent
    scripts/review.py accept --all                 every pending item
    scripts/review.py accept ID --text "..."       add a rewritten text instead (placeholders removed)
    scripts/review.py reject ID [ID...]            drop them

An accepted text goes at the end of its intent's block in the data/nlu/<language>/ file that
holds the intent. Texts already taught in that language are skipped (a duplicate under the same
intent, a conflict under another), and texts with [email]/[phone]/[document] are refused until
rewritten with --text. Run scripts/validate_data.py afterwards, as for any NLU change.

Exit code 0 when every item asked for was settled, 1 otherwise (or on a usage error).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from postsale import review_queue
from postsale.settings import SettingsError
from training import review

ROOT = Path(__file__).resolve().parents[1]


class Parser(argparse.ArgumentParser):
    """Usage errors exit 1 like every other failure, so callers check a single code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser() -> Parser:
    # The same options work before and after the command. SUPPRESS keeps a sub-command's unset
    # option from overwriting the value given before it, so defaults are applied after parsing
    # (set_defaults would change the shared actions and bring the overwrite back).
    shared = Parser(add_help=False)
    shared.add_argument("--queue", type=Path, default=argparse.SUPPRESS,
                        help="review queue file (default: $REVIEW_QUEUE_PATH or var/review_queue.jsonl)")
    shared.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="NLU folder with pt/ and es/ (default: data/nlu)")
    parser = Parser(description=__doc__.splitlines()[0], parents=[shared])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    commands.add_parser("list", parents=[shared], help="show the pending items")
    accept = commands.add_parser("accept", parents=[shared], help="add items to the NLU data")
    accept.add_argument("ids", nargs="*", metavar="ID")
    accept.add_argument("--all", action="store_true", help="every pending item")
    accept.add_argument("--text", help="the text to add instead of the stored one (exactly one ID)")
    reject = commands.add_parser("reject", parents=[shared], help="drop items")
    reject.add_argument("ids", nargs="+", metavar="ID")
    return parser


def describe(item: dict[str, Any]) -> str:
    predicted = item.get("predicted_intent") or "?"
    if item.get("predicted_confidence") is not None:
        predicted += f" ({item['predicted_confidence']:.2f})"
    date = str(item.get("created_at") or "")[:10]
    return (f"{item['id']}  {item['language']}  {predicted} → {item['intent']}  {item.get('agent') or '?'}  {date}\n"
            f"    {item['text']}")


def list_pending(queue: Path | None) -> int:
    items = review_queue.pending(queue)
    if not items:
        print(f"No pending items in {review_queue.queue_path(queue)}.")
        return 0
    print(f"{len(items)} pending item(s) in {review_queue.queue_path(queue)}:")
    for item in items:
        print(describe(item))
    return 0


def report(outcomes: list[review_queue.Outcome]) -> int:
    for outcome in outcomes:
        print(outcome.message, file=sys.stdout if outcome.ok else sys.stderr)
    counts = Counter(o.result.replace("_", " ") for o in outcomes)
    print("Summary: " + ", ".join(f"{n} {result}" for result, n in counts.items()))
    problems = sum(not o.ok for o in outcomes)
    if counts["added"]:
        print("Next: scripts/validate_data.py, then retrain.")
    return 1 if problems else 0


def accept(args: argparse.Namespace) -> int:
    if args.all == bool(args.ids):
        print("accept: give item ids or --all (not both)", file=sys.stderr)
        return 1
    if args.text is not None and (args.all or len(args.ids) != 1):
        print("accept: --text goes with exactly one item id", file=sys.stderr)
        return 1
    outcomes = review.accept("all" if args.all else args.ids, args.data_dir, text=args.text, path=args.queue)
    if not outcomes:
        print("Nothing pending to accept.")
        return 0
    return report(outcomes)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.queue = getattr(args, "queue", None)
    args.data_dir = getattr(args, "data_dir", None) or review.DEFAULT_DATA_DIR
    try:
        if args.command == "list":
            return list_pending(args.queue)
        if args.command == "accept":
            return accept(args)
        return report(review_queue.reject(args.ids, path=args.queue))
    except (review_queue.ReviewError, SettingsError, OSError) as problem:
        print(f"{args.command}: {problem}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
