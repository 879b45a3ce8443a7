"""Retention: what is older than the window goes, what a person still works on stays."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from connectors import retention
from connectors.mercadolibre.intake import notifications
from postsale import review_queue, settings, tickets
from postsale.db import get_engine

DAY = 86400.0
NOW = time.time()
OLD, RECENT = NOW - 120 * DAY, NOW - 10 * DAY


def setup_env(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MELI_DB_URL", f"sqlite:///{tmp_path / 'meli.db'}")
    monkeypatch.setenv("RASA_ENDPOINTS", str(tmp_path / "none.yml"))
    monkeypatch.setenv("HANDOFF_JSONL_PATH", str(tmp_path / "handoffs.jsonl"))
    monkeypatch.setenv("REVIEW_QUEUE_PATH", str(tmp_path / "review.jsonl"))
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    settings.reset()


def ticket(ticket_id: str, conversation: str) -> dict:
    return {"id": ticket_id, "conversation_id": conversation, "interaction_type": "Help", "reason": "request_human",
            "transcript": [{"from": "buyer", "text": "oi", "at": None}]}


def test_purge_keeps_the_window_and_what_people_still_work_on(tmp_path, monkeypatch) -> None:
    setup_env(tmp_path, monkeypatch)
    for ticket_id, conversation in (("old-resolved", "c1"), ("new-resolved", "c2"), ("old-open", "c3")):
        tickets.save(ticket(ticket_id, conversation))
    tickets.update("old-resolved", status="resolved", resolved_at=OLD)
    tickets.update("new-resolved", status="resolved", resolved_at=RECENT)
    engine = get_engine()
    with engine.begin() as conn:
        for key, status, at in (("a", "done", OLD), ("b", "pending", OLD), ("c", "done", RECENT)):
            conn.execute(notifications.insert().values(seller_id=1, topic="messages", resource=key, dedup_key=key,
                                                       payload="{}", status=status, attempts=0, received_at=at,
                                                       not_before=0.0))
    (tmp_path / "handoffs.jsonl").write_text("".join(
        json.dumps({"id": i, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(at))}) + "\n"
        for i, at in (("j-old", OLD), ("j-new", RECENT))))
    old_item = {"id": "r1", "created_at": "2020-01-01T00:00:00+00:00", "status": "pending", "text": "x"}
    new_item = {"id": "r2", "created_at": review_queue.now(), "status": "pending", "text": "y"}
    review_queue.write(tmp_path / "review.jsonl", [old_item, new_item])
    trackers = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    events = SQLTrackerStore.SQLEvent.__table__
    events.metadata.create_all(trackers)
    with trackers.begin() as conn:
        for sender, at in (("c1", OLD), ("c3", OLD), ("c4", OLD), ("c4", RECENT), ("c5", OLD - 1)):
            conn.execute(events.insert().values(sender_id=sender, type_name="user", timestamp=at, data="{}"))

    counts = retention.purge(now=NOW, tracker_engine=trackers)

    assert counts == {"tickets": 1, "notifications": 1, "replies": 0, "conversations": 0, "review_items": 1,
                      "jsonl_tickets": 1, "tracker_conversations": 2}
    assert tickets.get("old-resolved") is None
    assert tickets.get("new-resolved") and tickets.get("old-open")
    with engine.connect() as conn:
        assert sorted(r.resource for r in conn.execute(sa.select(notifications.c.resource))) == ["b", "c"]
    assert [json.loads(line)["id"] for line in (tmp_path / "handoffs.jsonl").read_text().splitlines()] == ["j-new"]
    assert [i["id"] for i in review_queue.items(tmp_path / "review.jsonl")] == ["r2"]
    with trackers.connect() as conn:  # c1, c5 gone; c3 has an open ticket; c4 spoke recently
        assert sorted({r.sender_id for r in conn.execute(sa.select(events.c.sender_id))}) == ["c3", "c4"]
    assert oct((tmp_path / "handoffs.jsonl").stat().st_mode & 0o777) == "0o600"


def test_the_window_is_a_setting(tmp_path, monkeypatch) -> None:
    setup_env(tmp_path, monkeypatch)
    monkeypatch.setenv("RETENTION_DAYS", "7")
    settings.reset()
    tickets.save(ticket("t", "c1"))
    tickets.update("t", status="resolved", resolved_at=RECENT)
    assert retention.purge(now=NOW)["tickets"] == 1
    monkeypatch.setenv("RETENTION_DAYS", "soon")
    settings.reset()
    try:
        settings.current()
    except settings.SettingsError as problem:
        assert "RETENTION_DAYS must be a number of days" in str(problem)
    else:
        raise AssertionError("a bad RETENTION_DAYS must stop the start")
