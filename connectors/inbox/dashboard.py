"""The support lead's figures: what the bot answers alone, why it hands off, how fast people take
over, which claims are about to cost reputation, how NLU and the outgoing-text guard do.

Every figure is one SQL query (or two) over what the product already stores: conversations from
Rasa's tracker store (`events`), handoffs and claims from `handoff_tickets`, agents' actions from
`ticket_audit`, the bot's withheld replies from `meli_replies`, agents' corrections from the review
queue. docs/dashboard.md says what each figure means and how it is computed. A section is one
request, so each stays small enough to answer fast on 100,000 conversations (bench/dashboard.py).

Days are calendar days in the deployment's business-hours time zone (UTC without one), with the
zone's offset at the period's start (Brazil has had no daylight saving since 2019).
"""

from __future__ import annotations

import csv
import io
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, cast, func, literal_column, or_, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from connectors.mercadolibre.intake import replies
from postsale import catalogue, conversation_id, review_queue, stores
from postsale.tickets import audit_trail, tickets

DAY = 86400.0
MAX_DAYS = 366
GUARD_BLOCK = "blocked_by_guard"
FALLBACK_INTENT = "nlu_fallback"
SECTIONS = ("conversations", "handoffs", "times", "claims", "nlu", "guard")
# Rasa's events table gets this index for the period scans (created once, if missing).
TRACKER_INDEX = "ix_events_dashboard"



class DashboardError(ValueError):
    """A request the dashboard cannot answer (bad period, unknown section or store)."""


@dataclass(frozen=True)
class Period:
    """[start, end) in epoch seconds, `days` calendar days from `first` in `zone`."""

    first: date
    days: int
    zone: str
    start: float
    end: float

    @classmethod
    def of(cls, first: str | None, last: str | None, zone: str, today: date | None = None) -> Period:
        """`from` and `to` (inclusive) as YYYY-MM-DD; the last 30 days by default."""
        tz = ZoneInfo(zone)
        today = today or datetime.now(tz).date()
        try:
            end_day = date.fromisoformat(last) if last else today
            start_day = date.fromisoformat(first) if first else end_day - timedelta(days=29)
        except ValueError:
            raise DashboardError("from and to are dates: YYYY-MM-DD") from None
        days = (end_day - start_day).days + 1
        if not 1 <= days <= MAX_DAYS:
            raise DashboardError(f"the period is 1 to {MAX_DAYS} days, from <= to")
        start = datetime(start_day.year, start_day.month, start_day.day, tzinfo=tz).timestamp()
        return cls(start_day, days, zone, start, start + days * DAY)

    def label(self, index: int) -> str:
        return (self.first + timedelta(days=index)).isoformat()


@dataclass(frozen=True)
class Scope:
    """Which stores the figures cover: one store, or every store the caller sees (None: all)."""

    stores: frozenset[int] | None

    def tickets(self) -> ColumnElement[bool]:
        """One store: its tickets. Several (a lead's): theirs and those of no store, as the queue."""
        if self.stores is None:
            return literal_column("1") == 1
        own = tickets.c.seller_id.in_(sorted(self.stores))
        return own if self.single else or_(own, tickets.c.seller_id.is_(None))

    @property
    def single(self) -> bool:
        return self.stores is not None and len(self.stores) == 1

    def sender_filter(self) -> tuple[str, dict[str, Any]]:
        """The tracker's conversations of these stores (their ids say the store)."""
        if self.stores is None:
            return "", {}
        likes = [f"sender_id LIKE :store{i}" for i in range(len(self.stores))]
        params = {f"store{i}": f"{conversation_id.PREFIX}-{seller}-%" for i, seller in enumerate(sorted(self.stores))}
        if not self.single:  # the caller also sees conversations of no store (the REST channel)
            likes.append("sender_id NOT LIKE :marketplace")
            params["marketplace"] = f"{conversation_id.PREFIX}-%"
        return " AND (" + " OR ".join(likes) + ")" if likes else " AND 1 = 0", params


def _day(column: Any, period: Period, engine: Engine) -> Any:
    """The period's day index of a timestamp column (0 = the first day): PostgreSQL rounds a cast,
    SQLite truncates it (and has no floor); within the period both are the floor."""
    offset = (column - period.start) / DAY
    return cast(func.floor(offset) if engine.dialect.name == "postgresql" else offset, Integer)


