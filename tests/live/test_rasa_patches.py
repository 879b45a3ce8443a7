"""A Rasa server with only the REST channel runs with the Rasa patches, and behaves as Rasa does.

The patches belong to the server (`python -m connectors run`), not to a channel: before the
move, a REST-only server silently ran without them. Here the marketplace channel and the inbox
are not configured at all; the server's log shows the patched processor at work, and one
conversation's messages, sent at once, are still handled one turn at a time, in order.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator import SCENARIOS
from testkit.stack import Stack

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rest_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("rest_only")
    credentials = tmp / "credentials.yml"
    credentials.write_text("connectors.rest.RestInput:\n", encoding="utf-8")
    with Stack(tmp, credentials=credentials) as stack:
        yield stack


def log_of(stack: Stack) -> str:
    return Path(stack.tmp / "rasa.log").read_text(encoding="utf-8", errors="replace")


def test_patches_are_active_without_the_marketplace_channel(rest_only: Stack) -> None:
    assert httpx.get(f"{rest_only.rasa}/webhooks/mercadolibre/", timeout=10).status_code == 404  # not configured
    order = str(SCENARIOS["shipped"].order_id)
    replies = rest_only.say("patch-1", "qual foi a forma de pagamento?", order_id=order, site_id="MLB")
    assert any("R$" in reply for reply in replies), replies  # answered from the order API by the action server
    log = log_of(rest_only)
    assert ("patches active: inference off the event loop, action results validated by a compiled schema, "
            "buyer text never read as a command (on)") in log
    assert "model inference runs in the 'inference' thread pool, off the event loop" in log


def test_one_conversation_is_still_handled_one_turn_at_a_time_in_order(rest_only: Stack) -> None:
    texts = ["oi", "obrigado", "oi, tudo bem?", "valeu", "bom dia", "muito obrigado"]
    expected = {"oi": "Oi!", "oi, tudo bem?": "Oi!", "bom dia": "Oi!",
                "obrigado": "Por nada!", "valeu": "Por nada!", "muito obrigado": "Por nada!"}
    with concurrent.futures.ThreadPoolExecutor(len(texts)) as pool:
        answers = dict(zip(texts, pool.map(lambda text: rest_only.say("patch-order", text), texts)))
    for text, replies in answers.items():  # every request got its own turn's reply
        assert replies and replies[0].startswith(expected[text]), (text, replies)
    tracker = httpx.get(f"{rest_only.rasa}/conversations/patch-order/tracker", timeout=10).json()
    turns: list[list[str]] = []
    for event in tracker["events"]:
        if event["event"] == "user":
            turns.append([])
        elif turns and event["event"] == "bot":
            turns[-1].append(event["text"])
        elif turns and event["event"] == "action" and event["name"] == "action_listen":
            turns[-1].append("<listen>")
    users = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert sorted(users) == sorted(texts)
    for text, turn in zip(users, turns):  # each message's replies come before the next message
        assert turn and turn[-1] == "<listen>" and turn.count("<listen>") == 1, (text, turn)
        assert turn[0].startswith(expected[text]), (text, turn)
