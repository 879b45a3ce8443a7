"""The outgoing-text guard: the labelled set's targets, the issue's hard cases, spans and speed."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
import yaml

from postsale.guard import KINDS, check_outgoing, fold

LABELLED = Path(__file__).resolve().parents[1] / "data" / "outgoing_guard.yml"
EXAMPLES = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["examples"]


def test_labelled_set_recall_and_false_blocks_meet_the_targets() -> None:
    violations = [e for e in EXAMPLES if e["kind"]]
    innocent = [e for e in EXAMPLES if not e["kind"]]
    missed = [e["text"] for e in violations if check_outgoing(e["text"]).allowed]
    false_blocks = [e["text"] for e in innocent if not check_outgoing(e["text"]).allowed]
    assert len(violations) >= 300 and len(innocent) >= 300
    assert 1 - len(missed) / len(violations) >= 0.95, missed
    assert len(false_blocks) / len(innocent) <= 0.02, false_blocks


def test_labelled_set_covers_every_kind_in_every_language() -> None:
    for kind in KINDS:
        langs = {e["lang"] for e in EXAMPLES if e["kind"] == kind}
        assert langs == {"pt", "es", "en"}, (kind, langs)


def test_median_time_per_message_is_under_a_millisecond() -> None:
    timings = []
    for _ in range(3):
        for example in EXAMPLES:
            started = time.perf_counter()
            check_outgoing(example["text"])
            timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.001


@pytest.mark.parametrize("text, kind", [
    ("me chama no zap que te explico", "off_platform"),
    ("passa teu contato que eu te aviso", "request_phone"),
    ("qual seu whats?", "request_phone"),
    ("Por favor, me informe seu CPF para emitir a nota.", "request_document"),
    ("cual es tu direccion completa?", "request_address"),
    ("What's your email? I'll send the manual.", "request_email"),
    ("tenes insta?", "request_social"),
    ("me passa sua chave pix que eu devolvo o valor", "request_bank"),
    ("onze nove nove oito sete seis cinco quatro tres dois um", "share_contact"),
    ("escribinos: ventas arroba gmail punto com", "share_contact"),
    ("meu numero: 11.98765.4321", "share_contact"),
    ("liga no 1 1 9 8 7 6 5 4 3 2 1", "share_contact"),
    ("(11) 98765-4321", "share_contact"),
    ("+54 9 11 4567-8910 es mi cel", "share_contact"),
    ("sac@lojaxyz.com.br", "share_contact"),
    ("veja o manual em www.lojaxyz.com.br/manual", "external_link"),
    ("bit.ly/troca-rapida", "external_link"),
    ("lojaxyz ponto com ponto br", "external_link"),
    ("faz um pix direto pra mim que sai mais barato", "off_platform"),
    ("cancela a compra e compra direto comigo", "off_platform"),
    ("no abras un reclamo, lo arreglamos por fuera", "off_platform"),
    ("hablemos por WhatsApp mejor", "off_platform"),
])
def test_violations_are_blocked_with_their_kind(text: str, kind: str) -> None:
    verdict = check_outgoing(text)
    assert not verdict.allowed and verdict.kind == kind, verdict


@pytest.mark.parametrize("text", [
    "Você vai receber um e-mail do Mercado Livre com a nota fiscal.",
    "O número do pedido é 2000001234.",
    "Seu pedido 2000010000000101 foi enviado, código de rastreio BR123456789BR.",
    "Envío N° 41234567890, llega el 02/12/2026 entre las 9:00 y las 18:00.",
    "O valor foi R$ 1.299,90 em 10x de R$ 129,99 sem juros.",
    "Chave de acesso da NF-e: 3524 1112 3456 7800 0199 5500 1000 0012 3410 0001 2345",
    "Por segurança, nunca pedimos seus dados pessoais por aqui.",
    "No necesitamos tu número, seguimos por acá.",
    "Confira o endereço de entrega em Minhas Compras no Mercado Livre.",
    "A capa serve no celular Samsung A15, modelo SM-A155M.",
    "Se preferir, abra uma reclamação pelo Mercado Livre que a gente acompanha.",
    "Me manda uma foto da etiqueta por aqui mesmo, por favor.",
    "Qual o número do pedido?",
    "Acesse www.mercadolivre.com.br/minhas-compras para ver o rastreio.",
    "Obrigado.Com certeza vamos resolver.",
    "Vou conversar com a transportadora e te aviso por aqui.",
])
def test_innocent_messages_are_allowed(text: str) -> None:
    verdict = check_outgoing(text)
    assert verdict.allowed, (verdict.kind, verdict.excerpt(text))


def test_span_points_at_the_offending_words_in_the_original_text() -> None:
    text = "Olá! Tudo certo com a entrega. Se precisar, me chama no WhatsApp: (11) 98765-4321."
    verdict = check_outgoing(text)
    assert verdict.excerpt(text) == "(11) 98765-4321"
    accented = "Ótimo, então me passa seu endereço?"
    verdict = check_outgoing(accented)
    assert verdict.kind == "request_address" and verdict.excerpt(accented).endswith("endereço")


def test_invisible_and_full_width_characters_do_not_hide_anything() -> None:
    assert fold("What\u200bs\u00adApp")[0] == "whatsapp"
    assert check_outgoing("me chama no what\u200bsapp").kind == "off_platform"
    assert check_outgoing("meu zap: １１ ９８７６５-４３２１").kind == "share_contact"


def test_empty_text_is_allowed() -> None:
    assert check_outgoing("").allowed and check_outgoing("   ").allowed
