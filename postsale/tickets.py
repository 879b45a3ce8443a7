"""The ticket store: handoff tickets in SQL, one open ticket per conversation, queue-ordered.

The action server writes them (the built-in "inbox" destination); the agent inbox in the Rasa
server reads and updates them. Same database as the marketplace channel (postsale.db), so
SQLite by default and PostgreSQL by configuration.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Column, Float, Index, Integer, String, Table, Text, and_, case, or_, select
from sqlalchemy.engine import Connection

from postsale import conversation_id as conversation_ids
from postsale.catalogue import CLAIM_REASONS, COMPLAINT
from postsale.claim import in_dispute, seller_won
from postsale.db import BACKFILLS, get_engine, metadata
from postsale.masking import mask

OPEN = ("open", "assigned")

tickets = Table(
    "handoff_tickets",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("conversation_id", String(128), nullable=False, index=True),
    # The store (marketplace conversations: conversation_id's seller); None for other channels.
    Column("seller_id", BigInteger, nullable=True, index=True),
    Column("channel", String(32), nullable=True),
    Column("origin", String(64), nullable=True),
    Column("interaction_type", String(16), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("language", String(8), nullable=True),
    Column("priority", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("assignee", String(64), nullable=True),
    Column("body", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("resolved_at", Float, nullable=True),
    # The claim, as columns the queue sorts on and the dashboard counts (the full view is in body).
    Column("claim_id", String(32), nullable=True, index=True),
    Column("claim_stage", String(16), nullable=True),
    Column("claim_status", String(16), nullable=True),
    Column("due_at", Float, nullable=True),  # the seller's mandatory action's due date
    Column("incentive_until", Float, nullable=True),  # the 48-hour no-reputation-impact window
    Column("affects_reputation", String(16), nullable=True),
    Column("claim_resolution", String(64), nullable=True),
    Column("claim_benefited", String(32), nullable=True),
    Column("first_reply_at", Float, nullable=True),  # an agent's first reply to the buyer
)
# The dashboard's period scans; the queue's order.
Index("ix_handoff_tickets_created", tickets.c.created_at, tickets.c.seller_id)
Index("ix_handoff_tickets_queue", tickets.c.status, tickets.c.due_at, tickets.c.priority, tickets.c.created_at)


# Who did what to a ticket, shown in the ticket (take, reply, resolve, reopen, reassign, review).
audit_trail = Table(
    "ticket_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", String(64), nullable=False, index=True),
    Column("agent", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=True),
    Column("at", Float, nullable=False),
)
AUDIT_DETAIL = 300  # characters of a reply kept in the trail (masked: postsale.masking)
Index("ix_ticket_audit_dashboard", audit_trail.c.action, audit_trail.c.at)  # the dashboard's guard count


# Lower is more urgent. A dispute (a Mercado Libre mediator is judging) before a claim, a claim
# (deadlines) before a complaint, a complaint before help. Within a level, the deadline decides.
DISPUTE, CLAIM, COMPLAINT_PRIORITY, HELP_PRIORITY = 0, 1, 2, 3


def priority(ticket: dict[str, Any]) -> int:
    claim = ticket.get("claim")
    if in_dispute(claim):
        return DISPUTE
    if ticket.get("reason") in CLAIM_REASONS or (claim and claim.get("status") != "closed"):
        return CLAIM
    return COMPLAINT_PRIORITY if ticket.get("interaction_type") == COMPLAINT else HELP_PRIORITY


def claim_columns(claim: dict[str, Any] | None) -> dict[str, Any]:
    """The claim's sortable and countable facts (postsale.claim's view) as column values."""
    if not claim:
        return {}
    resolution = claim.get("resolution") or {}
    benefited = "respondent" if seller_won(claim) else ",".join(resolution.get("benefited") or []) or None
    return {"claim_id": str(claim.get("id")) if claim.get("id") is not None else None,
            "claim_stage": claim.get("stage"), "claim_status": claim.get("status"),
            "due_at": claim.get("due_at") if claim.get("status") == "opened" else None,
            "incentive_until": claim.get("incentive_until") if claim.get("status") == "opened" else None,
            "affects_reputation": (claim.get("reputation") or {}).get("affects"),
            "claim_resolution": resolution.get("reason"), "claim_benefited": benefited}


def save(ticket: dict[str, Any]) -> dict[str, Any]:
    """Insert, or merge into the conversation's open ticket (never two open for one buyer)."""
    engine = get_engine()
    now = time.time()
    with engine.begin() as conn:
        row = conn.execute(select(tickets).where(and_(
            tickets.c.conversation_id == ticket["conversation_id"], tickets.c.status.in_(OPEN)))).first()
        if row is None:
            conn.execute(tickets.insert().values(
                id=ticket["id"], conversation_id=ticket["conversation_id"],
                seller_id=store_of(ticket["conversation_id"]), channel=ticket.get("channel"),
                origin=ticket.get("origin"), interaction_type=ticket["interaction_type"],
                reason=ticket["reason"], reasons=json.dumps([ticket["reason"]]),
                language=ticket.get("language"), priority=priority(ticket), status="open",
                body=json.dumps(ticket, ensure_ascii=False), created_at=now, updated_at=now,
                **claim_columns(ticket.get("claim"))))
            return ticket
        merged = json.loads(row.body)
        reasons = json.loads(row.reasons) + [ticket["reason"]]
        upgrade = ticket["interaction_type"] == COMPLAINT and merged["interaction_type"] != COMPLAINT
        for key in ("order", "products", "claim", "transcript", "language"):
            if ticket.get(key):
                merged[key] = ticket[key]
        if upgrade or ticket["reason"] in CLAIM_REASONS:
            merged["interaction_type"], merged["reason"] = ticket["interaction_type"], ticket["reason"]
        merged["reasons"] = reasons
        conn.execute(tickets.update().where(tickets.c.id == row.id).values(
            interaction_type=merged["interaction_type"], reason=merged["reason"], reasons=json.dumps(reasons),
            priority=min(row.priority, priority(merged)), body=json.dumps(merged, ensure_ascii=False),
            updated_at=now, **claim_columns(merged.get("claim"))))
        return merged


