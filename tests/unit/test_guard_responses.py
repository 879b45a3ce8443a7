"""Nothing the bot can say breaks the outgoing-text guard.

Two layers: every response variant in domain.yml with its placeholders filled, and every Help
answer the actions actually give for every seeded order state in both languages, rendered the
way Rasa renders it (real titles, dates, tracking numbers and amounts from the simulator).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.help import ActionAnswerHelp
from postsale import catalogue
from postsale.guard import check_outgoing
from simulator import SCENARIOS
from testkit.trackers import make_tracker
from training.validate import SAMPLES

# The validator's sample values (training/validate.py): one table, so the two checks cannot drift.
HELP_TOPICS = list(catalogue.HELP_INTENTS)


def variants(domain: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    out = []
    for name, items in domain["responses"].items():
        for item in items:
            lang = next((c.get("value") for c in item.get("condition") or [] if c.get("name") == "language"), None)
            if item.get("text"):
                out.append((name, item["text"], lang))
    return out


def render(template: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), SAMPLES.get(m.group(1), m.group(0)))), template)


def test_every_domain_response_passes_the_guard(domain) -> None:
    found = variants(domain)
    assert len(found) > 50
    blocked = []
    for name, template, _ in found:
        text = render(template, SAMPLES)
        verdict = check_outgoing(text)
        if not verdict.allowed:
            blocked.append((name, verdict.kind, verdict.excerpt(text)))
    assert not blocked


@pytest.mark.parametrize("lang", catalogue.LANGUAGES)
@pytest.mark.parametrize("topic", HELP_TOPICS)
async def test_every_help_answer_for_every_order_state_passes_the_guard(meli, tickets, domain, topic, lang) -> None:
    by_name = {}
    for name, template, variant_lang in variants(domain):
        if variant_lang in (None, lang):
            by_name.setdefault(name, template)
    rendered = 0
    for scenario, sc in SCENARIOS.items():
        dispatcher = CollectingDispatcher()
        slots = {"help_topic": topic, "language": lang, "order_id": str(sc.order_id)}
        await ActionAnswerHelp().run(dispatcher, make_tracker(intent=topic, slots=slots), domain)
        for message in dispatcher.messages:
            template = by_name.get(message.get("response")) or message.get("text")
            if not template:
                continue
            values = {k: v for k, v in message.items() if k not in ("response", "text")}
            values.update(message.get("custom") or {})
            text = render(template, values)
            verdict = check_outgoing(text)
            assert verdict.allowed, (scenario, message.get("response"), verdict.kind, verdict.excerpt(text), text)
            rendered += 1
    assert rendered >= len(SCENARIOS)
