"""The intent catalogue: every intent the bot knows, what it is for, and how it is routed.

This is the one list. domain.yml, data/rules.yml, data/nlu/<lang>/ and the test stories must
agree with it, and `scripts/validate_data.py` says where they do not (`file:line`); the action
server answers Help topics through the functions named here, the evaluation scores routing with
these groups, and the agents' intent picker in the inbox shows them. Adding a Help intent starts
here (TRAINING.md walks through it).

Stdlib only, and no import of the rest of the product: the trainers' validator loads this file
by path from the project it checks.
"""

from __future__ import annotations

from dataclasses import dataclass

# The languages the bot speaks: every typed intent has examples in data/nlu/<lang>/ and every
# response a variation for each.
LANGUAGES: tuple[str, ...] = ("pt", "es")

# Interaction types, as the handoff ticket and the agents say them (the seed's Help/Complaint).
HELP = "Help"
COMPLAINT = "Complaint"


@dataclass(frozen=True)
class HelpTopic:
    """A Help question the bot answers from live order data.

    `answer` names the function that answers it, as `<module>.<function>` under actions/answers/:
    an async function (client, order context, language) -> Answer.
    """

    intent: str
    answer: str


HELP_TOPICS: tuple[HelpTopic, ...] = (
    HelpTopic("order_status", "order_status.answer_order_status"),
    HelpTopic("delivery_time", "shipment.answer_delivery_time"),
    HelpTopic("invoice_request", "invoice.answer_invoice"),
    HelpTopic("return_or_exchange", "claim.answer_return_or_exchange"),
    HelpTopic("payment_question", "payment.answer_payment"),
    HelpTopic("shipping_question", "shipment.answer_shipping"),
)
# The topic answered when the conversation has none yet (the order form finished without one).
DEFAULT_HELP_TOPIC = "order_status"

# Complaints always go to a person; the intent is the handoff reason.
COMPLAINT_INTENTS: tuple[str, ...] = (
    "complaint_not_received",
    "complaint_damaged",
    "complaint_not_as_described",
    "complaint_no_refund",
    "complaint_warranty",
)

# An explicit request for a person: handed off as Help.
REQUEST_HUMAN = "request_human"

# Small talk and the order number typed on its own.
CONVERSATION_INTENTS: tuple[str, ...] = (
    "greet",
    "thanks",
    "goodbye",
    REQUEST_HUMAN,
    "affirm",
    "deny",
    "out_of_scope",
    "bot_challenge",
    "inform",
)

# Sent by the Mercado Libre channel, never typed by a buyer and never predicted from text.
CHANNEL_PREFIX = "system_"
SYSTEM_HANDOFF = "system_handoff"
SYSTEM_ATTACHMENT = "system_attachment"
SYSTEM_RESOLVED = "system_resolved"
CHANNEL_INTENTS: tuple[str, ...] = (SYSTEM_HANDOFF, SYSTEM_ATTACHMENT, SYSTEM_RESOLVED)

# Handoff reasons the marketplace channel gives with `system_handoff`.
BLOCKED_CONVERSATION = "blocked_conversation"
BLOCKED_OUTGOING_TEXT = "blocked_outgoing_text"
MODERATED_REPLY = "moderated_reply"
BACKEND_ERROR = "backend_error"
# The store sends Help straight to agents (its `help_route` setting: postsale/stores.py).
HELP_TO_AGENTS = "help_to_agents"
OPEN_CLAIM = "open_claim"
MEDIATION = "mediation"
# The marketplace is arbitrating (with deadlines): a Complaint, first in the agents' queue.
CLAIM_REASONS: frozenset[str] = frozenset({OPEN_CLAIM, MEDIATION})
# The channel withheld the bot's reply (the guard stopped it, or the marketplace moderated it).
WITHHELD_REPLY_REASONS: frozenset[str] = frozenset({BLOCKED_OUTGOING_TEXT, MODERATED_REPLY})

HELP_INTENTS: tuple[str, ...] = tuple(topic.intent for topic in HELP_TOPICS)
# The groups the agents' intent picker shows and the evaluation scores routing with.
INTENT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (HELP, HELP_INTENTS),
    (COMPLAINT, COMPLAINT_INTENTS),
    ("conversation", CONVERSATION_INTENTS),
)
ALL_INTENTS: tuple[str, ...] = HELP_INTENTS + COMPLAINT_INTENTS + CONVERSATION_INTENTS + CHANNEL_INTENTS
# Intents a buyer can type, so the ones NLU examples, agents' corrections and evaluation cover.
TYPED_INTENTS: tuple[str, ...] = HELP_INTENTS + COMPLAINT_INTENTS + CONVERSATION_INTENTS


def help_topic(intent: str | None) -> HelpTopic | None:
    return next((topic for topic in HELP_TOPICS if topic.intent == intent), None)


def is_complaint(intent: str | None) -> bool:
    return intent in COMPLAINT_INTENTS


def routing_group(intent: str | None) -> str:
    """help, complaint or other: where a message goes (answered, handed to a person, small talk)."""
    if intent in HELP_INTENTS:
        return "help"
    return "complaint" if intent in COMPLAINT_INTENTS else "other"


def _check() -> None:
    """A catalogue that contradicts itself fails at import, not in a buyer's conversation."""
    seen: set[str] = set()
    for intent in ALL_INTENTS:
        if intent in seen:
            raise ValueError(f"intent {intent} is listed twice in the catalogue")
        seen.add(intent)
    if DEFAULT_HELP_TOPIC not in HELP_INTENTS:
        raise ValueError(f"DEFAULT_HELP_TOPIC {DEFAULT_HELP_TOPIC} is not a Help topic")
    for topic in HELP_TOPICS:
        module, _, function = topic.answer.partition(".")
        if not module or not function or "." in function:
            raise ValueError(f"Help topic {topic.intent}: answer must be '<module>.<function>', not {topic.answer!r}")


_check()