def set_claim(ticket_id: str, claim: dict[str, Any], **body_values: Any) -> dict[str, Any] | None:
    """Refresh a ticket's claim (a `post_purchase` notification): the view, its columns and the
    priority (a dispute raises it; a closed claim no longer holds the ticket at claim level).
    Returns the previous claim view, or None when the ticket does not exist."""
    with get_engine().begin() as conn:
        row = conn.execute(select(tickets).where(tickets.c.id == ticket_id)).first()
        if row is None:
            return None
        body = json.loads(row.body)
        before = body.get("claim") or {}
        body["claim"] = claim
        body.update(body_values)
        conn.execute(tickets.update().where(tickets.c.id == ticket_id).values(
            body=json.dumps(body, ensure_ascii=False), priority=priority({**body, "reason": row.reason}),
            updated_at=time.time(), **claim_columns(claim)))
        return before


def for_claim(claim_id: Any) -> list[dict[str, Any]]:
    """Tickets about this claim, newest first (an open one, or the resolved one to record the
    claim's outcome in)."""
    with get_engine().connect() as conn:
        rows = conn.execute(select(tickets).where(tickets.c.claim_id == str(claim_id))
                            .order_by(tickets.c.created_at.desc()).limit(5)).fetchall()
    return [_as_dict(r) for r in rows]


def _as_dict(row: Any) -> dict[str, Any]:
    body = json.loads(row.body)
    body.update(id=row.id, seller_id=row.seller_id, status=row.status, assignee=row.assignee, priority=row.priority,
                interaction_type=row.interaction_type, reason=row.reason, reasons=json.loads(row.reasons),
                created_ts=row.created_at, updated_ts=row.updated_at, resolved_ts=row.resolved_at,
                due_at=row.due_at, incentive_until=row.incentive_until, first_reply_ts=row.first_reply_at)
    return body


def store_of(conversation: str) -> int | None:
    """The store a conversation belongs to: the seller of a marketplace conversation id."""
    parsed = conversation_ids.parse(conversation)
    return parsed[0] if parsed else None


