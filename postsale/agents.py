"""The inbox's agents, stored in SQL with hashed tokens, managed while the servers run.

A token is shown once when it is made (`scripts/agents.py add|rotate`) and only its SHA-256 is
kept: tokens are 256 random bits, so a fast hash is enough and a database dump gives nobody a
way in. Every request looks the hash up (an indexed read), so revoking, rotating or expiring a
token takes effect on the next request, without a restart. Roles: `agent` works the tickets
that are open or theirs; `lead` may also reassign, reopen and act on anyone's ticket.
INBOX_AGENTS (`name:token[:lead]`) still works: its agents are written here when the inbox starts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Column, Float, String, Table, select
from sqlalchemy.exc import IntegrityError

from postsale import catalogue
from postsale.db import get_engine, metadata

AGENT, LEAD, ADMIN = "agent", "lead", "admin"
ROLES = (AGENT, LEAD, ADMIN)
DAY = 86400.0

agents = Table(
    "inbox_agents",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=True),
    Column("revoked_at", Float, nullable=True),
    Column("language", String(8), nullable=True),  # the language the agent chose for the inbox (pt/es)
)


LANGUAGES = catalogue.LANGUAGES


class AgentError(ValueError):
    """A management request that cannot be done (unknown agent, bad role, taken name)."""


@dataclass(frozen=True)
class Agent:
    name: str
    role: str

    @property
    def lead(self) -> bool:
        """Leads manage their stores' agents, tickets and settings; an admin is a lead of every store."""
        return self.role in (LEAD, ADMIN)

    @property
    def admin(self) -> bool:
        """Admins connect stores and see all of them."""
        return self.role == ADMIN


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def authenticate(token: str | None, now: float | None = None) -> Agent | None:
    """The agent holding this token, if it is known, not revoked and not expired."""
    if not token or len(token) > 512:
        return None
    digest = hash_token(token)
    with get_engine().connect() as conn:
        row = conn.execute(select(agents).where(agents.c.token_hash == digest)).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest) or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= (time.time() if now is None else now):
        return None
    return Agent(row.name, row.role)


def add(name: str, role: str = AGENT, expires_days: float | None = None, token: str | None = None) -> str:
    """Create an agent; returns the token (shown once, stored hashed)."""
    _check(name, role)
    token = token or new_token()
    now = time.time()
    with get_engine().begin() as conn:
        if conn.execute(select(agents.c.name).where(agents.c.name == name)).first():
            raise AgentError(f"agent {name!r} exists: use rotate to give them a new token")
        conn.execute(agents.insert().values(name=name, role=role, token_hash=hash_token(token), created_at=now,
                                            expires_at=now + expires_days * DAY if expires_days else None))
    return token


def rotate(name: str, expires_days: float | None = None) -> str:
    """A new token for the agent (the old one stops working at once); un-revokes them."""
    token = new_token()
    now = time.time()
    with get_engine().begin() as conn:
        done = conn.execute(agents.update().where(agents.c.name == name).values(
            token_hash=hash_token(token), revoked_at=None,
            expires_at=now + expires_days * DAY if expires_days else None)).rowcount
    if not done:
        raise AgentError(f"no agent {name!r}")
    return token


def revoke(name: str) -> None:
    with get_engine().begin() as conn:
        if not conn.execute(agents.update().where(agents.c.name == name).values(revoked_at=time.time())).rowcount:
            raise AgentError(f"no agent {name!r}")


def listing() -> list[dict[str, object]]:
    """Every agent, without anything that could log in."""
    now = time.time()
    with get_engine().connect() as conn:
        rows = conn.execute(select(agents).order_by(agents.c.name)).fetchall()
    return [{"name": r.name, "role": r.role, "created_at": r.created_at, "expires_at": r.expires_at,
             "status": "revoked" if r.revoked_at else "expired" if r.expires_at and r.expires_at <= now else "active"}
            for r in rows]


def names_without_store() -> list[str]:
    """Agents and leads given no store yet (the upgrade path gives them the configured one)."""
    from postsale.stores import agent_stores

    with get_engine().connect() as conn:
        return list(conn.execute(select(agents.c.name).where(
            agents.c.role != ADMIN, agents.c.name.notin_(select(agent_stores.c.agent)))).scalars())


def seed(configured: Mapping[str, str], roles: Mapping[str, str] | None = None) -> None:
    """INBOX_AGENTS (token -> name, name -> role): each agent exists with that token; a revoked
    one stays revoked."""
    try:
        _seed(configured, roles or {})
    except IntegrityError:  # another replica starting at the same moment wrote them first
        _seed(configured, roles or {})


def _seed(configured: Mapping[str, str], roles: Mapping[str, str]) -> None:
    now = time.time()
    with get_engine().begin() as conn:
        for token, name in configured.items():
            role = roles.get(name, AGENT)
            row = conn.execute(select(agents).where(agents.c.name == name)).first()
            if row is None:
                conn.execute(agents.insert().values(name=name, role=role, token_hash=hash_token(token),
                                                    created_at=now, expires_at=None))
            elif row.token_hash != hash_token(token) or row.role != role:
                conn.execute(agents.update().where(agents.c.name == name).values(
                    token_hash=hash_token(token), role=role))


def _check(name: str, role: str) -> None:
    if role not in ROLES:
        raise AgentError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise AgentError("name: 1-64 letters, digits, dots, dashes or underscores")


def language_of(name: str) -> str | None:
    with get_engine().connect() as conn:
        return conn.execute(select(agents.c.language).where(agents.c.name == name)).scalar()


def set_language(name: str, language: str) -> None:
    """The inbox's language the agent chose, remembered across devices and sessions."""
    if language not in LANGUAGES:
        raise AgentError(f"language must be one of {', '.join(LANGUAGES)}")
    with get_engine().begin() as conn:
        conn.execute(agents.update().where(agents.c.name == name).values(language=language))
