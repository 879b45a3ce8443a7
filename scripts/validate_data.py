"""`rasa data validate`, strict: any warning fails, except responses our custom actions utter.

Rasa's validator only looks at stories and rules, so it reports responses such as
`utter_order_status` (uttered by action_answer_help) as unused. Those are accepted when the
response name appears in actions/, or is a form's `utter_ask_<slot>` question; every other
warning or error fails the check.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
UNUSED = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
CHANNEL_ONLY = re.compile(r"intent '(system_\w+)'", re.IGNORECASE)
IGNORED = ("DeprecationWarning", "MovedIn20Warning", "pkg_resources", "declare_namespace",
           "jax.xla_computation")


def main() -> int:
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "rasa"), "data", "validate"],
        cwd=ROOT, capture_output=True, text=True,
    )
    output = proc.stdout + proc.stderr
    actions_source = "\n".join(p.read_text() for p in (ROOT / "actions").glob("*.py"))
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    form_questions = {f"utter_ask_{slot}" for form in (domain.get("forms") or {}).values()
                      for slot in form.get("required_slots") or []}
    problems = []
    for line in output.splitlines():
        if not re.search(r"UserWarning|WARNING|ERROR", line) or any(i in line for i in IGNORED):
            continue
        if CHANNEL_ONLY.search(line):
            continue  # system_* intents are sent by the marketplace channel, never typed
        unused = UNUSED.search(line)
        if unused and (f'"{unused.group(1)}"' in actions_source or unused.group(1) in form_questions):
            continue
        problems.append(line.strip())
    for problem in problems:
        print(problem)
    if proc.returncode != 0 or problems:
        print(f"rasa data validate: {len(problems)} problem(s), exit code {proc.returncode}")
        return 1
    print("rasa data validate: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
