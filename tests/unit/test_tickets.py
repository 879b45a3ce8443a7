"""Tickets in SQL (priority, one open per conversation) and the data-request decision table."""

from __future__ import annotations

import pytest

from postsale import tickets
from postsale.data_requests import decide


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("MELI_DB_URL", f"sqlite:///{tmp_path / 'tickets.db'}")


def ticket(tid: str, conversation: str, kind: str, reason: str, **extra) -> dict:
    return {"id": tid, "conversation_id": conversation, "interaction_type": kind, "reason": reason,
            "channel": "mercadolibre", "origin": "Mercado Libre", "language": "pt", "transcript": [], **extra}


def test_queue_puts_claims_then_complaints_then_help_oldest_first() -> None:
    tickets.save(ticket("h1", "c1", "Help", "request_human"))
    tickets.save(ticket("c1", "c2", "Complaint", "complaint_damaged"))
    tickets.save(ticket("h2", "c3", "Help", "invoice_missing"))
    tickets.save(ticket("k1", "c4", "Complaint", "open_claim", claim={"id": 5}))
    tickets.save(ticket("c2", "c5", "Complaint", "complaint_warranty"))
    assert [t["id"] for t in tickets.queue()] == ["k1", "c1", "c2", "h1", "h2"]


def test_one_open_ticket_per_conversation_upgraded_by_a_complaint() -> None:
    tickets.save(ticket("t1", "conv", "Help", "request_human"))
    merged = tickets.save(ticket("t2", "conv", "Complaint", "complaint_not_received",
                                 products=[{"title": "Tenis"}]))
    queue = tickets.queue()
    assert [t["id"] for t in queue] == ["t1"]
    assert queue[0]["interaction_type"] == "Complaint" == merged["interaction_type"]
    assert queue[0]["reasons"] == ["request_human", "complaint_not_received"]
    assert queue[0]["products"] == [{"title": "Tenis"}]


def test_resolved_ticket_leaves_the_queue_and_a_new_handoff_opens_a_new_one() -> None:
    tickets.save(ticket("t1", "conv", "Help", "request_human"))
    tickets.update("t1", status="resolved")
    tickets.save(ticket("t2", "conv", "Help", "request_human"))
    assert [t["id"] for t in tickets.queue()] == ["t2"]


REQUESTS = ["name", "email", "phone", "document", "order_number"]


@pytest.mark.parametrize(
    "channel, kind, asked, reason",
    [
        # Mercado Libre: nothing is ever asked, whatever the assistant kind.
        ("mercadolibre", "rule_based", [], "marketplace_forbids_data_requests"),
        ("mercadolibre", "generative", [], "marketplace_forbids_data_requests"),
        # Other channels with a generative assistant: the configuration is ignored.
        ("rest", "generative", [], "generative_assistant"),
        ("cmdline", "generative", [], "generative_assistant"),
        # Other channels, rule-based: only non-personal requests may be asked.
        ("rest", "rule_based", ["order_number"], "personal_data"),
        ("cmdline", "rule_based", ["order_number"], "personal_data"),
    ],
)
def test_data_request_decision_table(channel, kind, asked, reason) -> None:
    decision = decide(channel, kind, REQUESTS)
    assert decision.ask == asked
    stripped = {s["field"]: s["reason"] for s in decision.stripped}
    assert set(stripped) == set(REQUESTS) - set(asked)
    assert set(stripped.values()) == {reason}


def test_ticket_nobody_takes_in_time_is_flagged() -> None:
    from connectors.inbox.views import summary as _summary

    tickets.save(ticket("t1", "conv", "Help", "request_human"))
    row = tickets.queue()[0]
    assert _summary(row, row["created_ts"] + 31 * 60, take_within=30 * 60)["flagged"] is True
    assert _summary(row, row["created_ts"] + 5 * 60, take_within=30 * 60)["flagged"] is False
    tickets.update("t1", status="assigned")
    assert _summary(tickets.queue()[0], row["created_ts"] + 99 * 60, take_within=30 * 60)["flagged"] is False
