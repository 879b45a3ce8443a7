"""A seeded support history for the dashboard: conversations in Rasa's tracker store, handoff
tickets with claims, agents' replies and guard refusals, the bot's withheld replies and review
items; and the figures that history must give, counted here in plain Python, independently of
the dashboard's SQL (tests/unit/test_dashboard.py compares the two; bench/dashboard.py seeds
100,000 conversations in PostgreSQL and times the dashboard on them).
"""

from __future__ import annotations

import csv
import io
import random
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from connectors.inbox import dashboard
from connectors.mercadolibre.intake import replies
from postsale.catalogue import COMPLAINT, COMPLAINT_INTENTS, HELP, HELP_INTENTS
from postsale.tickets import audit_trail, tickets

DAY = 86400.0
REASONS_HELP = ("request_human", "low_confidence", "backend_error", "invoice_missing", "help_to_agents")
REASONS_COMPLAINT = tuple(COMPLAINT_INTENTS) + ("open_claim", "blocked_conversation", "blocked_outgoing_text")
GUARD_KINDS = ("personal_data_request", "off_platform_contact", "external_link")
EVENTS_COLUMNS = "sender_id, type_name, timestamp, intent_name, action_name, data"


@dataclass
class History:
    start: float
    days: int
    now: float
    events: list[tuple[str, str, float, str | None]] = field(default_factory=list)
    tickets: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)
    review: list[dict[str, Any]] = field(default_factory=list)


def generate(conversations: int, days: int, stores: tuple[int, ...], start: float, *, seed: int = 7,
             now: float | None = None) -> History:
    """`conversations` over `days` from `start` (epoch, a day boundary), spread over the stores,
    plus a few REST conversations of no store."""
    rng = random.Random(seed)
    now = now if now is not None else start + days * DAY - 3600
    history = History(start, days, now)
    for n in range(conversations):
        store = stores[n % len(stores)] if n % 50 else None
        sender = f"meli-{store}-{2000000000000000 + n}" if store else f"rest-{n}"
        begun = start + rng.random() * (days * DAY - 7200)
        at = begun
        for turn in range(rng.randint(1, 3)):
            intent = "nlu_fallback" if rng.random() < 0.08 else rng.choice(HELP_INTENTS + ("greet", "thanks"))
            if turn == 0 and rng.random() < 0.05:
                intent = "system_attachment"  # a channel command: not counted as NLU
            history.events.append((sender, "user", at, intent))
            history.events.append((sender, "action", at + 0.5, None))
            history.events.append((sender, "bot", at + 1.0, None))
            at += rng.uniform(30, 3000)
        if rng.random() < 0.3:
            _ticket(history, rng, sender, store, at)
        if store and rng.random() < 0.01:
            history.replies.append({"seller_id": store, "pack_id": sender.rsplit("-", 1)[1], "notification_id": None,
                                    "message_id": None, "text": "x", "status": dashboard.GUARD_BLOCK,
                                    "moderation_reason": rng.choice(GUARD_KINDS), "created_at": at})
    return history


