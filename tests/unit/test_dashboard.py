"""Every dashboard figure against the same figure counted in Python from the seeded history
(testkit/dashboard_data.py), for the whole deployment, one store, and a lead's stores."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine

from connectors.inbox import dashboard
from postsale.db import get_engine
from testkit import dashboard_data

ZONE = "America/Sao_Paulo"
STORES = (111, 222, 333)
TAKE_WITHIN = 30 * 60.0
WINDOW = 12 * 3600.0
FIRST = date(2026, 11, 1)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    tmp: Path = tmp_path_factory.mktemp("dashboard")
    engine = get_engine(f"sqlite:///{tmp / 'postsale.db'}")
    tracker = create_engine(f"sqlite:///{tmp / 'tracker.db'}")
    start = datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=ZoneInfo(ZONE)).timestamp()
    history = dashboard_data.generate(1500, 20, STORES, start, seed=11)
    dashboard_data.load(history, engine, tracker)
    dashboard.ensure_tracker_index(tracker)
    return engine, tracker, history


SCOPES = [None, frozenset({222}), frozenset({111, 333})]
PERIODS = [("2026-11-01", "2026-11-20"), ("2026-11-05", "2026-11-09")]


@pytest.mark.parametrize("stores", SCOPES, ids=["all", "one-store", "lead"])
@pytest.mark.parametrize("first, last", PERIODS)
def test_every_figure_matches_an_independent_count(seeded, stores, first, last) -> None:
    engine, tracker, history = seeded
    period = dashboard.Period.of(first, last, ZONE)
    scope = dashboard.Scope(stores)
    want = dashboard_data.expected(history, period, stores, TAKE_WITHIN, WINDOW)

    got = dashboard.conversations(engine, tracker, period, scope)
    assert [{k: r[k] for k in ("day", "conversations", "handed_off")} for r in got["rows"]] == want["conversations"]
    assert sum(r["conversations"] for r in want["conversations"]) > 0
    for row in got["rows"]:
        assert row["bot_alone"] == row["conversations"] - row["handed_off"]

    mix = dashboard.handoffs(engine, tracker, period, scope)
    assert mix["mix"] == want["mix"] and sum(want["mix"].values()) > 0
    assert {(r["reason"], r["interaction_type"]): r["tickets"] for r in mix["rows"]} == want["reasons"]

    timing = dashboard.times(engine, tracker, period, scope, now=history.now, take_within=lambda _: TAKE_WITHIN)
    assert timing["first_reply_seconds"]["median"] == want["first_median"]
    assert timing["first_reply_seconds"]["p90"] == want["first_p90"]
    assert timing["resolution_seconds"]["median"] == want["resolution_median"]
    assert timing["past_take_within"] == want["past_take_within"] > 0

    claims = dashboard.claims(engine, tracker, period, scope, now=history.now, window=lambda _: WINDOW)
    assert (claims["open"], claims["due_soon"], claims["past_due"]) == (
        want["claims_open"], want["claims_due_soon"], want["claims_past_due"])
    assert claims["period"]["affecting_reputation"] == want["claims_affecting"]
    assert claims["period"]["won_by_seller"] == want["claims_won"]

    nlu = dashboard.nlu(engine, tracker, period, scope, review_items=history.review)
    assert (nlu["messages"], nlu["fallbacks"]) == (want["messages"], want["fallbacks"]) and want["fallbacks"] > 0
    assert {(r["predicted"], r["corrected_to"]): r["items"] for r in nlu["corrections"]} == want["corrections"]

    guard = dashboard.guard(engine, tracker, period, scope)
    assert {r["kind"]: r["bot"] for r in guard["rows"] if r["bot"]} == want["guard_bot"]
    assert {r["kind"]: r["agents"] for r in guard["rows"] if r["agents"]} == want["guard_agents"]


def test_the_whole_period_has_claims_and_guard_blocks_to_count(seeded) -> None:
    """The seeded history exercises every figure (a zero everywhere would prove nothing)."""
    engine, tracker, history = seeded
    period = dashboard.Period.of("2026-11-01", "2026-11-20", ZONE)
    claims = dashboard.claims(engine, tracker, period, dashboard.Scope(None), now=history.now,
                              window=lambda _: WINDOW)
    assert claims["open"] and claims["due_soon"] and claims["past_due"] and claims["period"]["won_by_seller"]
    guard = dashboard.guard(engine, tracker, period, dashboard.Scope(None))
    assert guard["totals"]["bot"] and guard["totals"]["agents"]


def test_csv_has_every_figure_and_defuses_formulas() -> None:
    rows = dashboard.table("times", {"tickets": 3, "first_reply_seconds": {"median": 60.0, "p90": 120.0}})
    text = dashboard.as_csv(rows)
    assert text.splitlines() == ["figure,value", "tickets,3", "first_reply_seconds.median,60.0",
                                 "first_reply_seconds.p90,120.0"]
    assert dashboard.as_csv([{"reason": "=HYPERLINK(1)", "tickets": 1}]).splitlines()[1] == "'=HYPERLINK(1),1"


@pytest.mark.parametrize("first, last", [("2026-11-10", "2026-11-01"), ("yesterday", None),
                                         ("2025-01-01", "2026-12-01")])
def test_a_bad_period_is_refused_with_a_reason(first, last) -> None:
    with pytest.raises(dashboard.DashboardError):
        dashboard.Period.of(first, last, ZONE)


def test_the_dashboards_indexes_exist_on_a_new_database_and_are_added_to_an_old_one(tmp_path) -> None:
    import sqlite3

    from sqlalchemy import inspect

    old = tmp_path / "old.db"
    with sqlite3.connect(old) as db:  # a ticket_audit table from before the dashboard
        db.execute("CREATE TABLE ticket_audit (id INTEGER PRIMARY KEY, ticket_id VARCHAR(64) NOT NULL, "
                   "agent VARCHAR(64) NOT NULL, action VARCHAR(32) NOT NULL, detail TEXT, at FLOAT NOT NULL)")
    for path in (tmp_path / "new.db", old):
        names = {table: {i["name"] for i in inspect(get_engine(f"sqlite:///{path}")).get_indexes(table)}
                 for table in ("ticket_audit", "meli_replies", "handoff_tickets")}
        assert "ix_ticket_audit_dashboard" in names["ticket_audit"]
        assert "ix_meli_replies_dashboard" in names["meli_replies"]
        assert {"ix_handoff_tickets_created", "ix_handoff_tickets_queue"} <= names["handoff_tickets"]
