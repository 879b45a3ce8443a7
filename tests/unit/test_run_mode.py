"""Production refuses to start with missing, short or published secrets, and with Rasa's HTTP
API open; local mode starts as it always did. In-process: `connectors.__main__.main` and
`actions.__main__.main` return before any server starts."""

from __future__ import annotations

import pytest

import simulator.constants as sim
from connectors import __main__ as rasa_server
from postsale import run_mode, settings

STRONG = {
    "POSTSALE_MODE": "production",
    "MELI_APP_ID": "5551234", "MELI_SELLER_ID": "123456789", "MELI_CLIENT_ID": "5551234",
    "MELI_CLIENT_SECRET": "c" * 32, "MELI_REFRESH_TOKEN": "TG-" + "r" * 40,
    "MELI_WEBHOOK_SECRET": "w" * 32, "MELI_TOKEN_KEY": "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=",
    "INBOX_AGENTS": "ana:" + "a" * 32, "RASA_ENDPOINTS": "/nonexistent/endpoints.yml",
    "MELI_REDIRECT_URI": "https://bot.example.com/webhooks/inbox/oauth/callback",
}


def problems(**change: str | None) -> list[str]:
    env = {k: v for k, v in {**STRONG, **change}.items() if v is not None}
    return list(run_mode.problems(settings.load(env)))


def test_strong_production_settings_pass() -> None:
    assert problems() == []


@pytest.mark.parametrize("name, value, expected", [
    ("MELI_WEBHOOK_SECRET", None, "MELI_WEBHOOK_SECRET is not set"),
    ("MELI_WEBHOOK_SECRET", "local-dev-secret", "MELI_WEBHOOK_SECRET is a published demo value"),
    ("MELI_WEBHOOK_SECRET", "short-secret", "MELI_WEBHOOK_SECRET is shorter than 24 characters"),
    ("MELI_TOKEN_KEY", None, "MELI_TOKEN_KEY is not set"),
    ("MELI_CLIENT_SECRET", "sim-client-secret", "MELI_CLIENT_SECRET is a published demo value"),
    ("MELI_REFRESH_TOKEN", "TG-sim-refresh-token-123456789", "MELI_REFRESH_TOKEN is a published demo value"),
    ("MELI_ACCESS_TOKEN", "APP_USR-sim-access-token", "MELI_ACCESS_TOKEN is a published demo value"),
    ("INBOX_AGENTS", "agente:local-agent-token", "INBOX_AGENTS: the token of 'agente' is a published demo value"),
    ("REST_AUTH_TOKEN", "rest", "REST_AUTH_TOKEN is shorter than 24 characters"),
    ("HANDOFF_WEBHOOK_URL", "https://crm.example/hook", "HANDOFF_WEBHOOK_SECRET (handoff.webhook_secret) is not set"),
    ("MELI_REDIRECT_URI", None, "MELI_REDIRECT_URI must be the https redirect URI"),
    ("MELI_REDIRECT_URI", "http://bot.example.com/cb", "MELI_REDIRECT_URI must be the https redirect URI"),
    ("MELI_AUTH_URL", "http://127.0.0.1:8089/authorization", "MELI_AUTH_URL replaces"),
    ("INBOX_AGENTS", "admin:local-admin-token:admin", "INBOX_AGENTS: the token of 'admin' is a published demo"),
])
def test_each_weak_secret_is_named(name: str, value: str | None, expected: str) -> None:
    assert any(p.startswith(expected) for p in problems(**{name: value})), problems(**{name: value})


def test_no_refresh_token_means_an_access_token_is_required() -> None:
    found = problems(MELI_CLIENT_ID=None, MELI_CLIENT_SECRET=None, MELI_REFRESH_TOKEN=None)
    assert found == ["MELI_ACCESS_TOKEN is not set"]


def test_every_secret_the_simulator_knows_is_a_demo_value() -> None:
    demo = run_mode.demo_values()
    for value in (sim.CLIENT_SECRET, sim.REFRESH_TOKEN, sim.ACCESS_TOKEN, "local-dev-secret", "local-agent-token"):
        assert value in demo


def test_local_mode_checks_nothing() -> None:
    run_mode.check(settings.load({"MELI_WEBHOOK_SECRET": "local-dev-secret", "RASA_ENDPOINTS": "/nonexistent"}))


def start(monkeypatch: pytest.MonkeyPatch, args: list[str], **env: str) -> int:
    for name in ("POSTSALE_MODE", "MELI_ACCESS_TOKEN", "REST_AUTH_TOKEN", "HANDOFF_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**STRONG, **env}.items():
        monkeypatch.setenv(name, value)
    settings.reset()
    return rasa_server.main(args)


def test_the_rasa_server_refuses_demo_secrets_in_production(monkeypatch, capsys) -> None:
    assert start(monkeypatch, ["run"], MELI_WEBHOOK_SECRET="local-dev-secret") == 2
    err = capsys.readouterr().err.strip()
    assert err == ("configuration error: POSTSALE_MODE=production: MELI_WEBHOOK_SECRET is a published demo value "
                   "(scripts/simulator.env)")


@pytest.mark.parametrize("args, expected", [
    (["run", "--enable-api"], "needs --auth-token or --jwt-secret"),
    (["run", "--enable-api", "--auth-token", "thisisnotlong"], "--auth-token is shorter than 24 characters"),
    (["run", "--enable-api", "--auth-token=local-dev-secret"], "--auth-token is a published demo value"),
])
def test_rasa_api_needs_a_real_token_in_production(monkeypatch, capsys, args, expected) -> None:
    assert start(monkeypatch, args) == 2
    assert expected in capsys.readouterr().err


def test_rasa_api_with_a_strong_token_or_off_passes_the_check() -> None:
    rasa_server.check_rasa_api(["run", "--enable-api", "--auth-token", "t" * 40])
    rasa_server.check_rasa_api(["run", "--enable-api", "--jwt-secret", "j" * 40])
    rasa_server.check_rasa_api(["run"])


def test_the_action_server_refuses_demo_secrets_in_production(monkeypatch, capsys) -> None:
    from actions.__main__ import main as action_server

    for name, value in {**STRONG, "MELI_CLIENT_SECRET": "sim-client-secret"}.items():
        monkeypatch.setenv(name, value)
    settings.reset()
    assert action_server(["-p", "5999"]) == 2
    assert "MELI_CLIENT_SECRET is a published demo value" in capsys.readouterr().err


def test_mode_is_local_or_production_only() -> None:
    with pytest.raises(settings.SettingsError, match="POSTSALE_MODE must be one of local, production"):
        settings.load({"POSTSALE_MODE": "prod"})
