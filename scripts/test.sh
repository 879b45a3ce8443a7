#!/usr/bin/env bash
# Every test of the product, from a fresh clone: set-up, lint, data validation, pytest
# (unit, actions vs. simulator, the live stack over REST), end-to-end test stories, and the
# per-language NLU evaluation with its thresholds enforced.
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

step "rasa data validate"
.venv/bin/python scripts/validate_data.py

step "pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider

step "end-to-end test stories (rasa test core)"
.venv/bin/rasa test core -m models/bot.tar.gz --stories tests/test_stories.yml \
  --out results/stories --fail-on-prediction-errors >var/test_stories.log 2>&1 || {
  tail -60 var/test_stories.log; cat results/stories/failed_test_stories.yml 2>/dev/null || true; exit 1; }
grep -E "Correct:|Accuracy:" var/test_stories.log | head -4 || true
echo "    all test stories passed"

step "outgoing-text guard on its labelled set (recall >= 0.95, false blocks <= 2%)"
.venv/bin/python scripts/evaluate_guard.py --enforce

step "NLU evaluation per language (held-out split, thresholds enforced)"
.venv/bin/python scripts/evaluate_nlu.py --enforce 2>var/evaluate_nlu.log || {
  tail -30 var/evaluate_nlu.log; exit 1; }

echo; echo "ALL TESTS PASSED"
