"""Phrases that move the conversation, the payment or a complaint off Mercado Libre.

A seller who says "me chama no zap", "faz um pix direto que sai mais barato" or "no abras un
reclamo, lo arreglamos por fuera" is moderated (`EVASION_CLAIM_SELLER`, `SOCIAL_NETWORK_LINK`)
even when no contact data is in the text. What someone else does ("o Mercado Livre te manda um
e-mail") and warnings about scams are not such a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from postsale.guard import lexicon as lx
from postsale.guard.clauses import WORD, negated, segment_start
from postsale.guard.patterns import THIRD_PARTY, WARNING, Hit, compile_folded

# (pattern, whether a negation before it makes it innocent)
OFF_PLATFORM: list[tuple[re.Pattern[str], bool]] = [
    (compile_folded(rf"\b{lx.CONTACT_VERB}\b(?:\s+[\w@']+){{0,4}}?\s+{lx.VIA}\s+(?:(?:o|a|el|la|my|our|meu|minha|nosso|"
                    rf"nossa|mi|nuestro|seu|sua|tu|su)\s+)?{lx.CHANNEL}\b"), True),
    (compile_folded(rf"\b(?:pelo|pela|por|via|no|na|en|on|over|through|pro|pra|al|to)\s+(?:o\s+|el\s+)?"
                    rf"(?:{lx.MESSENGERS}|direct|dm|inbox|privado|pv|pvt)\b"), True),
    (compile_folded(rf"\b{lx.CLITIC_VERB}\b(?:\s+(?:um|uma|un|una|an?|o|el|la|no|na|en|por|pelo|pela|al|on|at|via|ao|a|"
                    rf"meu|mi|my))*\s+(?:{lx.PERSONAL_CHANNEL}|msg|mensagem|mensaje|mensajito|audio|{lx.MESSENGERS}|"
                    rf"{lx.SOCIAL}|direct|dm|privado)\b|\b{lx.CLITIC_VERB}\s+(?:(?:no|al|at|to|on)\s+)?\+?\d"), True),
    (compile_folded(rf"\b{lx.CALL_ME}\b"), True),
    (compile_folded(lx.OFF_SITE), True),
    (compile_folded(rf"\b{lx.LETS}\s+(?:\w+\s+){{0,2}}?{lx.TALK_VERBS}"
                    rf"\s+(?:\w+\s+){{0,2}}?(?:por|pelo|pela|via|on|over|al|en|no|na|by)\s+(?:o\s+|el\s+|la\s+|the\s+)?"
                    rf"{lx.PERSONAL_CHANNEL}\b"), True),
    (compile_folded(rf"\b{lx.MINE}\s+{lx.OWN_CHANNEL}\b"), True),
    (compile_folded(rf"\b{lx.MINE}\s+{lx.OWN_PAYMENT}\b"), True),
    (compile_folded(rf"\b{lx.ALT_PAYMENT}\b"), True),
    (compile_folded(r"\b(?:transferencia|deposito|pix|pagamento|pago|payment|transfer)\s+(?:bancari[ao]\s+)?"
                    rf"{lx.DIRECT_TO_US}\b"), True),
    (compile_folded(rf"\b{lx.AVOID_PAYING}\s+(?:\w+\s+){{0,3}}{lx.FEES}\b"), False),
    (compile_folded(rf"\b{lx.PAY_VERB}\b(?:\s+\w+){{0,4}}?\s+{lx.CASH}\b"), True),
    (compile_folded(rf"\b{lx.PIX_VERBS}\s+(?:um\s+|o\s+|a\s+|uma\s+|no\s+|via\s+|por\s+|pelo\s+|com\s+)?pix\b"),
     True),
    (compile_folded(r"\bpix\s+(?:pra|para|pro)\s+(?:mim|nos|a\s+gente|minha|nossa|meu|nosso|esse|este|o\s+numero|"
                    r"a\s+chave|o\s+cnpj|o\s+cpf|o\s+email|o\s+e-mail|o\s+celular|o\s+telefone|\d)"), True),
    (compile_folded(r"\b(?:segue|anota|te\s+passo|te\s+mando|vou\s+te\s+passar|aqui\s+(?:esta|vai))\s+"
                    r"(?:a\s+|o\s+|minha\s+|nossa\s+)?(?:chave(?:\s+d[oe])?\s+pix|pix|dados\s+(?:bancarios|da\s+conta)|"
                    r"conta)\b|\bchave(?:\s+d[oe])?\s+pix\s*(?:e|eh|:|=)"), True),
    (compile_folded(rf"\b{lx.PAY_ME}\b"), True),
    (compile_folded(rf"\b(?:te|le|vos|lhe)\s+{lx.OFFER_VERBS}\s+(?:un|uma|um|el|o|otro|outro|novo|nuevo)?\s*"
                    r"(?:link|enlace|qr|boleto|cobro|cobranca)(?:\s+(?:de|do|para|pra)\s+(?:pago|pagamento|pagar|"
                    r"mercado\s*pago|pix|cobro))?\b"), True),
    (compile_folded(rf"\b{lx.BUY_VERB}\b(?:\s+[\w']+){{0,4}}?\s+{lx.OWN_STORE}\b(?!\s*(?:{lx.HERE}))"), True),
    (compile_folded(rf"\b{lx.CHEAPER}\b(?:\s+[\w']+){{0,6}}?\s+(?:{lx.OWN_STORE}|por\s+fora|por\s+fuera|no\s+pix|"
                    rf"via\s+pix|(?:por|con|com|via|en|no|pelo)\s+(?:transferencia|deposito|efectivo|dinheiro|pix|"
                    rf"whats\w*|zap|wpp)|outside|fora|fuera|site|web)\b"), True),
    (compile_folded(rf"\b(?:{lx.OWN_STORE}|por\s+fora|por\s+fuera|outside)\b(?:\s+[\w']+){{0,6}}?\s+{lx.CHEAPER}\b"),
     True),
    (compile_folded(rf"\b(?:cancela|cancele|cancelar|cancel|anula|desiste|desista)\b(?:\s+[\w']+){{0,4}}?\s+"
                    rf"(?:e|y|and|que|pra|para)\s+(?:\w+\s+){{0,2}}(?:{lx.BUY_VERB}|te\s+vendo|te\s+mando|"
                    rf"te\s+envio)\b"), True),
    (compile_folded(rf"\b(?:{lx.NEGATION}|no)\s+(?:\w+\s+){{0,3}}?{lx.OPEN_CLAIM}\s+(?:\w+\s+){{0,3}}?{lx.CLAIM}"),
     False),
    (compile_folded(rf"\b{lx.CLOSE_CLAIM}\s+(?:\w+\s+){{0,3}}?{lx.CLAIM}"), True),
    (compile_folded(r"\b(?:nos\s+segue|nos\s+siga|siga\s+(?:a\s+gente|nossa|nosso|a\s+loja)|segue\s+a\s+gente|sigam|"
                    r"siganos|siguenos|seguinos|follow\s+(?:us|me|our)|me\s+segue|me\s+sigue|seguime|"
                    r"(?:procura|procure|busca|busque|buscanos|search(?:\s+for)?|google)\s+(?:\w+\s+){0,3}"
                    r"(?:a\s+gente|nossa\s+loja|nosso\s+(?:nome|perfil)|nuestra\s+tienda|nuestro\s+(?:nombre|perfil)|"
                    r"our\s+(?:store|name|page)|us|(?:a|la)\s+(?:loja|tienda))\s+(?:no|na|en|on)\s+(?:\w+))\b"), True),
    (compile_folded(r"\b(?:te|lhe)\s+(?:ligar|ligo|llamar|llamo|telefonar|telefono)\b|\bllamarte\b|\bcall\s+you\b|"
                    r"\bligar\s+(?:pra|para)\s+(?:voce|vc|o\s+senhor|a\s+senhora)\b"), True),
    (compile_folded(r"\b(?:(?:me|nos)\s+(?:procura|procure|busca|busque|acha|ache|encontra|encontre)|buscanos|"
                    r"procuranos|search\s+us|find\s+us|look\s+us\s+up|encontranos)\s+(?:\w+\s+){0,2}(?:no|na|en|on)\s+"
                    r"(?:" + lx.SOCIAL + "|" + lx.MESSENGERS + r"|google)\b"), True),
    (compile_folded(rf"\b{lx.VISIT_VERBS}\s+(?:o\s+|a\s+|el\s+|la\s+)?(?:nosso|nossa|nuestro|nuestra|our|meu|minha|mi)"
                    rf"\s+{lx.OUR_PAGES}\b"), True),
    (compile_folded(r"\b(?:grupo|group|canal|channel|lista\s+de\s+transmissao|lista\s+de\s+difusion)\s+"
                    r"(?:d[oe]l?\s+|no\s+|en\s+|on\s+)?(?:whats\w*|zap|wpp|telegram)\b"), True),
]


def find_off_platform(t: str) -> Iterator[Hit]:
    """Off-platform phrases in the folded text `t`, unless negated, someone else's, or said to happen here."""
    for pattern, negatable in OFF_PLATFORM:
        for m in pattern.finditer(t):
            segment = segment_start(t, m.start())
            if negatable and negated(t, segment, m.start() + len(m.group().split()[0])):
                continue
            if THIRD_PARTY.search(" ".join(WORD.findall(t[segment:m.start()]))) or WARNING.search(t):
                continue  # "o Mercado Livre te manda um e-mail", "se alguem te chamar no whats, e golpe"
            if re.search(rf"^(?:\s+\w+){{0,6}}?\s*(?:{lx.HERE}|(?:no|na|pelo|pela|en|en\s+el|por|on|in)\s+"
                         rf"(?:carrinho\s+"
                         rf"d[oe]\s+|carrito\s+de\s+)?(?:mercado\s*li[bv]re|meli|ml)\b)", t[m.end():m.end() + 60]) \
                    and "pix" not in m.group():
                continue
            yield "off_platform", m.start(), m.end()