def _day_sql(period: Period, engine: Engine) -> str:
    if engine.dialect.name == "postgresql":
        return f"CAST(FLOOR((timestamp - {period.start!r}) / {DAY!r}) AS INTEGER)"
    return f"CAST((timestamp - {period.start!r}) / {DAY!r} AS INTEGER)"


def _in(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


def ensure_tracker_index(tracker: Engine) -> None:
    """Rasa's `events` table gets the dashboard's index if it has not got it. On PostgreSQL it is
    built CONCURRENTLY: conversations keep being written while it builds."""
    columns = "(type_name, timestamp, sender_id, intent_name)"
    if tracker.dialect.name == "postgresql":
        with tracker.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {TRACKER_INDEX} ON events {columns}"))
        return
    with tracker.begin() as conn:
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {TRACKER_INDEX} ON events {columns}"))


# --- sections ---------------------------------------------------------------------------------
def conversations(engine: Engine, tracker: Engine | None, period: Period, scope: Scope) -> dict[str, Any]:
    """Per day: conversations with a buyer message, those handed to a person, the share the bot
    answered alone (containment)."""
    talked = [0] * period.days
    if tracker is not None:
        where, params = scope.sender_filter()
        # Two GROUP BYs rather than COUNT(DISTINCT): PostgreSQL hashes them instead of sorting
        # (175 ms instead of 340 ms on 100,000 conversations, bench/dashboard.py).
        sql = text(f"SELECT day, COUNT(*) AS n FROM (SELECT {_day_sql(period, tracker)} AS day, sender_id "
                   f"FROM events WHERE type_name = 'user' AND timestamp >= :start AND timestamp < :end{where} "
                   "GROUP BY 1, 2) AS talked GROUP BY day")
        with tracker.connect() as conn:
            for day, count in conn.execute(sql, {"start": period.start, "end": period.end, **params}):
                if 0 <= int(day) < period.days:
                    talked[int(day)] = int(count)
    handed = [0] * period.days
    day = _day(tickets.c.created_at, period, engine).label("day")
    pairs = (select(day, tickets.c.conversation_id).where(_in(tickets.c.created_at, period), scope.tickets())
             .group_by(day, tickets.c.conversation_id).subquery())
    query = select(pairs.c.day, func.count()).group_by(pairs.c.day)
    with engine.connect() as conn:
        for index, count in conn.execute(query):
            if 0 <= int(index) < period.days:
                handed[int(index)] = int(count)
    rows = []
    for i in range(period.days):
        total, people = talked[i], min(handed[i], talked[i]) if tracker is not None else handed[i]
        rows.append({"day": period.label(i), "conversations": total, "handed_off": people,
                     "bot_alone": max(total - people, 0),
                     "containment": round((total - people) / total, 4) if total else None})
    total = sum(r["conversations"] for r in rows)
    alone = sum(r["bot_alone"] for r in rows)
    return {"rows": rows, "totals": {"conversations": total, "handed_off": sum(r["handed_off"] for r in rows),
                                     "containment": round(alone / total, 4) if total else None},
            "tracker": tracker is not None}


def handoffs(engine: Engine, tracker: Engine | None, period: Period, scope: Scope) -> dict[str, Any]:
    """Help vs Complaint, and handoffs by reason (the ticket's reason: a complaint's kind, a
    request for a person, low confidence, a backend error, an open claim...)."""
    where = and_(_in(tickets.c.created_at, period), scope.tickets())
    with engine.connect() as conn:
        mix = dict(conn.execute(select(tickets.c.interaction_type, func.count()).where(where)
                                .group_by(tickets.c.interaction_type)).fetchall())
        reasons = conn.execute(select(tickets.c.reason, tickets.c.interaction_type, func.count()).where(where)
                               .group_by(tickets.c.reason, tickets.c.interaction_type)).fetchall()
    rows = sorted(({"reason": r, "interaction_type": kind, "tickets": int(n)} for r, kind, n in reasons),
                  key=lambda r: (-r["tickets"], r["reason"]))
    return {"mix": {catalogue.HELP: int(mix.get(catalogue.HELP, 0)),
                    catalogue.COMPLAINT: int(mix.get(catalogue.COMPLAINT, 0))}, "rows": rows}


def _percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (the value below which `share` of the values fall)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))
    return round(ordered[rank - 1], 1)


