"""Every code an agent sees has words in both languages (postsale/labels.py)."""

from __future__ import annotations

import pytest

from postsale import catalogue, labels
from postsale.guard import KINDS

REASONS = set(catalogue.COMPLAINT_INTENTS) | {catalogue.REQUEST_HUMAN} | {
    catalogue.BLOCKED_CONVERSATION, catalogue.BLOCKED_OUTGOING_TEXT, catalogue.MODERATED_REPLY,
    catalogue.BACKEND_ERROR, catalogue.HELP_TO_AGENTS} | set(catalogue.CLAIM_REASONS) | {
    "low_confidence", "invoice_missing", "late_delivery", "not_delivered", "cancelled_without_refund"}


@pytest.mark.parametrize("vocabulary, codes", [
    ("reason", REASONS), ("guard", set(KINDS)), ("interaction", {catalogue.HELP, catalogue.COMPLAINT}),
    ("data_request", {"name", "email", "phone", "document", "order_number", "marketplace_forbids_data_requests",
                      "generative_assistant", "personal_data"}),
    ("ticket_status", {"open", "assigned", "resolved"}), ("intent", set(catalogue.TYPED_INTENTS)),
    ("audit", {"take", "reassign", "reply", "resolve", "reopen", "review", "claim_reply", "claim_dispute",
               "claim_closed", "blocked_by_guard"}),
])
def test_every_code_has_words_in_both_languages(vocabulary, codes) -> None:
    for code in codes:
        pt, es = labels.word(vocabulary, code, "pt"), labels.word(vocabulary, code, "es")
        assert pt != code and es != code, f"{vocabulary}:{code} has no words"
        assert pt.strip() and es.strip()


def test_codes_with_a_variable_tail_are_found_by_prefix_and_unknown_codes_stay_codes() -> None:
    assert labels.word("reason", "payment_rejected", "es") == "Problema con el pago"
    assert labels.word("reason", "unknown_order_status:weird", "pt") == "Status do pedido desconhecido"
    assert labels.word("reason", "brand_new_reason", "pt") == "brand_new_reason"
    assert labels.as_json("es")["order_status"]["paid"] == "Pagado"
