"""Every setting of the product, read once and checked before anything serves a buyer.

Settings come from environment variables and from the `handoff` section of the endpoints file
(`RASA_ENDPOINTS`, default endpoints.yml). Nothing else in the product reads `os.environ`: a
process calls `current()` when it starts (the action server on import of `actions`, the Rasa
server in `python -m connectors`), so a typo fails the start with one message naming the
variable, instead of a buyer's conversation failing later. One database URL (`MELI_DB_URL`)
serves the intake, the tokens and the tickets, so the channel and the inbox cannot drift apart.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_API_URL = "https://api.mercadolibre.com"
DEFAULT_DB_URL = "sqlite:///var/mercadolibre.db"
DEFAULT_ENDPOINTS = "endpoints.yml"
DEFAULT_REVIEW_QUEUE = REPO / "var" / "review_queue.jsonl"
ASSISTANT_KINDS = ("rule_based", "generative")
# Who answers Help: the bot, or straight to agents (as the seed's integration lets a seller choose).
# Complaints and requests for a person always go to agents.
HELP_ROUTES = ("bot", "agents")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MODES = ("local", "production")  # POSTSALE_MODE: see postsale/run_mode.py for what production refuses
DEFAULT_RETENTION_DAYS = 90.0
DEFAULT_WEBHOOK_RATE = 500  # notifications per seller per minute (the API's messaging GET budget); 429 beyond
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class SettingsError(ValueError):
    """A setting that cannot work; the message names the variable (or the endpoints key)."""


@dataclass(frozen=True)
class Marketplace:
    """Mercado Libre: the API, the seller's app and tokens, the webhook (MELI_* variables)."""

    api_url: str = DEFAULT_API_URL
    access_token: str | None = None
    timeout: float = 5.0  # the action server's client (the channel keeps the client's 5 s: output.py)
    max_retries: int = 3
    app_id: int | None = None
    seller_id: int | None = None
    client_id: str | None = None
    client_secret: str | None = None
    refresh_token: str | None = None
    webhook_secret: str | None = None
    # Stable per deployment slot: a restarted process takes back its own unfinished rows at once.
    worker_id: str = field(default_factory=socket.gethostname)
    # The cross-replica conversation guard; None = on where replicas can share the database.
    conversation_guard: bool | None = None
    # Notifications accepted per seller per minute (MELI_WEBHOOK_RATE); the excess gets 429.
    webhook_rate_per_minute: int = DEFAULT_WEBHOOK_RATE
    # The OAuth connect flow (admin page): the redirect URI registered with the application, and
    # an authorization page replacing the sites' own (the simulator's, in local mode).
    redirect_uri: str | None = None
    auth_url: str | None = None

    def require_channel(self) -> None:
        """The marketplace channel needs its application; stores connect in the admin page, or
        one comes from MELI_SELLER_ID with its token (the single-store configuration)."""
        if self.app_id is None:
            raise SettingsError("MELI_APP_ID is required by the Mercado Libre channel (your application id)")
        if self.seller_id is not None and not (self.refresh_token or self.access_token):
            raise SettingsError("MELI_SELLER_ID needs MELI_REFRESH_TOKEN or MELI_ACCESS_TOKEN (or connect the "
                                "store in the admin page and leave MELI_SELLER_ID unset)")
        if self.seller_id is None and not self.can_refresh:
            raise SettingsError("MELI_CLIENT_ID and MELI_CLIENT_SECRET are required to connect stores "
                                "(or set MELI_SELLER_ID with its token)")

    @property
    def can_refresh(self) -> bool:
        return bool(self.client_id and self.client_secret)


