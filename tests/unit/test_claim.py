"""What a ticket keeps of a claim (postsale/claim.py) and the queue's order (postsale/tickets.py)."""

from __future__ import annotations

import time
import uuid

import pytest

from postsale import claim as claims
from postsale import tickets

NOW = 1_800_000_000.0


def _claim(stage: str = "claim", status: str = "opened", actions: list | None = None) -> dict:
    return {"id": 77, "type": "mediations", "stage": stage, "status": status, "reason_id": "PDD9549",
            "players": [{"role": "complainant", "type": "buyer", "user_id": 1, "available_actions": []},
                        {"role": "respondent", "type": "seller", "user_id": 2, "available_actions": actions or [
                            {"action": "send_message_to_complainant", "mandatory": False, "due_date": None},
                            {"action": "refund", "mandatory": True, "due_date": "2027-01-15T10:00:00.000-03:00"},
                            {"action": "allow_return", "mandatory": True, "due_date": "2027-01-14T10:00:00.000-0300"},
                        ]}]}


def test_the_sellers_deadline_is_the_nearest_mandatory_action() -> None:
    view = claims.claim_view(_claim(), reputation={"affects_reputation": "affected", "has_incentive": True,
                                                   "due_date": "2027-01-13T10:00:00Z"})
    assert view["seller_action"]["action"] == "allow_return"
    assert view["due_at"] == claims.instant("2027-01-14T13:00:00Z")
    assert view["incentive_until"] == claims.instant("2027-01-13T10:00:00+00:00")
    assert view["receivers"] == ["complainant"]


def test_in_a_dispute_the_seller_writes_to_the_mediator_and_a_closed_claim_takes_nothing() -> None:
    dispute = _claim("dispute", actions=[{"action": "send_message_to_mediator", "mandatory": False},
                                         {"action": "send_attachments", "mandatory": True,
                                          "due_date": "2027-01-20T10:00:00Z"}])
    assert claims.receivers(dispute) == ["mediator"]
    assert claims.claim_event(claims.claim_view(_claim()), claims.claim_view(dispute)) == "dispute"
    closed = {**_claim(status="closed"), "resolution": {"reason": "payment_refunded", "benefited": ["respondent"]}}
    view = claims.claim_view(closed)
    assert claims.receivers(closed) == [] and claims.seller_won(view)
    assert claims.claim_event(claims.claim_view(dispute), view) == "closed"
    assert claims.claim_event(view, view) is None


@pytest.mark.parametrize("due, incentive, expected", [
    (NOW - 60, None, "past_due"), (NOW + 3600, None, "due_soon"), (NOW + 48 * 3600, NOW + 3600, "incentive"),
    (NOW + 48 * 3600, None, None), (None, None, None),
])
def test_urgency(due, incentive, expected) -> None:
    view = {"status": "opened", "due_at": due, "incentive_until": incentive}
    assert claims.urgency(view, NOW, 12 * 3600) == expected


def test_a_claim_messages_text_is_masked_before_it_is_stored() -> None:
    item = claims.claim_message({"sender_role": "complainant", "receiver_role": "respondent",
                                 "message": "me liga no 11 98765-4321 ou joao@exemplo.com", "date_created":
                                 "2027-01-10T10:00:00Z", "attachments": [{"filename": "1_a.jpg",
                                                                          "original_filename": "foto.jpg"}]})
    assert "98765" not in item["text"] and "joao@exemplo.com" not in item["text"]
    assert item["attachments"] == [{"id": "1_a.jpg", "name": "foto.jpg", "type": None, "size": None}]


def test_the_queue_puts_the_nearest_seller_deadline_first_then_priority(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MELI_DB_URL", f"sqlite:///{tmp_path / 'q.db'}")
    from postsale import settings

    settings.reset()
    now = time.time()

    def ticket(kind: str, reason: str, due: float | None = None, stage: str = "claim") -> str:
        body = {"id": str(uuid.uuid4()), "conversation_id": f"c-{uuid.uuid4().hex[:6]}", "interaction_type": kind,
                "reason": reason}
        if due is not None:
            body["claim"] = {"id": uuid.uuid4().int % 10**9, "stage": stage, "status": "opened", "due_at": due}
        tickets.save(body)
        return body["id"]

    help_first = ticket("Help", "request_human")
    complaint = ticket("Complaint", "complaint_damaged")
    later = ticket("Complaint", "open_claim", due=now + 40 * 3600)
    sooner = ticket("Complaint", "open_claim", due=now + 3 * 3600)
    overdue = ticket("Complaint", "open_claim", due=now - 600, stage="dispute")
    assert [t["id"] for t in tickets.queue()] == [overdue, sooner, later, complaint, help_first]
    assert tickets.get(overdue)["priority"] == tickets.DISPUTE
    settings.reset()
