"""The names of a buyer's personal data, and when such a name really means the buyer's data.

"Numero" is a phone in "me passa seu numero" but not in "numero do pedido", "celular" is
the product in "capa para celular", "senha" is the router's in "a senha padrao do wifi".
A request is only a request when what is asked for is the buyer's data; this is that test.
"""

from __future__ import annotations

import re

from postsale.guard import lexicon as lx
from postsale.guard.patterns import BEFORE_NOT_PHONE, compile_folded

NOUNS: list[tuple[str, re.Pattern[str]]] = [
    ("request_phone", compile_folded(
        rf"\b(?:{lx.MESSENGERS}|{lx.PHONE_WORDS}|{lx.NUMBER_WORD}(?:\s+(?:de|do|da|para|pra|pro)\s+"
        rf"{lx.CONTACT_MEANS})?|contato|contacto|contact(?:\s+(?:number|info|details))?|linea)\b")),
    ("request_email", compile_folded(rf"\b{lx.EMAIL_WORDS}\b")),
    ("request_address", compile_folded(rf"\b{lx.ADDRESS_WORDS}\b")),
    ("request_document", compile_folded(rf"\b{lx.DOCUMENT_WORDS}(?![\w])")),
    ("request_social", compile_folded(rf"\b{lx.SOCIAL_ACCOUNT}\b|(?<=\s)@(?=\s|$|[?.!,])|"
                                      rf"\b(?:perfil|profile)\s+(?:n[oa]s?|d[oa]s?|de|en|on|in)\s+"
                                      rf"(?:{lx.SOCIAL}|redes)\b")),
    ("request_bank", compile_folded(rf"\b{lx.BANK_WORDS}\b")),
]
NUMBER_EXCLUDED = compile_folded(
    rf"^\s*(?:d[oae]s?|de|del|de\s+la|da|of|on|for)\s+(?:(?:seu|sua|teu|tua|tu|su|your|the|meu|mi|my|esse|este|"
    rf"essa|esta|la|el|o|a)\s+)?{lx.NOT_PHONE_NUMBER}\b"
)
CALL_AFTER = compile_folded(rf"^\s*(?:(?:pra|para|p/|pa|to|que|q|onde|donde|where)\s+)?(?:\w+\s+){{0,3}}?"
                            rf"{lx.CALL_VERBS}\b")
PRODUCT_PHONE = compile_folded(
    rf"\b{lx.PHONE_ACCESSORIES}\s+(?:(?:de|do|da|del|para|pra|pro|for|of|your|seu|"
    rf"sua|tu|su)\s+){{0,2}}$")


def is_data_noun(kind: str, clause: str, n: re.Match[str], social_text: bool = False) -> bool:
    """Whether the noun `n` of `kind` in `clause` names the buyer's data; `social_text`: the text names a network."""
    word = n.group()
    after = clause[n.end():n.end() + 40]
    before = clause[max(0, n.start() - 40):n.start()]
    your = re.search(rf"\b(?:{lx.YOUR})\s*$", before) is not None or re.match(
        r"\s+(?:seu|sua|tuyo|tuya|suyo|suya|yours|de\s+voce|de\s+vc|de\s+usted)\b", after) is not None
    if kind == "request_phone":
        first = word.split()[0]
        if re.fullmatch(lx.NUMBER_WORD, first) and " " not in word:
            # bare "numero": "seu numero", "o numero pra te ligar"; never "numero do pedido"
            if NUMBER_EXCLUDED.match(after) or BEFORE_NOT_PHONE.search(before):
                return False
            interrogative = re.search(r"\b(?:qual|cual|que|what|which|melhor|mejor|best|outro|otro)\s+(?:(?:o|a|el|la|"
                                      r"seu|sua|tu|su|your)\s+)?$", before)
            if not (your or interrogative or CALL_AFTER.match(after)):
                return False
        if first.startswith("contat") or first.startswith("contact"):
            if re.search(rf"\b{lx.OUR_CONTACT_BEFORE}\s*$", before):
                return False
            if not (your or re.search(r"\b(?:algum|alguma|outro|otro|forma\s+de|meio\s+de|medio\s+de|um|un|una|a)\s*$",
                                      before)):
                return False
        if re.fullmatch(lx.PHONE_WORDS, word) or word in lx.SHORT_PHONE_WORDS:
            if PRODUCT_PHONE.search(before) or re.match(rf"\s*{lx.PHONE_AS_PRODUCT}\b", after):
                return False
        if re.fullmatch(lx.MESSENGERS, word) and re.match(r"\s*(?:web|business)\b", after) is None and re.search(
                r"\b(?:notifica\w*|notification\w*|alerta\w*|mensagens\s+d[oe]|mensajes\s+de|messages?\s+from)\s+"
                r"(?:d[oe]l?\s+|from\s+)?$", before):
            return False  # "notificacoes do WhatsApp" on a smartwatch
    if kind == "request_email" and re.match(
            r"\s*(?:d[oa]|de|del|from)\s+(?:mercado|ml|meli|confirmac|confirmacao|notific)", after):
        return False
    if kind == "request_bank":
        if word == "alias" and not re.search(rf"\b{lx.BANK_ALIAS_CONTEXT}", clause):
            return False
        if word in ("paypal",) or word.startswith("mercado"):
            return your or bool(re.search(r"\b(?:cuenta|conta|account|email|mail|correo|alias)\s+(?:de\s+|d[oe]\s+)?$",
                                          before))
        if word in lx.CARD_WORDS and not re.search(rf"\b{lx.CARD_DETAILS}", clause):
            return False
        if word in lx.SECRET_WORDS and re.search(rf"\b{lx.DEVICE_SECRET_CONTEXT}", clause):
            return False
    if kind == "request_social" and word in lx.AMBIGUOUS_SOCIAL and not (
            your or re.match(r"\s*\?", after) or re.search(rf"\b(?:{lx.HAVE_Q}|no|na|en|on|de|do)\s*$", before)):
        return False
    if kind == "request_document" and word in lx.AMBIGUOUS_DOCUMENTS and not your and not \
            re.search(r"\b(?:o|el|la|a|do|da|de|your|numero|number|foto|copia|copy)\s*$", before):
        return False
    if word in lx.ACCOUNT_WORDS and not social_text:
        return False
    if word.split()[0] in lx.WEAK_NOUNS:
        return your or bool(re.search(r"\b(?:qual|quais|cual|cuales|que|q|what|which)\s+(?:(?:e|es|is)\s+)?"
                                      r"(?:(?:o|a|el|la|seu|sua|tu|su|your)\s+)?$", before))
    return True

