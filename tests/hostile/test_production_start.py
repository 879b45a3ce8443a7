"""An operator copies the local set-up into production: both servers refuse to start, with one
line naming the problem, and nothing listens. The real commands, as scripts/run.sh runs them,
with the environment scripts/simulator.env gives."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from testkit.stack import ROOT, free_port

pytestmark = pytest.mark.slow
SERVERS = {
    "rasa": "{python} -m connectors run -m models/bot.tar.gz --enable-api -i 127.0.0.1 -p {port} "
            "--credentials credentials.yml",
    "actions": "{python} -m actions -p {port}",
}


def start(server: str, exports: str = "") -> tuple[subprocess.CompletedProcess, int]:
    port = free_port()
    command = SERVERS[server].format(python=sys.executable, port=port)
    script = f"set -e; source scripts/simulator.env; export POSTSALE_MODE=production; {exports} exec {command}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MELI_", "INBOX_", "HANDOFF_", "REST_"))}
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return done, port


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_demo_secrets_stop_the_start_with_one_line(server: str) -> None:
    done, port = start(server)
    assert done.returncode == 2, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("configuration error")]
    assert lines == ["configuration error: POSTSALE_MODE=production: MELI_WEBHOOK_SECRET is a published demo "
                     "value (scripts/simulator.env)"], done.stderr[-2000:]
    assert "Traceback" not in done.stderr


def test_strong_secrets_but_an_open_rasa_api_is_refused() -> None:
    strong = " ".join(f"export {name}={value};" for name, value in {
        "MELI_WEBHOOK_SECRET": "w" * 32, "MELI_CLIENT_SECRET": "c" * 32, "MELI_REFRESH_TOKEN": "TG-" + "r" * 30,
        "MELI_TOKEN_KEY": "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=", "INBOX_AGENTS": "ana:" + "a" * 32,
        "MELI_REDIRECT_URI": "https://bot.example.com/webhooks/inbox/oauth/callback", "MELI_AUTH_URL": ""}.items())
    done, _ = start("rasa", strong)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Rasa's HTTP API (--enable-api) needs --auth-token or --jwt-secret" in done.stderr
