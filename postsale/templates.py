"""Reply templates per store: the answers a team gives again and again, one click away.

A template is checked by the outgoing-text guard when it is saved, so a template can never be
the way a phone request or an outside link reaches buyers (a reply made from it is checked again
when sent, like any reply). Leads manage their stores' templates; agents use them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Column, Float, String, Table, Text, select

from postsale import catalogue
from postsale.db import get_engine, metadata
from postsale.guard import EXPLANATIONS, check_outgoing

MAX_TITLE = 60
MAX_TEXT = 2000
MAX_PER_STORE = 200

templates = Table(
    "reply_templates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("seller_id", BigInteger, nullable=False, index=True),
    Column("language", String(8), nullable=False),
    Column("title", String(MAX_TITLE), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
)


class TemplateError(ValueError):
    """A template that cannot be saved; `kind` is the guard's finding when it refused it."""

    def __init__(self, message: str, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind


def add(seller_id: int, language: str, title: str, text: str, by: str) -> dict[str, Any]:
    title, text = str(title or "").strip(), str(text or "").strip()
    if not 1 <= len(title) <= MAX_TITLE or not 1 <= len(text) <= MAX_TEXT:
        raise TemplateError(f"title 1-{MAX_TITLE} characters, text 1-{MAX_TEXT}")
    if language not in catalogue.LANGUAGES:
        raise TemplateError(f"language must be one of {', '.join(catalogue.LANGUAGES)}")
    verdict = check_outgoing(text)
    if not verdict.allowed:
        raise TemplateError(f"the text {EXPLANATIONS.get(str(verdict.kind), verdict.kind)}", str(verdict.kind))
    row = {"id": str(uuid.uuid4()), "seller_id": int(seller_id), "language": language, "title": title, "text": text,
           "created_by": by, "created_at": time.time()}
    with get_engine().begin() as conn:
        count = len(conn.execute(select(templates.c.id).where(templates.c.seller_id == int(seller_id))).fetchall())
        if count >= MAX_PER_STORE:
            raise TemplateError(f"at most {MAX_PER_STORE} templates per store")
        conn.execute(templates.insert().values(**row))
    return row


def listing(seller_ids: Iterable[int] | None) -> list[dict[str, Any]]:
    """The templates of these stores (None: every store), by title."""
    query = select(templates).order_by(templates.c.seller_id, templates.c.title)
    if seller_ids is not None:
        query = query.where(templates.c.seller_id.in_(sorted(seller_ids)))
    with get_engine().connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def delete(template_id: str, seller_ids: Iterable[int] | None) -> bool:
    """Delete a template of one of these stores (None: any store); False when there is none."""
    query = templates.delete().where(templates.c.id == template_id)
    if seller_ids is not None:
        query = query.where(templates.c.seller_id.in_(sorted(seller_ids)))
    with get_engine().begin() as conn:
        return bool(conn.execute(query).rowcount)
