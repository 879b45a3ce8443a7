"""Every code an agent or a lead sees, in words, in Portuguese and Spanish.

The inbox and the dashboard show `complaint_not_received` as "Não recebeu o produto" / "No
recibió el producto", `paid` as "Pago" / "Pagado", and keep the code on hover for support
engineers. One vocabulary for both pages (served as JSON with them); tests/unit/test_labels.py
checks it covers every handoff reason of the catalogue, every guard kind, every data-request
field and reason, so a new code without words fails there rather than showing up raw.
A code with a variable tail (`payment_rejected`, `unknown_order_status:x`) is looked up by prefix.
"""

from __future__ import annotations

from typing import Any

Words = dict[str, tuple[str, str]]  # code -> (pt, es)

REASONS: Words = {
    "complaint_not_received": ("Não recebeu o produto", "No recibió el producto"),
    "complaint_damaged": ("Produto com defeito ou danificado", "Producto dañado o con defecto"),
    "complaint_not_as_described": ("Diferente do anunciado", "Distinto a lo publicado"),
    "complaint_no_refund": ("Cancelado ou devolvido sem reembolso", "Cancelado o devuelto sin reembolso"),
    "complaint_warranty": ("Garantia", "Garantía"),
    "request_human": ("Pediu para falar com uma pessoa", "Pidió hablar con una persona"),
    "low_confidence": ("O bot não entendeu", "El bot no entendió"),
    "backend_error": ("Erro ao consultar o Mercado Livre", "Error al consultar Mercado Libre"),
    "invoice_missing": ("Nota fiscal não emitida", "Factura no emitida"),
    "late_delivery": ("Entrega atrasada", "Entrega demorada"),
    "not_delivered": ("Envio não entregue", "Envío no entregado"),
    "cancelled_without_refund": ("Cancelado sem reembolso", "Cancelado sin reembolso"),
    "open_claim": ("Reclamação aberta", "Reclamo abierto"),
    "mediation": ("Mediação", "Mediación"),
    "blocked_conversation": ("Conversa bloqueada", "Conversación bloqueada"),
    "blocked_outgoing_text": ("Resposta do bot barrada", "Respuesta del bot bloqueada"),
    "moderated_reply": ("Resposta moderada pelo Mercado Livre", "Respuesta moderada por Mercado Libre"),
    "help_to_agents": ("Dúvida encaminhada à equipe", "Consulta derivada al equipo"),
    "payment_": ("Problema no pagamento", "Problema con el pago"),
    "unknown_order_status:": ("Status do pedido desconhecido", "Estado del pedido desconocido"),
}
INTERACTION: Words = {"Help": ("Ajuda", "Ayuda"), "Complaint": ("Reclamação", "Reclamo")}
TICKET_STATUS: Words = {
    "open": ("Aberto", "Abierto"), "assigned": ("Em atendimento", "En atención"), "resolved": ("Resolvido", "Resuelto"),
}
ORDER_STATUS: Words = {
    "confirmed": ("Confirmado", "Confirmado"), "payment_required": ("Aguardando pagamento", "Pago pendiente"),
    "payment_in_process": ("Pagamento em análise", "Pago en proceso"),
    "partially_paid": ("Pago em parte", "Pagado en parte"), "paid": ("Pago", "Pagado"),
    "partially_refunded": ("Reembolsado em parte", "Reembolsado en parte"),
    "pending_cancel": ("Cancelamento pendente", "Cancelación pendiente"), "cancelled": ("Cancelado", "Cancelado"),
}
PAYMENT: Words = {
    "approved": ("aprovado", "aprobado"), "pending": ("pendente", "pendiente"),
    "in_process": ("em análise", "en proceso"),
    "rejected": ("recusado", "rechazado"), "refunded": ("reembolsado", "reembolsado"),
    "cancelled": ("cancelado", "cancelado"), "in_mediation": ("em mediação", "en mediación"),
    "charged_back": ("estornado", "contracargo"),
    "credit_card": ("cartão de crédito", "tarjeta de crédito"), "debit_card": ("cartão de débito", "tarjeta de débito"),
    "ticket": ("boleto", "pago en efectivo"), "account_money": ("saldo Mercado Pago", "dinero en Mercado Pago"),
    "bank_transfer": ("transferência / Pix", "transferencia"), "pix": ("Pix", "Pix"),
    "bolbradesco": ("boleto", "boleto"), "visa": ("Visa", "Visa"), "master": ("Mastercard", "Mastercard"),
    "amex": ("American Express", "American Express"), "elo": ("Elo", "Elo"), "hipercard": ("Hipercard", "Hipercard"),
    "oxxo": ("OXXO", "OXXO"), "debmaster": ("Mastercard débito", "Mastercard débito"),
    "installments": ("{n}x", "{n} cuotas"),
}
CLAIM: Words = {
    "claim": ("Reclamação", "Reclamo"),
    "dispute": ("Mediação (Mercado Livre decide)", "Mediación (decide Mercado Libre)"),
    "recontact": ("Novo contato", "Recontacto"), "stale": ("Parada", "Inactivo"), "none": ("—", "—"),
    "opened": ("Aberta", "Abierto"), "closed": ("Encerrada", "Cerrado"),
    "affected": ("Afeta a reputação", "Afecta la reputación"),
    "not_affected": ("Não afeta a reputação", "No afecta la reputación"),
    "not_applies": ("Reputação não se aplica", "La reputación no aplica"),
    "complainant": ("Comprador", "Comprador"), "respondent": ("Vendedor", "Vendedor"),
    "mediator": ("Mediador do Mercado Livre", "Mediador de Mercado Libre"), "seller": ("Vendedor", "Vendedor"),
    "buyer": ("Comprador", "Comprador"),
    "refund": ("Reembolsar", "Reembolsar"), "allow_partial_refund": ("Reembolso parcial", "Reembolso parcial"),
    "allow_return": ("Aceitar devolução", "Aceptar devolución"),
    "allow_return_label": ("Gerar etiqueta de devolução", "Generar etiqueta de devolución"),
    "return_review": ("Revisar devolução", "Revisar devolución"), "open_dispute": ("Pedir mediação", "Pedir mediación"),
    "send_message_to_complainant": ("Responder ao comprador", "Responder al comprador"),
    "send_message_to_mediator": ("Responder ao mediador", "Responder al mediador"),
    "send_attachments": ("Enviar provas", "Enviar pruebas"),
    "send_potential_shipping": ("Informar envio", "Informar envío"),
    "add_shipping_evidence": ("Provar o envio", "Probar el envío"),
    "send_tracking_number": ("Informar rastreio", "Informar seguimiento"),
    "payment_refunded": ("Reembolsado", "Reembolsado"), "partial_refunded": ("Reembolso parcial", "Reembolso parcial"),
    "item_returned": ("Produto devolvido", "Producto devuelto"),
    "respondent_timeout": ("Vendedor não respondeu a tempo", "El vendedor no respondió a tiempo"),
    "timeout": ("Prazo vencido", "Plazo vencido"), "worked_out_with_seller": ("Resolvido com o vendedor",
                                                                              "Resuelto con el vendedor"),
    "opened_claim_by_mistake": ("Aberta por engano", "Abierto por error"),
    "prefered_to_keep_product": ("Comprador ficou com o produto", "El comprador se quedó con el producto"),
    "seller_sent_product": ("Vendedor enviou o produto", "El vendedor envió el producto"),
    "coverage_decision": ("Decisão de cobertura", "Decisión de cobertura"), "item_changed": ("Produto trocado",
                                                                                            "Producto cambiado"),
    "damaged_product": ("Produto danificado", "Producto dañado"), "repentant_buyer": ("Comprador se arrependeu",
                                                                                      "El comprador se arrepintió"),
    "not_received": ("Não recebido", "No recibido"),
    "past_due": ("Prazo vencido", "Plazo vencido"), "due_soon": ("Prazo acabando", "Plazo por vencer"),
    "incentive": ("48 h sem impacto na reputação", "48 h sin impacto en la reputación"),
    "shipped": ("A caminho", "En camino"), "delivered": ("Entregue", "Entregado"), "pending": ("Pendente", "Pendiente"),
    "label_generated": ("Etiqueta gerada", "Etiqueta generada"), "cancelled": ("Cancelada", "Cancelada"),
}
DATA_REQUESTS: Words = {
    "name": ("nome", "nombre"), "email": ("e-mail", "correo"), "phone": ("telefone", "teléfono"),
    "document": ("documento (CPF/DNI)", "documento"), "order_number": ("número do pedido", "número de pedido"),
    "marketplace_forbids_data_requests": ("o Mercado Livre proíbe pedir dados", "Mercado Libre prohíbe pedir datos"),
    "generative_assistant": ("assistente com IA não pede dados", "el asistente con IA no pide datos"),
    "personal_data": ("dado pessoal", "dato personal"),
}
GUARD: Words = {
    "request_phone": ("pedido de telefone", "pedido de teléfono"), "request_email": ("pedido de e-mail",
                                                                                   "pedido de correo"),
    "request_address": ("pedido de endereço", "pedido de dirección"), "request_document": ("pedido de documento",
                                                                                        "pedido de documento"),
    "request_social": ("pedido de rede social", "pedido de red social"),
    "request_bank": ("pedido de dados bancários", "pedido de datos bancarios"),
    "share_contact": ("contato fora do Mercado Livre", "contacto fuera de Mercado Libre"),
    "external_link": ("link externo", "enlace externo"),
    "off_platform": ("negociação por fora", "negociación por fuera"),
}
AUDIT: Words = {
    "take": ("assumiu", "tomó"), "reassign": ("repassou", "reasignó"), "reply": ("respondeu", "respondió"),
    "resolve": ("resolveu", "resolvió"), "reopen": ("reabriu", "reabrió"), "review": ("enviou para revisão",
                                                                                   "envió a revisión"),
    "claim_reply": ("respondeu na reclamação", "respondió en el reclamo"),
    "claim_dispute": ("reclamação foi para mediação", "el reclamo pasó a mediación"),
    "claim_closed": ("reclamação encerrada", "reclamo cerrado"),
    "blocked_by_guard": ("resposta barrada pelo filtro", "respuesta bloqueada por el filtro"),
}
SUBSTATUS: Words = {
    "blocked_by_mediation": ("bloqueada pela mediação", "bloqueada por la mediación"),
    "blocked_by_time": ("bloqueada: 30 dias sem mensagens", "bloqueada: 30 días sin mensajes"),
    "blocked_by_buyer": ("o comprador bloqueou", "el comprador bloqueó"),
    "blocked_by_fulfillment": ("Full: abre quando entregar", "Full: se abre al entregar"),
    "blocked_by_payment": ("aguardando pagamento", "esperando el pago"),
    "blocked_by_cancelled_order": ("pedido cancelado", "pedido cancelado"),
    "blocked_by_refund": ("reembolso feito", "reembolso hecho"),
    "blocked_by_claim_change_open": ("troca em andamento", "cambio en curso"),
}
INTENTS: Words = {
    "order_status": ("Status do pedido", "Estado del pedido"),
    "delivery_time": ("Prazo de entrega", "Plazo de entrega"),
    "invoice_request": ("Nota fiscal", "Factura"), "return_or_exchange": ("Troca ou devolução", "Cambio o devolución"),
    "payment_question": ("Pagamento", "Pago"), "shipping_question": ("Envio", "Envío"),
    "greet": ("Saudação", "Saludo"), "thanks": ("Agradecimento", "Agradecimiento"),
    "goodbye": ("Despedida", "Despedida"),
    "affirm": ("Sim", "Sí"), "deny": ("Não", "No"), "out_of_scope": ("Fora do assunto", "Fuera de tema"),
    "bot_challenge": ("É um robô?", "¿Es un bot?"), "inform": ("Número do pedido", "Número de pedido"),
    "nlu_fallback": ("Não entendeu", "No entendió"),
    **{code: words for code, words in REASONS.items() if code.startswith(("complaint_", "request_human"))},
}
VOCABULARIES: dict[str, Words] = {
    "reason": REASONS, "interaction": INTERACTION, "ticket_status": TICKET_STATUS, "order_status": ORDER_STATUS,
    "payment": PAYMENT, "claim": CLAIM, "data_request": DATA_REQUESTS, "guard": GUARD, "audit": AUDIT,
    "substatus": SUBSTATUS, "intent": INTENTS,
}
LANGS = ("pt", "es")


def word(vocabulary: str, code: Any, lang: str) -> str:
    """The code in words (exact, else by prefix), or the code itself when it has none."""
    words = VOCABULARIES[vocabulary]
    index = LANGS.index(lang) if lang in LANGS else 0
    text = str(code)
    found = words.get(text) or next((w for prefix, w in words.items() if prefix.endswith(("_", ":"))
                                     and text.startswith(prefix)), None)
    return found[index] if found else text


def as_json(lang: str) -> dict[str, dict[str, str]]:
    """One language's vocabulary, as the pages load it."""
    index = LANGS.index(lang) if lang in LANGS else 0
    return {name: {code: pair[index] for code, pair in words.items()} for name, words in VOCABULARIES.items()}
