"""Replies fit Mercado Libre's rules: latin-1 only, at most 350 characters, split sensibly."""

from __future__ import annotations

import pytest

from connectors.mercadolibre.intake import Intake
from connectors.mercadolibre.output import MercadoLibreOutput
from connectors.mercadolibre.reply_text import prepare, split_message, to_latin1
from postsale.db import get_engine
from simulator import SCENARIOS


def test_non_latin1_is_replaced_not_dropped_mid_word() -> None:
    assert to_latin1("“Olá” — tudo bem… 😀 obrigado") == '"Olá" - tudo bem... obrigado'
    assert to_latin1("Você já recebeu? ¿Cuándo llega?") == "Você já recebeu? ¿Cuándo llega?"
    to_latin1("ção ñ ü €").encode("latin-1")


def test_long_reply_is_split_on_sentences_within_the_limit() -> None:
    sentences = [f"Frase numero {i} com algum conteudo sobre o pedido e a entrega." for i in range(12)]
    text = " ".join(sentences)
    chunks = split_message(text)
    assert len(text) > 600 and len(chunks) >= 2
    assert all(len(c) <= 350 for c in chunks)
    assert all(c.endswith(".") for c in chunks)
    assert " ".join(chunks) == text


def test_a_single_huge_sentence_is_cut_between_words() -> None:
    text = " ".join(["palavra"] * 120)
    chunks = split_message(text)
    assert all(len(c) <= 350 for c in chunks)
    assert all(not c.startswith(" ") and "palavr " not in c for c in chunks)
    assert " ".join(chunks) == text


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_sends_nothing(text: str) -> None:
    assert prepare(text) == []


async def test_600_character_reply_arrives_as_valid_messages(simulator, meli, tmp_path) -> None:
    sc = SCENARIOS["shipped"]
    await simulator.admin.post("/_sim/config", json={"callback_url": None})
    await simulator.admin.post("/_sim/buyer_messages", json={"pack_id": sc.pack_id, "text": "oi"})
    intake = Intake(get_engine(f"sqlite:///{tmp_path / 'i.db'}"))
    output = MercadoLibreOutput(meli, intake, 123456789, str(sc.pack_id), sc.buyer_id)
    text = " ".join(f"Parte {i}: seu pedido esta a caminho e chega em breve “sem atraso”." for i in range(10))
    assert len(text) > 600
    await output.send_text_message("x", text)
    assert len(output.delivery.sent) >= 2 and not output.delivery.errors
    thread = (await simulator.admin.get(f"/_sim/conversations/{sc.pack_id}")).json()
    messages = thread.get("messages", thread) if isinstance(thread, dict) else thread
    seller = [m for m in messages if str(m["from"]["user_id"]) == "123456789"]
    assert len(seller) == len(output.delivery.sent)
    assert all(len(m["text"]) <= 350 for m in seller)
    assert [r["status"] for r in intake.replies_for(str(sc.pack_id))] == ["sent"] * len(seller)