def _ticket(history: History, rng: random.Random, sender: str, store: int | None, at: float) -> None:
    complaint = rng.random() < 0.45
    reason = rng.choice(REASONS_COMPLAINT if complaint else REASONS_HELP)
    ticket_id = f"t{len(history.tickets)}"
    row: dict[str, Any] = {
        "id": ticket_id, "conversation_id": sender, "seller_id": store, "channel": "mercadolibre" if store else "rest",
        "origin": "Mercado Libre", "interaction_type": COMPLAINT if complaint else HELP, "reason": reason,
        "reasons": f'["{reason}"]', "language": "pt", "priority": 2, "status": "open", "assignee": None,
        "body": "{}", "created_at": at, "updated_at": at, "resolved_at": None, "first_reply_at": None,
        "claim_id": None, "claim_stage": None, "claim_status": None, "due_at": None, "incentive_until": None,
        "affects_reputation": None, "claim_resolution": None, "claim_benefited": None}
    if rng.random() < 0.7 and at + 60 < history.now:
        row["first_reply_at"] = min(at + rng.expovariate(1 / 900), history.now)
        history.audit.append({"ticket_id": ticket_id, "agent": "ana", "action": "reply", "detail": "ok",
                              "at": row["first_reply_at"]})
        if rng.random() < 0.7:
            row["status"], row["resolved_at"] = "resolved", min(row["first_reply_at"] + rng.expovariate(1 / 3600),
                                                                history.now)
    if rng.random() < 0.05:
        history.audit.append({"ticket_id": ticket_id, "agent": "ana", "action": dashboard.GUARD_BLOCK,
                              "detail": rng.choice(GUARD_KINDS), "at": at + 30})
    if complaint and store and rng.random() < 0.25:
        closed = rng.random() < 0.4
        row.update(claim_id=str(5000000000 + len(history.tickets)), claim_stage=rng.choice(("claim", "dispute")),
                   claim_status="closed" if closed else "opened",
                   affects_reputation=rng.choice(("affected", "not_affected", "not_applies")))
        if closed:
            benefited = rng.choice(("respondent", "complainant"))
            row.update(claim_resolution="payment_refunded", claim_benefited=benefited)
        else:
            row["due_at"] = history.now + rng.choice((-DAY, -3600, 3 * 3600, 8 * 3600, 2 * DAY)) + rng.uniform(0, 600)
            row["incentive_until"] = history.now + rng.uniform(-DAY, DAY) if rng.random() < 0.5 else None
    history.tickets.append(row)
    if rng.random() < 0.1:
        history.review.append({"id": f"r{len(history.review)}", "text": "x", "language": "pt",
                               "predicted_intent": rng.choice(HELP_INTENTS), "intent": rng.choice(COMPLAINT_INTENTS),
                               "seller_id": store, "status": "pending",
                               "created_at": datetime.fromtimestamp(at + 100, timezone.utc).isoformat()})


# --- loading ----------------------------------------------------------------------------------
def create_tracker_table(tracker: Engine) -> None:
    """Rasa's own `events` table, made by Rasa's SQL tracker store (the real schema)."""
    from rasa.core.tracker_store import SQLTrackerStore

    SQLTrackerStore.SQLEvent.__table__.create(tracker, checkfirst=True)


def load(history: History, engine: Engine, tracker: Engine, batch: int = 20000) -> None:
    create_tracker_table(tracker)
    events = [(s, t, at, i, None, "{}") for s, t, at, i in history.events]
    if tracker.dialect.name == "postgresql":  # COPY: minutes of INSERTs become seconds
        _copy(tracker, "events", EVENTS_COLUMNS.split(", "), events)
        for table, found in ((tickets, history.tickets), (audit_trail, history.audit), (replies, history.replies)):
            columns = [c.name for c in table.columns if c.name in found[0]] if found else []
            _copy(engine, table.name, columns, [tuple(row[c] for c in columns) for row in found])
        return
    rows = [dict(zip(EVENTS_COLUMNS.split(", "), event)) for event in events]
    insert = text(f"INSERT INTO events ({EVENTS_COLUMNS}) VALUES "
                  "(:sender_id, :type_name, :timestamp, :intent_name, :action_name, :data)")
    with tracker.begin() as conn:
        for i in range(0, len(rows), batch):
            conn.execute(insert, rows[i:i + batch])
    with engine.begin() as conn:
        for table, found in ((tickets, history.tickets), (audit_trail, history.audit), (replies, history.replies)):
            for i in range(0, len(found), batch):
                if found[i:i + batch]:
                    conn.execute(table.insert(), found[i:i + batch])


def _copy(engine: Engine, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
    buffer.seek(0)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                               buffer)
        raw.commit()
    finally:
        raw.close()


# --- the figures, counted in Python -----------------------------------------------------------
def _within(at: float | None, period: dashboard.Period) -> bool:
    return at is not None and period.start <= at < period.end


def _store_ok(store: int | None, stores: frozenset[int] | None) -> bool:
    if stores is None:
        return True
    return store in stores or (store is None and len(stores) > 1)


