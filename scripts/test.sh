#!/usr/bin/env bash
# Every test of the product, from a fresh clone: set-up, lint, data validation, the unit tests
# (no servers, no model), the live tests (the stack, the browser, PostgreSQL), the hostile-input
# suite (SECURITY.md's refusals, tried as an attacker would), the guard's
# labelled set, end-to-end test stories, and the per-language NLU evaluation with its thresholds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
mkdir -p results

step() { echo; echo "==> $*"; }

# The inbox browser test drives Debian's Chromium through the pinned playwright package
# (playwright's own browser download is not used).
if ! command -v chromium >/dev/null 2>&1; then
  step "installing Debian's chromium for the browser test"
  SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
  $SUDO apt-get install -y -qq chromium >var/apt.log 2>&1 || {
    $SUDO apt-get update -qq >>var/apt.log 2>&1 && $SUDO apt-get install -y -qq chromium >>var/apt.log 2>&1; } || {
    tail -20 var/apt.log; echo "could not install chromium" >&2; exit 1; }
fi

step "ruff"
.venv/bin/ruff check .

step "validate: rasa data validate (strict) and the trainers' data rules"
.venv/bin/python scripts/validate_data.py

step "unit tests (tests/unit: no servers, no model)"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/unit

step "live tests (tests/live: the stack, the browser, PostgreSQL)"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/live

step "hostile-input suite (tests/hostile: every refusal of SECURITY.md tried as an attacker would)"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/hostile

step "outgoing-text guard on its labelled set (recall >= 0.95, false blocks <= 2%)"
.venv/bin/python scripts/evaluate_guard.py --enforce

step "evaluation: NLU per language (held-out split, thresholds enforced) and the test stories"
.venv/bin/python scripts/evaluate.py --enforce 2>var/evaluate.log || {
  tail -30 var/evaluate.log; cat results/stories/failed_test_stories.yml 2>/dev/null || true; exit 1; }

echo; echo "ALL TESTS PASSED"