def times(engine: Engine, tracker: Engine | None, period: Period, scope: Scope,
          now: float | None = None, take_within: Callable[[Any], float] | None = None) -> dict[str, Any]:
    """From handoff to an agent's first reply and to resolution (seconds: median, 90th
    percentile), and tickets past their store's take-within window (answered late, or still
    unanswered past it)."""
    now = time.time() if now is None else now
    take_within = take_within or (lambda seller: stores.handoff_for(seller).take_within_minutes * 60)
    columns = (tickets.c.seller_id, tickets.c.created_at, tickets.c.first_reply_at, tickets.c.resolved_at,
               tickets.c.status)
    with engine.connect() as conn:
        found = conn.execute(select(*columns).where(_in(tickets.c.created_at, period), scope.tickets())).fetchall()
    windows: dict[Any, float] = {}
    first, resolved, late, waiting = [], [], 0, 0
    for seller, created, replied, closed, status in found:
        window = windows[seller] if seller in windows else windows.setdefault(seller, take_within(seller))
        if replied is not None:
            first.append(replied - created)
        if closed is not None and status == "resolved":
            resolved.append(closed - created)
        if window and ((replied is not None and replied - created > window)
                       or (replied is None and status != "resolved" and now - created > window)):
            late += 1
        if replied is None and status != "resolved":
            waiting += 1
    return {"tickets": len(found), "answered": len(first), "resolved": len(resolved), "unanswered_open": waiting,
            "past_take_within": late,
            "first_reply_seconds": {"median": round(statistics.median(first), 1) if first else None,
                                    "p90": _percentile(first, 0.9)},
            "resolution_seconds": {"median": round(statistics.median(resolved), 1) if resolved else None,
                                   "p90": _percentile(resolved, 0.9)}}


def claims(engine: Engine, tracker: Engine | None, period: Period, scope: Scope, now: float | None = None,
           window: Callable[[Any], float] | None = None) -> dict[str, Any]:
    """Claims now (open, due within the store's window, past due: today's state, whatever the
    period) and over the period (affecting reputation, closed, resolved in the seller's favour),
    each claim counted once."""
    now = time.time() if now is None else now
    window = window or (lambda seller: stores.handoff_for(seller).claim_due_window_hours * 3600)
    claim = tickets.c.claim_id
    opened = and_(claim.isnot(None), tickets.c.claim_status == "opened", scope.tickets())
    with engine.connect() as conn:
        current = conn.execute(select(claim, tickets.c.seller_id, tickets.c.due_at, tickets.c.incentive_until)
                               .where(opened)).fetchall()
        in_period = and_(claim.isnot(None), _in(tickets.c.created_at, period), scope.tickets())
        counted = conn.execute(select(
            func.count(func.distinct(claim)),
            func.count(func.distinct(claim)).filter(tickets.c.affects_reputation == "affected"),
            func.count(func.distinct(claim)).filter(tickets.c.claim_status == "closed"),
            func.count(func.distinct(claim)).filter(and_(tickets.c.claim_status == "closed",
                                                         tickets.c.claim_benefited == "respondent")),
            func.count(func.distinct(claim)).filter(tickets.c.claim_stage == "dispute"),
        ).where(in_period)).one()
    seen: dict[str, tuple[Any, Any, Any]] = {}
    for claim_id, seller, due, incentive in current:
        seen.setdefault(claim_id, (seller, due, incentive))
    windows = {seller: window(seller) for seller in {seller for seller, _, _ in seen.values()}}  # once per store
    due_soon = sum(1 for seller, due, _ in seen.values() if due is not None and now < due <= now + windows[seller])
    past_due = sum(1 for _, due, _ in seen.values() if due is not None and due <= now)
    incentive = sum(1 for _, _, until in seen.values() if until is not None and until > now)
    return {"open": len(seen), "due_soon": due_soon, "past_due": past_due, "incentive_running": incentive,
            "period": {"claims": int(counted[0]), "affecting_reputation": int(counted[1]), "closed": int(counted[2]),
                       "won_by_seller": int(counted[3]), "reached_dispute": int(counted[4])}}