@dataclass(frozen=True)
class BusinessHours:
    """When people answer (endpoints.yml `handoff.business_hours`)."""

    timezone: str = "America/Sao_Paulo"
    days: tuple[str, ...] = WEEKDAYS[:5]
    open: str = "09:00"
    close: str = "18:00"

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any], where: str = "business_hours") -> BusinessHours:
        defaults = cls()
        zone = str(config.get("timezone") or defaults.timezone)
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"{where}.timezone: unknown time zone {zone!r}") from None
        days = tuple(str(d).lower()[:3] for d in config.get("days") or defaults.days)
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown:
            raise SettingsError(f"{where}.days: {unknown} are not days ({', '.join(WEEKDAYS)})")
        opens, closes = str(config.get("open", defaults.open)), str(config.get("close", defaults.close))
        for key, value in (("open", opens), ("close", closes)):
            minutes(value, f"{where}.{key}")
        return cls(zone, days, opens, closes)


def minutes(value: str, where: str = "time") -> int:
    """HH:MM as minutes after midnight."""
    hours, _, mins = str(value).partition(":")
    try:
        total = int(hours) * 60 + int(mins or 0)
    except ValueError:
        raise SettingsError(f"{where}: {value!r} is not HH:MM") from None
    if not 0 <= total <= 24 * 60:
        raise SettingsError(f"{where}: {value!r} is not a time of day")
    return total


@dataclass(frozen=True)
class Handoff:
    """Where tickets go and what a handoff may ask (endpoints.yml `handoff`, HANDOFF_* overrides)."""

    jsonl_path: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    inbox: bool = False
    assistant_kind: str = "rule_based"
    data_requests: tuple[str, ...] = ()
    business_hours: BusinessHours | None = None  # None: people are always there
    take_within_minutes: float = 0.0  # 0: no ticket is flagged for waiting
    help_route: str = "bot"  # HELP_ROUTES: "agents" hands every Help question to a person
    # A claim whose seller deadline is this close (or whose 48-hour incentive runs) is marked.
    claim_due_window_hours: float = 12.0


@dataclass(frozen=True)
class Settings:
    marketplace: Marketplace = field(default_factory=Marketplace)
    handoff: Handoff = field(default_factory=Handoff)
    database_url: str = DEFAULT_DB_URL
    inbox_agents: Mapping[str, str] = field(default_factory=dict)  # token -> agent name
    inbox_roles: Mapping[str, str] = field(default_factory=dict)  # name -> lead|admin (INBOX_AGENTS name:token:role)
    review_queue_path: Path = DEFAULT_REVIEW_QUEUE
    endpoints_path: Path = Path(DEFAULT_ENDPOINTS)
    log_level: str = "INFO"  # LOG_LEVEL, Rasa's own variable: the product's loggers follow it too
    mode: str = "local"  # POSTSALE_MODE: local | production (postsale/run_mode.py)
    rest_token: str | None = None  # REST_AUTH_TOKEN: the REST channel's bearer token
    token_key: str | None = None  # MELI_TOKEN_KEY: Fernet key encrypting OAuth tokens at rest
    retention_days: float = DEFAULT_RETENTION_DAYS  # RETENTION_DAYS: resolved tickets, intake, review items
    actions_host: str = "127.0.0.1"  # ACTIONS_HOST: the interface the action server listens on

    @property
    def production(self) -> bool:
        return self.mode == "production"


