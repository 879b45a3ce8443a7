"""Links outside Mercado Libre: URLs, bare domains, shorteners and sites spelled out.

Mercado Libre moderates links (`LINK_SHORT_URL`, social-network links) and a Mercado Pago
link outside the order is a payment off the order; links to Mercado Libre itself are fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from postsale.guard import lexicon as lx
from postsale.guard.contact import EMAIL
from postsale.guard.patterns import SPELLED_DOT, compile_folded

URL = compile_folded(r"\b(?:https?://|www\.)[^\s<>\"']+")
DOMAIN = compile_folded(rf"\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.{lx.TLDS}\b(?:/[^\s<>\"']*)?")
SPELLED_DOMAIN = compile_folded(
    rf"\b([a-z0-9\-]{{3,}})\s*{SPELLED_DOT}\s*{lx.SPELLED_TLDS}"
    rf"(?:{SPELLED_DOT}{lx.COUNTRY_TLDS})?\b"
)
SHORTENED = compile_folded(
    rf"\b{lx.SHORTENERS}\b|\blink\s+(?:na|en\s+la|in|da|de\s+la)\s+(?:bio|descricao|perfil|profile)\b")


def find_links(t: str, original: str, origin: Sequence[int]) -> Iterator[tuple[str | None, int, int]]:
    """Links in the folded text `t`; the kind is None for a Mercado Libre link (allowed)."""
    emails = [m.span() for m in EMAIL.finditer(t)]
    for m in SHORTENED.finditer(t):
        yield "external_link", m.start(), m.end()
    for m in URL.finditer(t):
        yield _link_kind(m.group()), m.start(), m.end()
    for m in DOMAIN.finditer(t):
        if any(s <= m.start() < e for s, e in emails):
            continue
        host = m.group().split("/", 1)[0]
        tld_start = m.start() + host.rfind(".") + 1
        if original[origin[tld_start]].isupper() and "/" not in m.group() and host.count(".") == 1:
            continue  # "obrigado.Com certeza": a missing space, not a domain
        if re.fullmatch(r"[a-z]\.[a-z]{2}", host):
            continue  # "e.g", "i.e"-like abbreviations
        kind = _link_kind(m.group())
        if kind:
            yield kind, m.start(), m.end()
    for m in SPELLED_DOMAIN.finditer(t):
        if m.group(1) in lx.NOT_SITE_NAMES or lx.OFFICIAL_DOMAINS.search(m.group(1) + "."):
            continue
        if not re.search(r"\s|\b(?:ponto|punto|dot)\b", m.group()):
            continue  # a plain "loja.com" is DOMAIN's to judge (it knows "Obrigado.Com certeza")
        after = t[m.end():m.end() + 14]
        if re.search(r"\bponto\s*com$", m.group()) and re.match(rf"\s+{lx.AFTER_COM}\b", after):
            continue  # "ponto com o motorista": Portuguese "com" (with), not ".com"
        yield "external_link", m.start(), m.end()


def _link_kind(url: str) -> str | None:
    host = re.sub(r"^(?:https?://)?", "", url).split("/", 1)[0]
    if re.search(r"(?:^|\.)mercadopago\.", host):
        return "off_platform"  # payment links outside the order (LINK_MERCADOPAGO)
    if lx.OFFICIAL_DOMAINS.search(host + "."):
        return None
    return "external_link"
