"""Plain-word renderings of Mercado Libre API values in the buyer's language.

Domain responses hold the sentences; this module turns enum values (order, shipment, payment
and return statuses), dates and amounts into the words those sentences are filled with.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from postsale import dates

Lang = str

_SHIPMENT: dict[str, dict[Lang, str]] = {
    "pending": {"pt": "pagamento em processamento, o envio ainda não foi gerado",
                "es": "el pago se está procesando, el envío todavía no se generó"},
    "handling": {"pt": "pagamento aprovado, o pedido está em preparação",
                 "es": "pago aprobado, la compra está en preparación"},
    "ready_to_ship": {"pt": "pronto para envio, aguardando a coleta da transportadora",
                      "es": "listo para despachar, esperando que lo retire el transportista"},
    "shipped": {"pt": "a caminho", "es": "en camino"},
    "delivered": {"pt": "entregue", "es": "entregado"},
    "not_delivered": {"pt": "não foi entregue", "es": "no fue entregado"},
    "cancelled": {"pt": "envio cancelado", "es": "envío cancelado"},
    "to_be_agreed": {"pt": "envio a combinar com a loja", "es": "envío a acordar con la tienda"},
}
_SUBSTATUS: dict[str, dict[Lang, str]] = {
    "in_transit": {"pt": "em trânsito", "es": "en tránsito"},
    "picked_up": {"pt": "coletado pela transportadora", "es": "retirado por el transportista"},
    "out_for_delivery": {"pt": "saiu para entrega", "es": "salió a reparto"},
    "soon_deliver": {"pt": "chega em breve", "es": "llega pronto"},
    "delayed": {"pt": "com atraso", "es": "demorado"},
    "waiting_for_withdrawal": {"pt": "aguardando retirada na agência", "es": "esperando retiro en sucursal"},
    "receiver_absent": {"pt": "destinatário ausente na tentativa de entrega",
                        "es": "no había nadie en el intento de entrega"},
    "returning_to_sender": {"pt": "voltando para o remetente", "es": "volviendo al remitente"},
    "lost": {"pt": "extraviado", "es": "extraviado"},
    "stolen": {"pt": "roubado", "es": "robado"},
    "damaged": {"pt": "danificado", "es": "dañado"},
    "returned": {"pt": "devolvido ao remetente", "es": "devuelto al remitente"},
    "invoice_pending": {"pt": "aguardando nota fiscal", "es": "esperando la factura"},
    "ready_to_print": {"pt": "etiqueta gerada", "es": "etiqueta generada"},
    "printed": {"pt": "etiqueta impressa", "es": "etiqueta impresa"},
}
_PAYMENT: dict[str, dict[Lang, str]] = {
    "approved": {"pt": "aprovado", "es": "aprobado"},
    "pending": {"pt": "pendente, aguardando a confirmação do pagamento",
                "es": "pendiente, esperando la acreditación del pago"},
    "in_process": {"pt": "em análise", "es": "en revisión"},
    "in_mediation": {"pt": "em disputa", "es": "en disputa"},
    "rejected": {"pt": "recusado", "es": "rechazado"},
    "cancelled": {"pt": "cancelado", "es": "cancelado"},
    "refunded": {"pt": "estornado", "es": "devuelto"},
    "charged_back": {"pt": "contestado no cartão", "es": "desconocido en la tarjeta"},
}
_PAYMENT_TYPE: dict[str, dict[Lang, str]] = {
    "credit_card": {"pt": "cartão de crédito", "es": "tarjeta de crédito"},
    "debit_card": {"pt": "cartão de débito", "es": "tarjeta de débito"},
    "prepaid_card": {"pt": "cartão pré-pago", "es": "tarjeta prepaga"},
    "ticket": {"pt": "boleto", "es": "pago en efectivo"},
    "bank_transfer": {"pt": "Pix", "es": "transferencia"},
    "account_money": {"pt": "saldo do Mercado Pago", "es": "dinero en cuenta de Mercado Pago"},
    "digital_currency": {"pt": "Mercado Crédito", "es": "Mercado Crédito"},
    "atm": {"pt": "caixa eletrônico", "es": "cajero"},
}
_RETURN: dict[str, dict[Lang, str]] = {
    "pending": {"pt": "aguardando o envio do produto", "es": "esperando que envíes el producto"},
    "label_generated": {"pt": "etiqueta de devolução gerada, falta postar o produto",
                        "es": "etiqueta de devolución generada, falta despachar el producto"},
    "shipped": {"pt": "o produto está a caminho da loja", "es": "el producto está en camino a la tienda"},
    "delivered": {"pt": "a loja já recebeu o produto", "es": "la tienda ya recibió el producto"},
    "not_delivered": {"pt": "a devolução não chegou à loja", "es": "la devolución no llegó a la tienda"},
    "cancelled": {"pt": "devolução cancelada", "es": "devolución cancelada"},
    "closed": {"pt": "devolução finalizada", "es": "devolución finalizada"},
    "expired": {"pt": "prazo da devolução expirado", "es": "venció el plazo de la devolución"},
}
_LOGISTIC: dict[str, dict[Lang, str]] = {
    "fulfillment": {"pt": "Mercado Envios Full", "es": "Mercado Envíos Full"},
    "self_service": {"pt": "Mercado Envios Flex", "es": "Mercado Envíos Flex"},
    "cross_docking": {"pt": "Mercado Envios (coleta)", "es": "Mercado Envíos (colecta)"},
    "xd_drop_off": {"pt": "Mercado Envios (agência)", "es": "Mercado Envíos (agencia)"},
    "drop_off": {"pt": "Mercado Envios (agência)", "es": "Mercado Envíos (agencia)"},
    "custom": {"pt": "envio próprio da loja", "es": "envío propio de la tienda"},
}
_WORDS: dict[str, dict[Lang, str]] = {
    "awaiting_payment": {"pt": "aguardando pagamento", "es": "esperando el pago"},
    "cancelled": {"pt": "pedido cancelado", "es": "compra cancelada"},
    "refunded": {"pt": "o valor já foi estornado", "es": "el dinero ya fue devuelto"},
    "not_refunded": {"pt": "o estorno ainda não aparece no pagamento",
                     "es": "el reintegro todavía no figura en el pago"},
    "paid_no_shipment": {"pt": "pagamento aprovado, envio ainda não gerado",
                         "es": "pago aprobado, el envío todavía no se generó"},
    "unknown": {"pt": "em processamento", "es": "en proceso"},
    "delivered_on": {"pt": "entregue em", "es": "entregado el"},
    "late": {"pt": "o prazo máximo de entrega já passou", "es": "ya pasó el plazo máximo de entrega"},
    "free": {"pt": "grátis", "es": "gratis"},
    "unknown_carrier": {"pt": "não informada", "es": "no informado"},
    "return": {"pt": "devolução", "es": "devolución"},
    "change": {"pt": "troca", "es": "cambio"},
    "mercado_envios": {"pt": "Mercado Envios", "es": "Mercado Envíos"},
    "seller_shipping": {"pt": "envio pela loja", "es": "envío por la tienda"},
}

_SYMBOL = {"BRL": "R$", "ARS": "$", "MXN": "$", "COP": "$", "CLP": "$", "UYU": "$U", "PEN": "S/"}


def word(key: str, lang: Lang) -> str:
    return _WORDS[key][_lang(lang)]


def shipment_status(status: str | None, substatus: str | None, lang: Lang) -> str:
    base = _pick(_SHIPMENT, status, lang) or word("unknown", lang)
    detail = _pick(_SUBSTATUS, substatus, lang)
    return f"{base} ({detail})" if detail else base


def payment_status(status: str | None, lang: Lang) -> str:
    return _pick(_PAYMENT, status, lang) or (status or word("unknown", lang))


def payment_method(payment_type: str | None, method_id: str | None, lang: Lang) -> str:
    if method_id == "pix":
        return "Pix"
    label = _pick(_PAYMENT_TYPE, payment_type, lang) or (payment_type or "")
    if payment_type in ("credit_card", "debit_card") and method_id:
        return f"{label} {method_id.replace('_', ' ').title()}"
    return label


def return_status(status: str | None, lang: Lang) -> str:
    return _pick(_RETURN, status, lang) or (status or word("unknown", lang))


def logistic_mode(logistic: dict[str, Any], lang: Lang) -> str:
    label = _pick(_LOGISTIC, logistic.get("type"), lang)
    if label:
        return label
    mode = logistic.get("mode")
    if mode in ("me2", "me1"):
        return word("mercado_envios", lang) if mode == "me2" else word("seller_shipping", lang)
    return _pick(_LOGISTIC, mode, lang) or word("unknown", lang)


def date(value: str | None) -> str | None:
    """ISO-8601 from the API → dd/mm/aaaa, the format both locales read."""
    parsed = parse_datetime(value)
    return parsed.strftime("%d/%m/%Y") if parsed else None


def parse_datetime(value: str | None) -> datetime | None:
    return dates.parse(value)


def money(amount: Any, currency: str | None) -> str:
    """Amounts as the buyer's locale writes them (R$ 1.234,56 / $ 1.234,56 / $1,234.56 MXN)."""
    try:
        value = float(amount)
    except (TypeError, ValueError):
        return str(amount)
    symbol = _SYMBOL.get(currency or "", currency or "")
    if currency == "MXN":
        return f"{symbol}{value:,.2f}"
    text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{symbol} {text}"


def _lang(lang: Lang | None) -> Lang:
    return "es" if lang == "es" else "pt"


def _pick(table: dict[str, dict[Lang, str]], key: str | None, lang: Lang) -> str | None:
    entry = table.get(key or "")
    return entry[_lang(lang)] if entry else None
