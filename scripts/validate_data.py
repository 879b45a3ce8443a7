"""The validate command trainers run before committing NLU or response changes.

Two parts, both must be clean (exit 0; otherwise exit 1):

* our rules (training/validate.py): enough examples per intent in pt and in es, every response
  in both languages, no example under two intents or pasted into the wrong language folder, no
  response the outgoing-text guard refuses, no personal data in examples. Each problem is printed
  as `path:line: message`; lines starting with `warning:` are shown but do not fail.
* `rasa data validate`, strictly: any warning fails, except responses our custom actions utter
  (Rasa only looks at stories and rules, so it calls `utter_order_status` unused), a form's
  `utter_ask_<slot>` questions and the channel-only `system_*` intents.

`--skip-rasa` runs only our rules (a second or so, for the trainers' inner loop and for tests);
`--root PATH` validates another project directory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from training.validate import check, rasa_problems

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-rasa", action="store_true", help="run only our rules, not `rasa data validate`")
    parser.add_argument("--root", type=Path, default=ROOT, help="project directory to validate (default: this one)")
    args = parser.parse_args(argv)
    root = args.root.resolve()

    problems = check(root)
    for problem in problems:
        print(problem)
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    note = f", {warnings} warning(s)" if warnings else ""
    print(f"our rules: {errors} problem(s){note}" if errors else f"our rules: clean{note}")
    failed = errors > 0

    if not args.skip_rasa:
        lines, returncode = rasa_problems(root)
        for line in lines:
            print(line)
        if returncode != 0 or lines:
            print(f"rasa data validate: {len(lines)} problem(s), exit code {returncode}")
            failed = True
        else:
            print("rasa data validate: clean")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
