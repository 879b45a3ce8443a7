"""The two run modes: local (simulator, demo tokens, loopback) and production (POSTSALE_MODE).

Local mode is what `scripts/run.sh` starts: every secret has a published demo value from
scripts/simulator.env, so a new user needs no credentials. Those values are public, so
production refuses them: a server started with POSTSALE_MODE=production stops at once, with one
line naming the first problem, when a secret it needs is missing, shorter than MIN_SECRET or
one of the shipped demo values. Both servers run these checks on start (the Rasa server also
checks its own HTTP API flags: connectors/__main__.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from postsale.settings import REPO, Settings, SettingsError

MIN_SECRET = 24
DEMO_FILE = REPO / "scripts" / "simulator.env"  # the one place the demo values are written
_DEFAULT = re.compile(r"\$\{(?P<name>[A-Z0-9_]+):-(?P<value>[^}]*)\}")


def demo_values(path: Path = DEMO_FILE) -> frozenset[str]:
    """Every default scripts/simulator.env gives, and each token inside `name:token[:role]` lists."""
    values: set[str] = set()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    for match in _DEFAULT.finditer(text):
        value = match.group("value")
        values.add(value)
        for item in value.split(","):  # name:token[:role] lists: the token is a value too
            parts = item.split(":")
            if len(parts) > 1:
                values.add(parts[1])
    return frozenset(v for v in values if v and "$" not in v and "/" not in v)


def weakness(value: str | None, demo: frozenset[str] | None = None) -> str | None:
    """Why a secret must not be used in production, or None when it may."""
    if not value:
        return "is not set"
    if value in (demo_values() if demo is None else demo):
        return "is a published demo value (scripts/simulator.env)"
    if len(value) < MIN_SECRET:
        return f"is shorter than {MIN_SECRET} characters"
    return None


def problems(current: Settings) -> Iterator[str]:
    """What production refuses in these settings, first the most fundamental."""
    demo = demo_values()
    market = current.marketplace
    required = {
        "MELI_WEBHOOK_SECRET": market.webhook_secret,
        "MELI_TOKEN_KEY": current.token_key,
    }
    if market.seller_id is None:  # stores connect in the admin page: the app's secret is needed
        required["MELI_CLIENT_SECRET"] = market.client_secret
    elif market.client_id or market.client_secret or market.refresh_token:
        required["MELI_CLIENT_SECRET"] = market.client_secret
        required["MELI_REFRESH_TOKEN"] = market.refresh_token
    if market.seller_id is not None and (market.access_token or not market.refresh_token):
        required["MELI_ACCESS_TOKEN"] = market.access_token
    if current.handoff.webhook_url:
        required["HANDOFF_WEBHOOK_SECRET (handoff.webhook_secret)"] = current.handoff.webhook_secret
    if current.rest_token is not None:
        required["REST_AUTH_TOKEN"] = current.rest_token
    for name, value in required.items():
        why = weakness(value, demo)
        if why:
            yield f"{name} {why}"
    if market.client_secret and not (market.redirect_uri or "").startswith("https://"):
        yield ("MELI_REDIRECT_URI must be the https redirect URI registered with the application (the connect "
               "flow's callback, .../webhooks/inbox/oauth/callback)")
    if market.auth_url:
        yield "MELI_AUTH_URL replaces Mercado Libre's authorization pages: a local-mode setting only"
    for token, agent in current.inbox_agents.items():
        why = weakness(token, demo)
        if why:
            yield f"INBOX_AGENTS: the token of {agent!r} {why}"


def check(current: Settings) -> None:
    """Raise SettingsError with the first problem; nothing to check in local mode."""
    if not current.production:
        return
    for problem in problems(current):
        raise SettingsError(f"POSTSALE_MODE=production: {problem}")