# --- reading -------------------------------------------------------------------------------------
def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and check everything; raises SettingsError naming the first bad variable."""
    env = os.environ if environ is None else environ
    endpoints = Path(_text(env, "RASA_ENDPOINTS") or DEFAULT_ENDPOINTS)
    return Settings(
        marketplace=Marketplace(
            api_url=(_text(env, "MELI_API_URL") or DEFAULT_API_URL).rstrip("/"),
            access_token=_text(env, "MELI_ACCESS_TOKEN"),
            timeout=_number(env, "MELI_TIMEOUT", 5.0, "a number of seconds"),
            max_retries=int(_number(env, "MELI_MAX_RETRIES", 3, "a whole number", whole=True)),
            app_id=_id(env, "MELI_APP_ID"),
            seller_id=_id(env, "MELI_SELLER_ID"),
            client_id=_text(env, "MELI_CLIENT_ID"),
            client_secret=_text(env, "MELI_CLIENT_SECRET"),
            refresh_token=_text(env, "MELI_REFRESH_TOKEN"),
            webhook_secret=_text(env, "MELI_WEBHOOK_SECRET"),
            worker_id=_text(env, "MELI_WORKER_ID") or socket.gethostname(),
            conversation_guard=_flag(env, "MELI_CONVERSATION_GUARD", auto=True),
            webhook_rate_per_minute=int(_number(env, "MELI_WEBHOOK_RATE", DEFAULT_WEBHOOK_RATE,
                                                "a whole number of notifications per minute", whole=True)),
            redirect_uri=_url(env, "MELI_REDIRECT_URI"),
            auth_url=_url(env, "MELI_AUTH_URL"),
        ),
        handoff=_handoff(env, endpoints),
        database_url=_text(env, "MELI_DB_URL") or DEFAULT_DB_URL,
        inbox_agents=parse_agents(_text(env, "INBOX_AGENTS")),
        inbox_roles=parse_roles(_text(env, "INBOX_AGENTS")),
        review_queue_path=Path(_text(env, "REVIEW_QUEUE_PATH") or DEFAULT_REVIEW_QUEUE),
        endpoints_path=endpoints,
        log_level=_log_level(env),
        mode=_choice(env, "POSTSALE_MODE", MODES),
        rest_token=_text(env, "REST_AUTH_TOKEN"),
        token_key=_token_key(env),
        retention_days=_number(env, "RETENTION_DAYS", DEFAULT_RETENTION_DAYS, "a number of days"),
        actions_host=_text(env, "ACTIONS_HOST") or "127.0.0.1",
    )


_current: Settings | None = None


def current() -> Settings:
    """This process's settings, read on first use."""
    global _current
    if _current is None:
        _current = load()
    return _current


def reset() -> None:
    """Forget the settings read so far (tests change the environment between cases)."""
    global _current
    _current = None


def parse_agents(value: str | None) -> dict[str, str]:
    """INBOX_AGENTS="name:token,name:token:lead,name:token:admin" as token -> name (seeds postsale/agents.py)."""
    agents: dict[str, str] = {}
    for item in (value or "").split(","):
        if not item.strip():
            continue
        name, token, role = (item.strip().split(":") + ["", ""])[:3]
        if not name or not token or item.strip().count(":") > 2 or role not in ("", "agent", "lead", "admin"):
            raise SettingsError(f"INBOX_AGENTS: {item.strip()!r} is not name:token or name:token:lead|admin")
        agents[token] = name
    return agents


def parse_roles(value: str | None) -> dict[str, str]:
    """name -> role for the INBOX_AGENTS entries given a role (lead or admin)."""
    return {parts[0]: parts[2] for parts in (item.strip().split(":") for item in (value or "").split(","))
            if len(parts) == 3 and parts[2] in ("lead", "admin")}


