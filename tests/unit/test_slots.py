"""Language and order context: from the channel when it knows, else from the buyer."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import ValidateOrderForm, ValidateSlotMappings, find_order_number
from postsale.language import detect_language, resolve_language, site_language
from simulator import SCENARIOS
from testkit.trackers import make_tracker


@pytest.mark.parametrize(
    "site, lang",
    [("MLB", "pt"), ("MLA", "es"), ("MLM", "es"), ("MCO", "es"), ("MLC", "es"), ("MLU", "es"),
     ("MPE", "es"), (None, None), ("XXX", None)],
)
def test_site_decides_language(site, lang) -> None:
    assert site_language(site) == lang


@pytest.mark.parametrize(
    "text, lang",
    [
        ("cade meu pedido??", "pt"),
        ("vc pode me mandar a nf pfv", "pt"),
        ("MANDARAM O TAMANHO ERRADO", "pt"),
        ("oi, bom dia", "pt"),
        ("che, todavia no me llego nada", "es"),
        ("hola buenas, necesito la factura", "es"),
        ("wey el pedido no llega", "es"),
        ("cuando llega mi compra?", "es"),
    ],
)
def test_text_decides_language_when_site_unknown(text, lang) -> None:
    assert detect_language(text) == lang


def test_numbers_alone_keep_the_conversation_language() -> None:
    assert detect_language("2000010000000201") is None
    assert resolve_language(None, "2000010000000201", "es") == "es"
    assert resolve_language("MLB", "hola que tal", "es") == "pt"  # the site wins


async def test_slot_mappings_from_channel_metadata(domain) -> None:
    tracker = make_tracker(
        "hola", "greet",
        metadata={"site_id": "MLA", "pack_id": 2000007000001101, "order_id": 2000010000001101},
    )
    events = await ValidateSlotMappings().run(CollectingDispatcher(), tracker, domain)
    slots = {e["name"]: e["value"] for e in events}
    assert slots["language"] == "es"
    assert slots["pack_id"] == "2000007000001101"
    assert slots["order_id"] == "2000010000001101"


@pytest.mark.parametrize("intent, slots, topic", [
    ("delivery_time", {}, "delivery_time"),  # a Help question sets it
    ("invoice_request", {"help_topic": "delivery_time"}, "invoice_request"),  # the next one replaces it
    ("inform", {"help_topic": "delivery_time", "requested_slot": "order_number"}, "delivery_time"),  # form: kept
    ("complaint_damaged", {"help_topic": "payment_question"}, "payment_question"),  # not Help: kept
    ("nlu_fallback", {"help_topic": "order_status"}, "order_status"),
    ("greet", {}, None),
])
async def test_help_topic_comes_from_the_catalogue(domain, intent, slots, topic) -> None:
    tracker = make_tracker("texto", intent, slots=slots)
    events = await ValidateSlotMappings().run(CollectingDispatcher(), tracker, domain)
    changed = {e["name"]: e["value"] for e in events}
    assert changed.get("help_topic", slots.get("help_topic")) == topic


async def test_language_from_text_on_rest(domain) -> None:
    events = await ValidateSlotMappings().run(
        CollectingDispatcher(), make_tracker("donde esta mi pedido", "order_status"), domain
    )
    assert {e["name"]: e["value"] for e in events}["language"] == "es"


@pytest.mark.parametrize(
    "text, number",
    [("2000010000000201", "2000010000000201"), ("o numero eh 2000 0100 0000 0201", "2000010000000201"),
     ("pedido #2000010000000201.", "2000010000000201"), ("nao sei", None), ("R$ 129,90", None)],
)
def test_find_order_number(text, number) -> None:
    assert find_order_number(text) == number


async def test_form_skips_question_when_channel_knows_the_order(domain) -> None:
    tracker = make_tracker(slots={"pack_id": "2000007000000201"})
    required = await ValidateOrderForm().required_slots(["order_number"], CollectingDispatcher(), tracker, domain)
    assert required == []


async def validate(number: str, domain):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(number, "inform", slots={"requested_slot": "order_number"})
    result = await ValidateOrderForm().validate_order_number(number, dispatcher, tracker, domain)
    return result, dispatcher.messages


async def test_form_accepts_an_order_number_checked_against_the_api(meli, domain) -> None:
    sc = SCENARIOS["shipped"]
    result, messages = await validate(f"é {sc.order_id}", domain)
    assert result == {"order_number": str(sc.order_id), "order_id": str(sc.order_id), "pack_id": str(sc.pack_id)}
    assert messages == []


async def test_form_accepts_a_pack_number(meli, domain) -> None:
    sc = SCENARIOS["delivered"]
    result, _ = await validate(str(sc.pack_id), domain)
    assert result["pack_id"] == str(sc.pack_id)
    assert result["order_id"] == str(sc.order_id)


async def test_form_rejects_unknown_number_and_says_so(meli, domain) -> None:
    result, messages = await validate("2000099999999999", domain)
    assert result == {"order_number": None}
    assert messages[0]["response"] == "utter_order_not_found"


async def test_form_rejects_text_without_a_number(meli, domain) -> None:
    result, messages = await validate("nao lembro", domain)
    assert result == {"order_number": None}
    assert messages[0]["response"] == "utter_order_number_invalid"