def nlu(engine: Engine, tracker: Engine | None, period: Period, scope: Scope,
        review_items: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Buyer messages the bot read (channel commands excluded), the share it fell back on, and the
    intents agents corrected in the review queue (what the bot said -> what the agent chose)."""
    messages = fallbacks = 0
    if tracker is not None:
        where, params = scope.sender_filter()
        sql = text("SELECT COUNT(*) AS n, SUM(CASE WHEN intent_name = :fallback THEN 1 ELSE 0 END) AS f "
                   "FROM events WHERE type_name = 'user' AND timestamp >= :start AND timestamp < :end "
                   f"AND (intent_name IS NULL OR intent_name NOT LIKE :system){where}")
        with tracker.connect() as conn:
            row = conn.execute(sql, {"start": period.start, "end": period.end, "fallback": FALLBACK_INTENT,
                                     "system": f"{catalogue.CHANNEL_PREFIX}%", **params}).one()
        messages, fallbacks = int(row[0] or 0), int(row[1] or 0)
    corrected: dict[tuple[str, str], int] = {}
    items = review_queue.items() if review_items is None else review_items
    for item in items:
        at = _iso_epoch(item.get("created_at"))
        seller = item.get("seller_id")
        if at is None or not period.start <= at < period.end:
            continue
        if scope.stores is not None and seller is not None and int(seller) not in scope.stores:
            continue
        if scope.single and seller is None:
            continue
        key = (str(item.get("predicted_intent") or "?"), str(item.get("intent")))
        corrected[key] = corrected.get(key, 0) + 1
    rows = sorted(({"predicted": p, "corrected_to": c, "items": n} for (p, c), n in corrected.items()),
                  key=lambda r: (-r["items"], r["predicted"], r["corrected_to"]))
    return {"messages": messages, "fallbacks": fallbacks,
            "fallback_rate": round(fallbacks / messages, 4) if messages else None, "corrections": rows,
            "tracker": tracker is not None}


def guard(engine: Engine, tracker: Engine | None, period: Period, scope: Scope) -> dict[str, Any]:
    """Texts the outgoing-text guard stopped, by kind: the bot's (marketplace replies withheld) and
    agents' (replies refused in the inbox)."""
    bot_where = and_(replies.c.status == GUARD_BLOCK, _in(replies.c.created_at, period))
    if scope.stores is not None:
        bot_where = and_(bot_where, replies.c.seller_id.in_(sorted(scope.stores)))
    agent_where = and_(audit_trail.c.action == GUARD_BLOCK, _in(audit_trail.c.at, period))
    with engine.connect() as conn:
        bot = conn.execute(select(replies.c.moderation_reason, func.count()).where(bot_where)
                           .group_by(replies.c.moderation_reason)).fetchall()
        agent = conn.execute(select(audit_trail.c.detail, func.count())
                             .select_from(audit_trail.join(tickets, tickets.c.id == audit_trail.c.ticket_id))
                             .where(agent_where, scope.tickets()).group_by(audit_trail.c.detail)).fetchall()
    kinds = sorted({str(k) for k, _ in bot} | {str(k) for k, _ in agent})
    by_bot, by_agent = {str(k): int(n) for k, n in bot}, {str(k): int(n) for k, n in agent}
    rows = [{"kind": k, "bot": by_bot.get(k, 0), "agents": by_agent.get(k, 0)} for k in kinds]
    return {"rows": rows, "totals": {"bot": sum(by_bot.values()), "agents": sum(by_agent.values())}}


COMPUTE: dict[str, Callable[..., dict[str, Any]]] = {
    "conversations": conversations, "handoffs": handoffs, "times": times, "claims": claims, "nlu": nlu,
    "guard": guard,
}
assert set(COMPUTE) == set(SECTIONS)


def _iso_epoch(value: Any) -> float | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


# --- CSV --------------------------------------------------------------------------------------
def table(section: str, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure of a section as flat rows, the CSV the page offers for download."""
    if section in ("conversations", "guard"):
        return list(figures["rows"])
    if section == "handoffs":
        mix = [{"reason": f"type:{kind}", "interaction_type": kind, "tickets": n} for kind, n in figures["mix"].items()]
        return mix + list(figures["rows"])
    if section == "nlu":
        head = [{"predicted": "*", "corrected_to": "*", "items": None, "messages": figures["messages"],
                 "fallbacks": figures["fallbacks"], "fallback_rate": figures["fallback_rate"]}]
        return head + [{**r, "messages": None, "fallbacks": None, "fallback_rate": None}
                       for r in figures["corrections"]]
    return [{"figure": key, "value": value} for key, value in _flatten(figures)]


def _flatten(figures: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for key, value in figures.items():
        if isinstance(value, dict):
            found += _flatten(value, f"{prefix}{key}.")
        else:
            found.append((f"{prefix}{key}", value))
    return found


def as_csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    fields = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        # A cell a spreadsheet would run as a formula is written as text.
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()})
    return out.getvalue()
