"""Payment answers from the orders' payments: status, method, installments, refunds."""

from __future__ import annotations

from actions.answers import phrases
from actions.answers.answer import COMPLAINT, Answer, HandoffRequest
from meli import MeliClient
from postsale.order import OrderContext


async def answer_payment(client: MeliClient, ctx: OrderContext, lang: str) -> Answer:
    answer = Answer()
    for payment in ctx.payments:
        currency = payment.get("currency_id") or ctx.currency
        answer.say(
            "utter_payment_status",
            amount=phrases.money(payment.get("transaction_amount"), currency),
            payment_status_text=phrases.payment_status(payment.get("status"), lang),
            method=phrases.payment_method(
                payment.get("payment_type"), payment.get("payment_method_id"), lang
            ),
            installments=payment.get("installments") or 1,
        )
        refunded = float(payment.get("transaction_amount_refunded") or 0)
        if refunded > 0:
            answer.say("utter_payment_refund", refunded=phrases.money(refunded, currency))
        if payment.get("status") in ("charged_back", "in_mediation"):
            answer.handoff = HandoffRequest(f"payment_{payment.get('status')}", COMPLAINT)
    if not ctx.payments:
        answer.say("utter_order_status", order_ref=ctx.ref, items=ctx.titles,
                   status_text=phrases.word("awaiting_payment", lang))
    return answer
