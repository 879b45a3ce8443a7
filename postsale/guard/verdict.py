"""The verdict on one outgoing text: may it be sent, and if not, which rule it breaks and where.

Every bot message and every agent reply goes through `check_outgoing`; the sections are asked
in a fixed order (contact data, links, requests, off-platform phrases) and the first hit is the
verdict, with its span in the text as written so the inbox can show the agent the exact words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from postsale.guard.contact import find_contact_data
from postsale.guard.links import find_links
from postsale.guard.off_platform import find_off_platform
from postsale.guard.requests import find_requests
from postsale.text import fold_with_origin

KINDS = (
    "request_phone", "request_email", "request_address", "request_document", "request_social",
    "request_bank", "share_contact", "external_link", "off_platform",
)


@dataclass(frozen=True)
class Verdict:
    """`span` is (start, end) in the text given to `check_outgoing`, None when allowed."""

    allowed: bool
    kind: str | None = None
    span: tuple[int, int] | None = None

    def excerpt(self, text: str) -> str:
        return text[self.span[0]:self.span[1]] if self.span else ""


ALLOWED = Verdict(True)
# Shown to agents when their reply is refused (the inbox is in Portuguese).
EXPLANATIONS = {
    "request_phone": "pede o telefone/WhatsApp do comprador",
    "request_email": "pede o e-mail do comprador",
    "request_address": "pede o endereço ou a localização do comprador",
    "request_document": "pede um documento do comprador (CPF, DNI, RG...)",
    "request_social": "pede uma rede social do comprador",
    "request_bank": "pede dados bancários, Pix, cartão ou senha do comprador",
    "share_contact": "contém telefone, e-mail, perfil ou endereço de contato",
    "external_link": "contém um link fora do Mercado Livre",
    "off_platform": "leva a conversa, o pagamento ou a reclamação para fora do Mercado Livre",
}


def check_outgoing(text: str) -> Verdict:
    """Whether `text` may be sent to a buyer; when not, which rule it breaks and where."""
    if not text or not text.strip():
        return ALLOWED
    t, origin = fold_with_origin(text)
    for detector in (find_contact_data, find_links):
        for kind, start, end in detector(t, text, origin):
            if kind:
                return _verdict(kind, start, end, origin)
    for kind, start, end in find_requests(t):
        return _verdict(kind, start, end, origin)
    for kind, start, end in find_off_platform(t):
        return _verdict(kind, start, end, origin)
    return ALLOWED


def _verdict(kind: str, start: int, end: int, origin: Sequence[int]) -> Verdict:
    if not origin:
        return Verdict(False, kind, None)
    end = max(end, start + 1)
    return Verdict(False, kind, (origin[start], origin[min(end, len(origin)) - 1] + 1))
