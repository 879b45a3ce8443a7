"""Actions on trackers recorded from real conversations of the stack (tests/data/trackers/,
made by `python -m testkit.capture_trackers`): what Rasa really sends, without the stack."""

from __future__ import annotations

from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import ActionHandoff
from testkit.trackers import saved_tracker


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


async def test_a_person_asked_for_after_the_order_form_gets_the_whole_conversation(meli, tickets, domain) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, saved_tracker("rest_order_form_then_person"), domain)
    assert responses(dispatcher) == ["utter_handoff_human"]
    assert events[-1] == ConversationPaused()
    [ticket] = tickets()
    assert events[0] == SlotSet("handoff_ticket", ticket["id"])
    assert (ticket["conversation_id"], ticket["origin"], ticket["interaction_type"], ticket["reason"]) == \
        ("capture-rest", "REST", "Help", "request_human")
    assert ticket["order"]["order_id"] == "2000010000000201" and ticket["order"]["pack_id"] == "2000007000000201"
    assert [p["title"] for p in ticket["products"]] and ticket["language"] == "pt"
    lines = [(line["from"], line["text"][:24]) for line in ticket["transcript"]]
    assert lines == [("buyer", "qual o prazo de entrega?"), ("bot", "Para consultar, preciso "),
                     ("buyer", "2000010000000201"), ("bot", "A entrega de Smartwatch "),
                     ("bot", "Posso ajudar com mais al"), ("buyer", "quero falar com um atend")]
    assert all(line["at"] and line["at"].endswith("+00:00") for line in ticket["transcript"])
    assert ticket["data_requests"]["stripped"] == []  # REST, rule-based: nothing personal configured here


async def test_a_blocked_marketplace_thread_shows_the_buyers_words_not_the_trigger(meli, tickets, domain) -> None:
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, saved_tracker("marketplace_blocked_after_answer"), domain)
    [ticket] = tickets()
    assert (ticket["origin"], ticket["channel"], ticket["reason"], ticket["interaction_type"]) == \
        ("Mercado Libre", "mercadolibre", "blocked_conversation", "Help")
    assert ticket["conversation_id"] == "meli-123456789-2000007000000301"
    assert ticket["order"]["order_ids"] == ["2000010000000301", "2000010000000302"]  # the whole pack
    last = ticket["transcript"][-1]
    assert (last["from"], last["text"]) == ("buyer", "alo?? alguem ai")
    assert not any(line["text"].startswith("/") for line in ticket["transcript"])
    assert responses(dispatcher) == ["utter_handoff_human"]


def test_an_agents_reply_is_an_agent_line_in_the_next_ticket() -> None:
    """After a person answered and the bot resumed, a second handoff's transcript says who wrote what."""
    from postsale import transcript

    events = [{"event": "user", "text": "chegou quebrado", "timestamp": 1.0},
              {"event": "bot", "text": "Sinto muito, vamos resolver.", "timestamp": 2.0, "metadata": {"agent": "ana"}},
              {"event": "bot", "text": "Posso ajudar com mais alguma coisa?", "timestamp": 3.0}]
    assert [line["from"] for line in transcript.for_ticket(events)] == ["buyer", "agent", "bot"]
