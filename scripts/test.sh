#!/usr/bin/env bash
# Every test of the product, from a fresh clone: set-up, lint, data validation, pytest
# (unit, actions vs. simulator, the live stack over REST), end-to-end test stories, and the
# per-language NLU evaluation with its thresholds enforced.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
mkdir -p results

step() { echo; echo "==> $*"; }

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

step "NLU evaluation per language (held-out split, thresholds enforced)"
.venv/bin/python scripts/evaluate_nlu.py --enforce 2>var/evaluate_nlu.log || {
  tail -30 var/evaluate_nlu.log; exit 1; }

echo; echo "ALL TESTS PASSED"