def _in_scope(stores: Iterable[int] | None) -> Any:
    """Tickets of these stores, and tickets of no store (the deployment's own REST channel);
    None: every ticket (an admin)."""
    if stores is None:
        return tickets.c.id.isnot(None)
    return or_(tickets.c.seller_id.in_(list(stores)), tickets.c.seller_id.is_(None))


def queue(stores: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Open tickets of the caller's stores in the order the marketplace will judge them: a seller
    deadline first, nearest (or most overdue) first; then by priority, the longest waiting first."""
    no_deadline = case((tickets.c.due_at.is_(None), 1), else_=0)
    with get_engine().connect() as conn:
        rows = conn.execute(select(tickets).where(tickets.c.status.in_(OPEN), _in_scope(stores))
                            .order_by(no_deadline, tickets.c.due_at, tickets.c.priority, tickets.c.created_at)
                            ).fetchall()
    return [_as_dict(r) for r in rows]


def first_reply(ticket_id: str, at: float) -> None:
    """When an agent first answered the buyer (the dashboard's time to first reply)."""
    with get_engine().begin() as conn:
        conn.execute(tickets.update().where(tickets.c.id == ticket_id, tickets.c.first_reply_at.is_(None))
                     .values(first_reply_at=at))


def get(ticket_id: str, stores: Iterable[int] | None = None) -> dict[str, Any] | None:
    """A ticket, if it is within `stores` (None: any): another store's ticket does not exist for
    the caller."""
    with get_engine().connect() as conn:
        row = conn.execute(select(tickets).where(tickets.c.id == ticket_id, _in_scope(stores))).first()
    return _as_dict(row) if row else None


def _backfill_sellers(conn: Connection) -> None:
    """Tickets written before tickets had a store: the store is in their conversation id."""
    rows = conn.execute(select(tickets.c.id, tickets.c.conversation_id).where(
        tickets.c.seller_id.is_(None), tickets.c.conversation_id.like(f"{conversation_ids.PREFIX}-%"))).fetchall()
    for row in rows:
        seller = store_of(row.conversation_id)
        if seller is not None:
            conn.execute(tickets.update().where(tickets.c.id == row.id).values(seller_id=seller))


BACKFILLS[tickets.name] = _backfill_sellers


def open_for(conversation_id: str) -> dict[str, Any] | None:
    with get_engine().connect() as conn:
        row = conn.execute(select(tickets).where(and_(
            tickets.c.conversation_id == conversation_id, tickets.c.status.in_(OPEN)))).first()
    return _as_dict(row) if row else None


def update(ticket_id: str, **values: Any) -> bool:
    with get_engine().begin() as conn:
        return bool(conn.execute(tickets.update().where(tickets.c.id == ticket_id)
                                 .values(updated_at=time.time(), **values)).rowcount)


def purge_resolved_before(cutoff: float) -> int:
    """Delete tickets resolved before `cutoff`, with their audit trail (retention); open ones stay."""
    old = and_(tickets.c.status == "resolved", tickets.c.resolved_at < cutoff)
    with get_engine().begin() as conn:
        conn.execute(audit_trail.delete().where(audit_trail.c.ticket_id.in_(select(tickets.c.id).where(old))))
        return conn.execute(tickets.delete().where(old)).rowcount


def audit(ticket_id: str, agent: str, action: str, detail: str | None = None) -> None:
    text = mask(detail)[:AUDIT_DETAIL] if detail else None
    with get_engine().begin() as conn:
        conn.execute(audit_trail.insert().values(ticket_id=ticket_id, agent=agent, action=action, detail=text,
                                                 at=time.time()))


def audit_of(ticket_id: str) -> list[dict[str, Any]]:
    with get_engine().connect() as conn:
        rows = conn.execute(select(audit_trail).where(audit_trail.c.ticket_id == ticket_id)
                            .order_by(audit_trail.c.at, audit_trail.c.id)).fetchall()
    return [{"agent": r.agent, "action": r.action, "detail": r.detail, "at": r.at} for r in rows]


def open_conversations() -> set[str]:
    with get_engine().connect() as conn:
        return {r.conversation_id for r in conn.execute(select(tickets.c.conversation_id)
                                                        .where(tickets.c.status.in_(OPEN)))}
