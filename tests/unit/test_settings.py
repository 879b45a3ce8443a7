"""Settings are read once and a bad one stops the start with one line naming it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from postsale import settings
from postsale.settings import SettingsError

ROOT = Path(__file__).resolve().parents[2]


def load(tmp_path: Path, endpoints: str | None = None, **env: str) -> settings.Settings:
    path = tmp_path / "endpoints.yml"
    if endpoints is not None:
        path.write_text(endpoints, encoding="utf-8")
    return settings.load({"RASA_ENDPOINTS": str(path), **env})


def test_defaults_need_no_variable(tmp_path: Path) -> None:
    current = load(tmp_path)
    assert current.marketplace.api_url == "https://api.mercadolibre.com"
    assert (current.marketplace.timeout, current.marketplace.max_retries) == (5.0, 3)
    assert current.database_url == "sqlite:///var/mercadolibre.db"
    assert current.handoff.inbox is False and current.handoff.business_hours is None
    assert current.inbox_agents == {}


def test_the_repository_endpoints_file_is_valid() -> None:
    current = settings.load({"RASA_ENDPOINTS": str(ROOT / "endpoints.yml")})
    assert current.handoff.inbox is True
    assert current.handoff.jsonl_path == "var/handoffs.jsonl"
    assert current.handoff.business_hours is not None and current.handoff.business_hours.open == "08:00"
    assert "email" in current.handoff.data_requests
    assert current.handoff.take_within_minutes == 30


def test_environment_overrides_the_endpoints_file(tmp_path: Path) -> None:
    current = load(tmp_path, "handoff:\n  jsonl_path: a.jsonl\n  inbox: true\n",
                   HANDOFF_JSONL_PATH="", HANDOFF_INBOX="false", HANDOFF_WEBHOOK_URL="http://127.0.0.1:9/h")
    assert current.handoff.jsonl_path is None  # an empty variable switches the destination off
    assert current.handoff.inbox is False
    assert current.handoff.webhook_url == "http://127.0.0.1:9/h"


def test_log_level_takes_what_rasa_takes(tmp_path: Path) -> None:
    assert load(tmp_path, LOG_LEVEL="warn").log_level == "WARN"
    assert load(tmp_path, LOG_LEVEL="debug").log_level == "DEBUG"


def test_one_database_for_intake_tokens_and_tickets(tmp_path: Path) -> None:
    assert load(tmp_path, MELI_DB_URL="postgresql://db/meli").database_url == "postgresql://db/meli"


@pytest.mark.parametrize("env, named", [
    ({"MELI_TIMEOUT": "five"}, "MELI_TIMEOUT must be a number of seconds, got 'five'"),
    ({"MELI_MAX_RETRIES": "2.5"}, "MELI_MAX_RETRIES must be a whole number"),
    ({"MELI_MAX_RETRIES": "-1"}, "MELI_MAX_RETRIES must not be negative"),
    ({"MELI_SELLER_ID": "12ab"}, "MELI_SELLER_ID must be a Mercado Libre id"),
    ({"MELI_APP_ID": "１２３"}, "MELI_APP_ID must be a Mercado Libre id"),  # full-width digits are not ids
    ({"MELI_CONVERSATION_GUARD": "maybe"}, "MELI_CONVERSATION_GUARD must be one of"),
    ({"HANDOFF_INBOX": "sim"}, "HANDOFF_INBOX must be one of"),
    ({"HANDOFF_ASSISTANT_KIND": "llm"}, "HANDOFF_ASSISTANT_KIND: 'llm' is not one of rule_based, generative"),
    ({"INBOX_AGENTS": "ana:token-ana,bruno"}, "INBOX_AGENTS: 'bruno' is not name:token"),
    ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'LOUD'"),
    ({"LOG_LEVEL": "verbose"}, "LOG_LEVEL must be one of"),
])
def test_a_bad_variable_is_named(tmp_path: Path, env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as problem:
        load(tmp_path, **env)
    assert named in str(problem.value)


@pytest.mark.parametrize("section, named", [
    ("handoff:\n  business_hours: {timezone: Mars/Olympus}\n", "business_hours.timezone: unknown time zone"),
    ("handoff:\n  business_hours: {days: [mon, funday]}\n", "business_hours.days"),
    ("handoff:\n  business_hours: {open: '8h'}\n", "business_hours.open: '8h' is not HH:MM"),
    ("handoff:\n  assistant_kind: gpt\n", "handoff.assistant_kind: 'gpt' is not one of"),
    ("handoff:\n  data_requests: email\n", "handoff.data_requests: must be a list"),
    ("handoff:\n  take_within_minutes: soon\n", "handoff.take_within_minutes: 'soon' is not a number"),
    ("handoff: [1, 2]\n", "handoff: must be a mapping"),
    ("handoff: {\n", "is not valid YAML"),
])
def test_a_bad_endpoints_section_is_named(tmp_path: Path, section: str, named: str) -> None:
    with pytest.raises(SettingsError) as problem:
        load(tmp_path, section)
    assert named in str(problem.value)


def test_the_channel_names_what_it_is_missing(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="MELI_APP_ID is required"):
        load(tmp_path).marketplace.require_channel()
    with pytest.raises(SettingsError, match="MELI_REFRESH_TOKEN or MELI_ACCESS_TOKEN"):
        load(tmp_path, MELI_APP_ID="1", MELI_SELLER_ID="2").marketplace.require_channel()
    load(tmp_path, MELI_APP_ID="1", MELI_SELLER_ID="2", MELI_ACCESS_TOKEN="t").marketplace.require_channel()


@pytest.mark.parametrize("command", [["-m", "connectors", "run"], ["-m", "rasa_sdk", "--actions", "actions"]])
def test_both_servers_refuse_to_start_with_a_bad_variable(command: list[str]) -> None:
    proc = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "MELI_TIMEOUT": "soon", "RASA_TELEMETRY_ENABLED": "false"})
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last == "configuration error: MELI_TIMEOUT must be a number of seconds, got 'soon'"


def test_the_rasa_server_names_a_missing_channel_variable_before_rasa_starts(monkeypatch, capsys) -> None:
    """`python -m connectors run` with the repository's credentials.yml and no MELI_* variables."""
    from connectors.__main__ import main

    for name in ("MELI_APP_ID", "MELI_SELLER_ID", "MELI_ACCESS_TOKEN", "MELI_REFRESH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["run", "--credentials", str(ROOT / "credentials.yml")]) == 2
    assert capsys.readouterr().err.startswith("configuration error: MELI_APP_ID is required")


def test_a_credentials_file_with_values_is_refused_with_the_variables_to_use(tmp_path: Path) -> None:
    from connectors.__main__ import check_channels, credentials_of

    old = tmp_path / "credentials.yml"
    old.write_text("rest:\nconnectors.inbox.InboxInput:\n  agents: ana:token\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="InboxInput takes no values; manage agents with scripts/agents.py"):
        check_channels(credentials_of(["run", "--credentials", str(old)]))


def test_verbosity_flags_set_the_products_log_level_like_rasas() -> None:
    from connectors.__main__ import log_level

    assert log_level(["run", "--debug"], "INFO") == "DEBUG"
    assert log_level(["run", "-vv"], "INFO") == "DEBUG"
    assert log_level(["run", "--quiet"], "INFO") == "WARNING"
    assert log_level(["run"], "WARN") == "WARN"