def expected(history: History, period: dashboard.Period, stores: frozenset[int] | None,
             take_within: float, window: float) -> dict[str, Any]:
    def store_of(sender: str) -> int | None:
        return int(sender.split("-")[1]) if sender.startswith("meli-") else None

    day = lambda at: int((at - period.start) // DAY)  # noqa: E731
    talked: list[set[str]] = [set() for _ in range(period.days)]
    messages = fallbacks = 0
    for sender, kind, at, intent in history.events:
        if kind != "user" or not _within(at, period) or not _store_ok(store_of(sender), stores):
            continue
        talked[day(at)].add(sender)
        if not (intent or "").startswith("system_"):
            messages += 1
            fallbacks += intent == "nlu_fallback"
    mine = [t for t in history.tickets if _store_ok(t["seller_id"], stores)]
    period_tickets = [t for t in mine if _within(t["created_at"], period)]
    handed: list[set[str]] = [set() for _ in range(period.days)]
    for t in period_tickets:
        handed[day(t["created_at"])].add(t["conversation_id"])
    conversations = [{"day": period.label(i), "conversations": len(talked[i]), "handed_off": min(len(handed[i]),
                      len(talked[i]))} for i in range(period.days)]
    reasons: dict[tuple[str, str], int] = {}
    for t in period_tickets:
        key = (t["reason"], t["interaction_type"])
        reasons[key] = reasons.get(key, 0) + 1
    first = [t["first_reply_at"] - t["created_at"] for t in period_tickets if t["first_reply_at"] is not None]
    resolved = [t["resolved_at"] - t["created_at"] for t in period_tickets if t["status"] == "resolved"]
    def late_ticket(t: dict[str, Any]) -> bool:
        if t["first_reply_at"] is not None:
            return t["first_reply_at"] - t["created_at"] > take_within
        return t["status"] != "resolved" and history.now - t["created_at"] > take_within

    late = sum(1 for t in period_tickets if late_ticket(t))
    open_claims = {t["claim_id"]: t for t in mine if t["claim_id"] and t["claim_status"] == "opened"}
    claimed = [t for t in period_tickets if t["claim_id"]]
    guard_bot: dict[str, int] = {}
    for r in history.replies:
        if _within(r["created_at"], period) and (stores is None or r["seller_id"] in stores):
            guard_bot[r["moderation_reason"]] = guard_bot.get(r["moderation_reason"], 0) + 1
    by_id = {t["id"]: t for t in mine}
    guard_agents: dict[str, int] = {}
    for a in history.audit:
        if a["action"] == dashboard.GUARD_BLOCK and _within(a["at"], period) and a["ticket_id"] in by_id:
            guard_agents[a["detail"]] = guard_agents.get(a["detail"], 0) + 1
    corrections: dict[tuple[str, str], int] = {}
    for item in history.review:
        at = datetime.fromisoformat(item["created_at"]).timestamp()
        seller = item["seller_id"]
        if not _within(at, period) or (stores is not None and seller is not None and seller not in stores) \
                or (stores is not None and len(stores) == 1 and seller is None):
            continue
        key = (item["predicted_intent"], item["intent"])
        corrections[key] = corrections.get(key, 0) + 1
    return {
        "conversations": conversations,
        "mix": {HELP: sum(1 for t in period_tickets if t["interaction_type"] == HELP),
                COMPLAINT: sum(1 for t in period_tickets if t["interaction_type"] == COMPLAINT)},
        "reasons": reasons,
        "first_median": round(statistics.median(first), 1) if first else None,
        "resolution_median": round(statistics.median(resolved), 1) if resolved else None,
        "first_p90": round(sorted(first)[max(1, -(-9 * len(first) // 10)) - 1], 1) if first else None,
        "past_take_within": late,
        "claims_open": len(open_claims),
        "claims_due_soon": sum(1 for t in open_claims.values() if t["due_at"] is not None
                               and history.now < t["due_at"] <= history.now + window),
        "claims_past_due": sum(1 for t in open_claims.values()
                               if t["due_at"] is not None and t["due_at"] <= history.now),
        "claims_affecting": len({t["claim_id"] for t in claimed if t["affects_reputation"] == "affected"}),
        "claims_won": len({t["claim_id"] for t in claimed if t["claim_benefited"] == "respondent"}),
        "messages": messages, "fallbacks": fallbacks,
        "guard_bot": guard_bot, "guard_agents": guard_agents, "corrections": corrections,
    }
