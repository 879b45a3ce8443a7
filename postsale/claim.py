"""What an agent needs to know of a Mercado Libre claim to act before its deadline."""

from __future__ import annotations

from typing import Any


def claim_summary(claim: dict[str, Any]) -> dict[str, Any]:
    """The claim's identity, stage and every due date of the actions the players may take."""
    return {
        "id": claim.get("id"),
        "type": claim.get("type"),
        "stage": claim.get("stage"),
        "status": claim.get("status"),
        "reason_id": claim.get("reason_id"),
        "resource": claim.get("resource"),
        "resource_id": claim.get("resource_id"),
        "date_created": claim.get("date_created"),
        "due_dates": [
            a.get("due_date")
            for p in claim.get("players") or []
            for a in p.get("available_actions") or []
            if a.get("due_date")
        ],
    }
