#!/usr/bin/env bash
# Shared set-up for scripts/run.sh and scripts/test.sh: Python 3.10 venv at .venv with the
# pinned dependencies (requirements.lock) and this project installed in editable mode
# (pyproject.toml), then a trained model unless the current one matches.
# Idempotent: a second run only checks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  for candidate in "${PYTHON310:-}" python3.10 "$HOME/.pyenv/versions/3.10.13/bin/python3.10" \
                   /root/.pyenv/versions/3.10.13/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
      echo "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    local v; v="$(pyenv versions --bare | grep -E '^3\.10' | tail -1 || true)"
    if [ -n "$v" ]; then echo "$(pyenv root)/versions/$v/bin/python3.10"; return 0; fi
  fi
  echo "Python 3.10 not found (Rasa 3.6 needs it). Set PYTHON310=/path/to/python3.10" >&2
  return 1
}

LOCK_SUM="$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.installed 2>/dev/null || true)" != "$LOCK_SUM" ]; then
  PY="$(find_python)"
  echo "==> creating .venv with $PY and installing pinned dependencies (about 2 minutes)"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check "pip==24.3.1"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
  # The project's own packages, importable from anywhere (scripts, servers, tests).
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$LOCK_SUM" > .venv/.installed
fi

export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=3
export SQLALCHEMY_SILENCE_UBER_WARNING=1
mkdir -p var models

# Train only when the training inputs changed: a content hash of domain, config, data and our
# NLU components is kept next to the model. When they changed, `rasa train` reuses from its
# graph cache (.rasa/cache) every component whose inputs did not change (an NLU-only change
# retrains the NLU components and restores the dialogue policies).
if [ "${SKIP_TRAIN:-0}" != "1" ]; then
  FINGERPRINT="$(cat domain.yml config.yml $(find data nlu_components -type f \( -name '*.yml' -o -name '*.py' \) | sort) | sha256sum | cut -c1-32)"
  if [ -f models/bot.tar.gz ] && [ "$(cat models/bot.fingerprint 2>/dev/null || true)" = "$FINGERPRINT" ]; then
    echo "==> model is current (models/bot.tar.gz)"
  else
    echo "==> model: training (data, domain or config changed)"
    started=$(date +%s)
    .venv/bin/rasa train --out models --fixed-model-name bot >var/train.log 2>&1 &
    train_pid=$!
    # A heartbeat with Rasa's own stage and epoch counter, so a trainer sees it is moving.
    # Polled every second (the time recorded below is to the second), reported every 20 s.
    ticks=0
    while kill -0 "$train_pid" 2>/dev/null; do
      sleep 1
      ticks=$((ticks + 1))
      [ $((ticks % 20)) -eq 0 ] || continue
      kill -0 "$train_pid" 2>/dev/null || break
      stage="$(tr '\r' '\n' <var/train.log | grep -oE "Starting to train component '[A-Za-z]+'|Epochs: +[0-9]+%" | tail -1 || true)"
      echo "    ... training $(( $(date +%s) - started ))s ${stage:+($stage)}"
    done
    wait "$train_pid" || { tail -40 var/train.log; echo "training failed (full log: var/train.log)" >&2; exit 1; }
    echo "$FINGERPRINT" > models/bot.fingerprint
    echo "$(( $(date +%s) - started ))" > models/bot.train_seconds  # bench/run.py reports it
    echo "    model ready ($(( $(date +%s) - started ))s): models/bot.tar.gz"
  fi
fi
