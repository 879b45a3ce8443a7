"""The stores this deployment serves: Mercado Libre seller accounts, each a tenant.

One Mercado Libre application receives the notifications of every seller who authorised it, at
one callback URL, with the seller in `user_id`; so one deployment serves many stores. A store is
*connected* (its tokens work), *disconnected* (a refresh answered `invalid_grant`: the seller
revoked the app, changed password, or 6 months passed; its notifications are kept and processed
when it connects again) or unknown (its notifications are dropped).

Each store's settings are overrides over the deployment's defaults (endpoints.yml `handoff`,
HANDOFF_* variables: postsale.settings), stored in SQL and read on every handoff, so a change
takes effect on the next message without a restart. The keys an admin or a lead may set are
STORE_SETTINGS, validated by the same parsers as the endpoints file. Agents belong to stores
(`agent_stores`); an admin (postsale.agents.ADMIN) sees every store.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import BigInteger, Column, Float, String, Table, Text, select
from sqlalchemy.exc import IntegrityError

from postsale import conversation_id, settings
from postsale.db import get_engine, metadata
from postsale.sealed import cipher_from_settings
from postsale.settings import ASSISTANT_KINDS, HELP_ROUTES, BusinessHours, Handoff, SettingsError

CONNECTED, DISCONNECTED = "connected", "disconnected"
# The sites a store can be connected on, with the domain of their authorization page (reference §7.1).
AUTH_DOMAINS: dict[str, str] = {
    "MLB": "auth.mercadolivre.com.br", "MLA": "auth.mercadolibre.com.ar", "MLM": "auth.mercadolibre.com.mx",
    "MCO": "auth.mercadolibre.com.co", "MLC": "auth.mercadolibre.cl", "MLU": "auth.mercadolibre.com.uy",
    "MPE": "auth.mercadolibre.com.pe",
}
# What a store may override, and how each is shown on the admin page.
STORE_SETTINGS: tuple[str, ...] = (
    "help_route", "business_hours", "take_within_minutes", "data_requests", "assistant_kind",
    "webhook_url", "webhook_secret",
)
MAX_DATA_REQUESTS = 20

stores = Table(
    "stores",
    metadata,
    Column("seller_id", BigInteger, primary_key=True),
    Column("nickname", String(128), nullable=True),
    Column("site_id", String(8), nullable=True),
    Column("status", String(16), nullable=False),
    Column("status_detail", String(200), nullable=True),
    Column("settings", Text, nullable=False),  # JSON: the overrides (webhook_secret sealed)
    Column("connected_by", String(64), nullable=True),
    Column("connected_at", Float, nullable=True),
    Column("updated_at", Float, nullable=False),
)

agent_stores = Table(
    "agent_stores",
    metadata,
    Column("agent", String(64), primary_key=True),
    Column("seller_id", BigInteger, primary_key=True),
)


class StoreError(ValueError):
    """A store request that cannot be done (unknown store, bad setting); the message says why."""


@dataclass(frozen=True)
class Store:
    seller_id: int
    nickname: str | None
    site_id: str | None
    status: str
    status_detail: str | None
    overrides: Mapping[str, Any]
    connected_by: str | None
    connected_at: float | None
    updated_at: float

    @property
    def connected(self) -> bool:
        return self.status == CONNECTED

    def as_json(self) -> dict[str, Any]:
        """What the admin page shows: never the webhook secret, only whether one is set."""
        shown = {k: v for k, v in self.overrides.items() if k != "webhook_secret"}
        shown["webhook_secret_set"] = bool(self.overrides.get("webhook_secret"))
        return {"seller_id": self.seller_id, "nickname": self.nickname, "site_id": self.site_id,
                "status": self.status, "status_detail": self.status_detail, "overrides": shown,
                "connected_by": self.connected_by, "connected_at": self.connected_at, "updated_at": self.updated_at}


def _store(row: Any) -> Store:
    return Store(int(row.seller_id), row.nickname, row.site_id, row.status, row.status_detail,
                 json.loads(row.settings or "{}"), row.connected_by, row.connected_at, row.updated_at)


# --- stores ----------------------------------------------------------------------------------
def get(seller_id: int) -> Store | None:
    with get_engine().connect() as conn:
        row = conn.execute(select(stores).where(stores.c.seller_id == int(seller_id))).first()
    return _store(row) if row else None


def listing(seller_ids: Iterable[int] | None = None) -> list[Store]:
    """Every store, or those of `seller_ids` (an agent's), by nickname."""
    query = select(stores).order_by(stores.c.nickname, stores.c.seller_id)
    if seller_ids is not None:
        query = query.where(stores.c.seller_id.in_([int(s) for s in seller_ids]))
    with get_engine().connect() as conn:
        return [_store(row) for row in conn.execute(query)]


def statuses() -> dict[int, str]:
    """seller -> connected | disconnected: what the webhook and the worker check (cached there)."""
    with get_engine().connect() as conn:
        return {int(r.seller_id): r.status for r in conn.execute(select(stores.c.seller_id, stores.c.status))}


def connect(seller_id: int, nickname: str | None, site_id: str | None, by: str | None) -> Store:
    """A store connected (or connected again): its overrides are kept across reconnections."""
    now = time.time()
    values = {"nickname": nickname, "site_id": site_id, "status": CONNECTED, "status_detail": None,
              "connected_by": by, "connected_at": now, "updated_at": now}
    engine = get_engine()
    try:
        with engine.begin() as conn:
            if not conn.execute(stores.update().where(stores.c.seller_id == int(seller_id)).values(**values)).rowcount:
                conn.execute(stores.insert().values(seller_id=int(seller_id), settings="{}", **values))
    except IntegrityError:  # another replica inserted it in between: update it
        with engine.begin() as conn:
            conn.execute(stores.update().where(stores.c.seller_id == int(seller_id)).values(**values))
    store = get(seller_id)
    assert store is not None
    return store


def set_profile(seller_id: int, nickname: str | None, site_id: str | None) -> None:
    """The nickname and site `/users/me` gives (the configured store starts without them)."""
    with get_engine().begin() as conn:
        conn.execute(stores.update().where(stores.c.seller_id == int(seller_id)).values(
            nickname=nickname, site_id=site_id, updated_at=time.time()))


def disconnect(seller_id: int, detail: str) -> bool:
    """Mark a connected store disconnected (its refresh was refused); True when it changed."""
    with get_engine().begin() as conn:
        return bool(conn.execute(stores.update().where(
            (stores.c.seller_id == int(seller_id)) & (stores.c.status == CONNECTED)).values(
            status=DISCONNECTED, status_detail=detail[:200], updated_at=time.time())).rowcount)


def seed_configured(seller_id: int | None) -> bool:
    """The upgrade path: a deployment configured with MELI_SELLER_ID serves that store from its
    first start as a multi-store deployment, with no manual step. Its agents (every agent not yet
    given a store) work its tickets. True when the store was added now."""
    if seller_id is None:
        return False
    now = time.time()
    try:
        with get_engine().begin() as conn:
            if conn.execute(select(stores.c.seller_id).where(stores.c.seller_id == int(seller_id))).first():
                return False
            conn.execute(stores.insert().values(seller_id=int(seller_id), status=CONNECTED, settings="{}",
                                                connected_by="MELI_SELLER_ID", connected_at=now, updated_at=now))
    except IntegrityError:
        return False
    from postsale.agents import names_without_store

    for name in names_without_store():
        assign(name, int(seller_id))
    return True


# --- settings --------------------------------------------------------------------------------
def handoff_for(seller_id: int | None, defaults: Handoff | None = None) -> Handoff:
    """The deployment's handoff settings with the store's overrides applied (the decision table,
    business hours, destinations and routing of that store). No store: the defaults."""
    base = defaults or settings.current().handoff
    store = get(seller_id) if seller_id is not None else None
    if store is None or not store.overrides:
        return base
    values = dict(store.overrides)
    if values.get("webhook_secret"):
        values["webhook_secret"] = cipher_from_settings(settings.current()).open(values["webhook_secret"])
    if "business_hours" in values:
        hours = values["business_hours"]
        values["business_hours"] = BusinessHours.from_mapping(hours) if hours else None
    if "data_requests" in values:
        values["data_requests"] = tuple(values["data_requests"])
    return dataclasses.replace(base, **values)


def handoff_for_conversation(conversation: str) -> Handoff:
    """The settings of the store a conversation belongs to (the defaults for non-marketplace ones)."""
    parsed = conversation_id.parse(conversation)
    return handoff_for(parsed[0] if parsed else None)


def update_settings(seller_id: int, changes: Mapping[str, Any], production: bool | None = None) -> Store:
    """Apply an admin's or lead's changes: a key set to null goes back to the default."""
    store = get(seller_id)
    if store is None:
        raise StoreError("unknown store")
    production = settings.current().production if production is None else production
    overrides = dict(store.overrides)
    for key, value in changes.items():
        if key not in STORE_SETTINGS:
            raise StoreError(f"{key}: not a store setting ({', '.join(STORE_SETTINGS)})")
        if value is None:
            overrides.pop(key, None)
        else:
            overrides[key] = _checked(key, value, production)
    with get_engine().begin() as conn:
        conn.execute(stores.update().where(stores.c.seller_id == int(seller_id)).values(
            settings=json.dumps(overrides, ensure_ascii=False), updated_at=time.time()))
    updated = get(seller_id)
    assert updated is not None
    return updated


def effective_settings(seller_id: int) -> dict[str, Any]:
    """What the store runs with now (its overrides over the defaults), for the admin page."""
    config = handoff_for(seller_id)
    hours = config.business_hours
    return {"help_route": config.help_route, "complaint_route": "agents",
            "business_hours": dataclasses.asdict(hours) if hours else None,
            "take_within_minutes": config.take_within_minutes, "data_requests": list(config.data_requests),
            "assistant_kind": config.assistant_kind, "webhook_url": config.webhook_url,
            "webhook_secret_set": bool(config.webhook_secret)}


def _checked(key: str, value: Any, production: bool) -> Any:
    """One setting as stored, or StoreError naming it (the same rules as endpoints.yml)."""
    try:
        if key == "help_route":
            if value not in HELP_ROUTES:
                raise StoreError(f"help_route: one of {', '.join(HELP_ROUTES)}")
            return value
        if key == "assistant_kind":
            if value not in ASSISTANT_KINDS:
                raise StoreError(f"assistant_kind: one of {', '.join(ASSISTANT_KINDS)}")
            return value
        if key == "take_within_minutes":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 7 * 24 * 60:
                raise StoreError("take_within_minutes: a number of minutes, 0 (off) to 10080")
            return float(value)
        if key == "data_requests":
            if not isinstance(value, list) or len(value) > MAX_DATA_REQUESTS or not all(
                    isinstance(v, str) and 0 < len(v) <= 40 and v.replace("_", "").isalnum() for v in value):
                raise StoreError(f"data_requests: a list of up to {MAX_DATA_REQUESTS} field names (letters, digits, _)")
            return list(value)
        if key == "business_hours":
            if not isinstance(value, dict):
                raise StoreError("business_hours: {timezone, days, open, close}")
            return dataclasses.asdict(BusinessHours.from_mapping(value))
        if key == "webhook_url":
            return check_webhook_url(value, production)
        if key == "webhook_secret":
            if not isinstance(value, str) or not 16 <= len(value) <= 200:
                raise StoreError("webhook_secret: 16 to 200 characters")
            return cipher_from_settings(settings.current()).seal(value)
    except SettingsError as problem:
        raise StoreError(str(problem)) from None
    raise StoreError(f"{key}: not a store setting")


def check_webhook_url(value: Any, production: bool) -> str:
    """A URL the action server will POST tickets to: http(s), no credentials in it; in production
    https only and never an address inside the deployment's own network (loopback, private,
    link-local), which a lead could otherwise aim the action server at."""
    if not isinstance(value, str) or len(value) > 500:
        raise StoreError("webhook_url: an http(s) URL up to 500 characters")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username or parts.password:
        raise StoreError("webhook_url: an http(s) URL without user or password")
    if production:
        if parts.scheme != "https":
            raise StoreError("webhook_url: https in production")
        try:
            address = ipaddress.ip_address(parts.hostname)
        except ValueError:
            address = None
        if parts.hostname == "localhost" or (address is not None and not address.is_global):
            raise StoreError("webhook_url: not an internal address in production")
    return value


# --- agents and stores -----------------------------------------------------------------------
def stores_of(agent: str) -> set[int]:
    with get_engine().connect() as conn:
        return {int(s) for s in conn.execute(select(agent_stores.c.seller_id).where(agent_stores.c.agent == agent))
                .scalars()}


def assign(agent: str, seller_id: int) -> None:
    if get(seller_id) is None:
        raise StoreError(f"no store {seller_id}")
    try:
        with get_engine().begin() as conn:
            conn.execute(agent_stores.insert().values(agent=agent, seller_id=int(seller_id)))
    except IntegrityError:
        pass  # already theirs


def adopt(names: Iterable[str], seller_id: int | None) -> None:
    """Agents given no store yet (INBOX_AGENTS, the single-store configuration) work this one;
    admins need none. Agents made with scripts/agents.py get their stores explicitly."""
    if seller_id is None:
        return
    from postsale.agents import names_without_store

    for name in set(names) & set(names_without_store()):
        assign(name, seller_id)


def unassign(agent: str, seller_id: int) -> None:
    with get_engine().begin() as conn:
        conn.execute(agent_stores.delete().where(
            (agent_stores.c.agent == agent) & (agent_stores.c.seller_id == int(seller_id))))


def agents_of(seller_id: int) -> set[str]:
    with get_engine().connect() as conn:
        return set(conn.execute(select(agent_stores.c.agent).where(agent_stores.c.seller_id == int(seller_id)))
                   .scalars())


def authorization_url(site_id: str, override: str | None = None) -> str:
    """The site's authorization page (MELI_AUTH_URL replaces it, e.g. with the simulator's)."""
    if site_id not in AUTH_DOMAINS:
        raise StoreError(f"site: one of {', '.join(AUTH_DOMAINS)}")
    return override or f"https://{AUTH_DOMAINS[site_id]}/authorization"
