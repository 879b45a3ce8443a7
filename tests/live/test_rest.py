"""The running product, end to end: Rasa server + action server + simulator over loopback.

Buyers talk through Rasa's REST channel exactly as `scripts/run.sh` serves it; the assertions
are on what a buyer reads and on the ticket an agent receives.
"""

from __future__ import annotations

import httpx
import pytest

from simulator import SCENARIOS
from testkit.stack import Stack

pytestmark = pytest.mark.slow


def test_order_status_from_channel_metadata_in_portuguese(stack: Stack) -> None:
    sc = SCENARIOS["shipped"]
    replies = stack.say("live-pt-1", "oi, cade meu pedido??", order_id=str(sc.order_id), site_id="MLB")
    text = " ".join(replies)
    assert "a caminho" in text
    assert sc.item_titles[0] in text
    assert "Posso ajudar com mais alguma coisa?" in text


def test_delivery_date_in_spanish_for_an_argentine_sale(stack: Stack) -> None:
    sc = SCENARIOS["shipped_mla"]
    replies = stack.say("live-es-1", "hola, para cuando llega mi compra?", pack_id=str(sc.pack_id), site_id="MLA")
    text = " ".join(replies)
    assert "está prevista para el" in text
    assert sc.item_titles[0] in text


def test_form_asks_the_order_number_on_rest_and_then_answers(stack: Stack) -> None:
    first = " ".join(stack.say("live-form-1", "qual o prazo de entrega do meu pedido?"))
    assert "número do pedido" in first
    wrong = " ".join(stack.say("live-form-1", "2000099999999999"))
    assert "Não encontrei o pedido 2000099999999999" in wrong
    sc = SCENARIOS["shipped"]
    answer = " ".join(stack.say("live-form-1", f"é esse {sc.order_id}"))
    assert "prevista para" in answer


def test_complaint_hands_off_with_ticket_and_bot_goes_silent(stack: Stack) -> None:
    sc = SCENARIOS["delivered"]
    replies = stack.say("live-complaint-1", "o tenis chegou todo rasgado, a caixa veio amassada",
                        pack_id=str(sc.pack_id), site_id="MLB")
    assert "pessoa da equipe" in " ".join(replies)
    ticket = [t for t in stack.tickets() if t["conversation_id"] == "live-complaint-1"][-1]
    assert ticket["interaction_type"] == "Complaint"
    assert ticket["intent"] == "complaint_damaged"
    assert {p["title"] for p in ticket["products"]} == set(sc.item_titles)
    assert ticket["transcript"][0]["text"].startswith("o tenis chegou")
    assert stack.say("live-complaint-1", "alguem ai?", pack_id=str(sc.pack_id)) == []


def test_api_down_gives_an_honest_reply_and_a_backend_error_ticket(stack: Stack) -> None:
    httpx.post(f"{stack.sim}/_sim/faults", json={"path": "^/(orders|packs)/", "status": 503}).raise_for_status()
    try:
        sc = SCENARIOS["paid_not_shipped"]
        replies = stack.say("live-down-1", "meu pagamento foi aprovado?", order_id=str(sc.order_id))
    finally:
        httpx.delete(f"{stack.sim}/_sim/faults")
    assert "não consegui consultar" in " ".join(replies)
    ticket = [t for t in stack.tickets() if t["conversation_id"] == "live-down-1"][-1]
    assert ticket["reason"] == "backend_error"


def _inline_number_questions() -> list[tuple[str, str, str]]:
    """(story, text, intent) of the test stories where a Help question carries the order number:
    the same sentences `rasa test` checks offline are sent to the running bot here."""
    import re
    from pathlib import Path

    import yaml

    stories = yaml.safe_load((Path(__file__).resolve().parents[1] / "test_stories.yml").read_text())["stories"]
    out = []
    for story in stories:
        if story["story"].endswith("with the order number in the question"):
            step = story["steps"][0]
            out.append((story["story"], re.sub(r"\[([^\]]+)\]\(order_number\)", r"\1", step["user"]), step["intent"]))
    return out


INLINE = _inline_number_questions()


def test_every_help_intent_has_an_inline_number_story_in_both_languages() -> None:
    from postsale.catalogue import HELP_INTENTS

    covered = {(name.split()[0], intent) for name, _, intent in INLINE}
    assert covered == {(lang, intent) for lang in ("pt", "es") for intent in HELP_INTENTS}


@pytest.mark.parametrize(("story", "text", "intent"), INLINE, ids=[s for s, _, _ in INLINE])
def test_help_question_with_the_order_number_is_answered_in_one_turn(stack: Stack, story: str, text: str,
                                                                    intent: str) -> None:
    sender = "inline-" + story.replace(" ", "-")
    replies = " ".join(stack.say(sender, text))
    assert replies, "no answer"
    assert "preciso do número" not in replies and "necesito el número" not in replies, replies  # not asked
    events = httpx.get(f"{stack.rasa}/conversations/{sender}/tracker", timeout=10).json()["events"]
    user = [e for e in events if e["event"] == "user"][-1]
    assert user["parse_data"]["intent"]["name"] == intent
    actions = [e["name"] for e in events if e["event"] == "action"]
    assert "action_answer_help" in actions and "utter_ask_order_number" not in actions
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots.get("order_number") == str(SCENARIOS["shipped"].order_id) and slots.get("help_topic") == intent