def _handoff(env: Mapping[str, str], endpoints: Path) -> Handoff:
    where = f"{endpoints} handoff"
    config: dict[str, Any] = {}
    if endpoints.exists():
        try:
            document = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as problem:
            raise SettingsError(f"RASA_ENDPOINTS: {endpoints} is not valid YAML: {problem}") from None
        section = document.get("handoff") if isinstance(document, dict) else None
        if section is not None and not isinstance(section, dict):
            raise SettingsError(f"{where}: must be a mapping")
        config = dict(section or {})
    for key in ("jsonl_path", "webhook_url", "webhook_secret", "assistant_kind", "help_route"):
        if f"HANDOFF_{key.upper()}" in env:
            config[key] = env[f"HANDOFF_{key.upper()}"] or None
    inbox = _flag(env, "HANDOFF_INBOX") if "HANDOFF_INBOX" in env else bool(config.get("inbox"))
    kind = str(config.get("assistant_kind") or "rule_based")
    if kind not in ASSISTANT_KINDS:
        name = "HANDOFF_ASSISTANT_KIND" if "HANDOFF_ASSISTANT_KIND" in env else f"{where}.assistant_kind"
        raise SettingsError(f"{name}: {kind!r} is not one of {', '.join(ASSISTANT_KINDS)}")
    route = str(config.get("help_route") or "bot")
    if route not in HELP_ROUTES:
        name = "HANDOFF_HELP_ROUTE" if "HANDOFF_HELP_ROUTE" in env else f"{where}.help_route"
        raise SettingsError(f"{name}: {route!r} is not one of {', '.join(HELP_ROUTES)}")
    requests = config.get("data_requests") or []
    if not isinstance(requests, list):
        raise SettingsError(f"{where}.data_requests: must be a list of field names")
    hours = config.get("business_hours")
    if hours is not None and not isinstance(hours, dict):
        raise SettingsError(f"{where}.business_hours: must be a mapping (timezone, days, open, close)")
    take_within = config.get("take_within_minutes") or 0
    try:
        take_within = float(take_within)
    except (TypeError, ValueError):
        raise SettingsError(f"{where}.take_within_minutes: {take_within!r} is not a number") from None
    window = config.get("claim_due_window_hours", 12)
    if isinstance(window, bool) or not isinstance(window, int | float) or not 0 < window <= 24 * 30:
        raise SettingsError(f"{where}.claim_due_window_hours: {window!r} is not a number of hours (0-720]")
    return Handoff(
        jsonl_path=_optional_str(config.get("jsonl_path")),
        webhook_url=_optional_str(config.get("webhook_url")),
        webhook_secret=_optional_str(config.get("webhook_secret")),
        inbox=bool(inbox),
        assistant_kind=kind,
        data_requests=tuple(str(r) for r in requests),
        business_hours=BusinessHours.from_mapping(hours, f"{where}.business_hours") if hours else None,
        take_within_minutes=take_within,
        help_route=route,
        claim_due_window_hours=float(window),
    )


def _url(env: Mapping[str, str], name: str) -> str | None:
    value = _text(env, name)
    if value is not None and not value.startswith(("https://", "http://")):
        raise SettingsError(f"{name} must be an http(s) URL, got {value!r}")
    return value


def _log_level(env: Mapping[str, str]) -> str:
    """What Rasa accepts for LOG_LEVEL: a level name logging knows (WARN and FATAL included)."""
    level = (_text(env, "LOG_LEVEL") or "INFO").upper()
    if not isinstance(logging.getLevelName(level), int):
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return level


def _token_key(env: Mapping[str, str]) -> str | None:
    """MELI_TOKEN_KEY: one Fernet key (32 bytes, url-safe base64), or several separated by commas."""
    value = _text(env, "MELI_TOKEN_KEY")
    for key in (value or "").split(","):
        try:
            valid = len(base64.urlsafe_b64decode(key.strip().encode())) == 32
        except (ValueError, binascii.Error):
            valid = False
        if value and not valid:
            raise SettingsError("MELI_TOKEN_KEY must be Fernet keys (generate one with: python -c \"from "
                                "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\")")
    return value


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = (_text(env, name) or choices[0]).lower()
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value.strip() or None if value is not None else None


def _optional_str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _number(env: Mapping[str, str], name: str, default: float, what: str, whole: bool = False) -> float:
    value = _text(env, name)
    if value is None:
        return default
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        raise SettingsError(f"{name} must be {what}, got {value!r}") from None
    if number < 0:
        raise SettingsError(f"{name} must not be negative, got {value!r}")
    return number


def _id(env: Mapping[str, str], name: str) -> int | None:
    value = _text(env, name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):
        raise SettingsError(f"{name} must be a Mercado Libre id (digits), got {value!r}")
    return int(value)


def _flag(env: Mapping[str, str], name: str, auto: bool = False) -> bool | None:
    value = (_text(env, name) or "").lower()
    if auto and value in ("", "auto"):
        return None
    if value in _TRUE:
        return True
    if value in _FALSE or value == "":
        return False
    raise SettingsError(f"{name} must be one of {', '.join(_TRUE + _FALSE)}{', auto' if auto else ''}, got {value!r}")
