"""Which configured "data requests" may be asked before a handoff — the marketplace rule.

Sellers configure fields they would like collected before a person takes over (name, email,
phone, document, order number...). Mercado Libre forbids asking buyers for personal data and
penalises the store, and when a generative assistant serves, the data-request configuration is
ignored on transfer. The decision table (docs/design.md, tested row by row):

| channel        | assistant    | personal field          | non-personal field             |
|----------------|--------------|-------------------------|--------------------------------|
| mercadolibre   | any          | stripped: marketplace   | stripped: marketplace          |
| other          | generative   | stripped: generative    | stripped: generative           |
| other          | rule_based   | stripped: personal_data | may be asked                   |
"""

from __future__ import annotations

from dataclasses import dataclass, field

from postsale import conversation_id

PERSONAL_FIELDS = {
    "name", "full_name", "email", "phone", "whatsapp", "document", "cpf", "cnpj", "dni", "rut", "rfc",
    "curp", "address", "zip_code", "birth_date", "social", "bank_account", "pix_key",
}
MARKETPLACE_CHANNELS = {conversation_id.CHANNEL}


@dataclass
class DataRequestDecision:
    ask: list[str] = field(default_factory=list)
    stripped: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"askable": self.ask, "stripped": self.stripped}


def decide(channel: str | None, assistant_kind: str | None, requests: list[str] | None) -> DataRequestDecision:
    decision = DataRequestDecision()
    for name in requests or []:
        key = str(name).strip().lower()
        if (channel or "") in MARKETPLACE_CHANNELS:
            decision.stripped.append({"field": key, "reason": "marketplace_forbids_data_requests"})
        elif (assistant_kind or "rule_based") == "generative":
            decision.stripped.append({"field": key, "reason": "generative_assistant"})
        elif key in PERSONAL_FIELDS:
            decision.stripped.append({"field": key, "reason": "personal_data"})
        else:
            decision.ask.append(key)
    return decision
