"""Order status in plain words: the order's own state, then its shipment's."""

from __future__ import annotations

from actions.answers import phrases
from actions.answers.answer import COMPLAINT, HELP, Answer, HandoffRequest
from actions.answers.shipment import is_late
from meli import MeliClient, MeliNotFound
from postsale.order import OrderContext

UNPAID = {"payment_required", "payment_in_process", "partially_paid", "pending"}
KNOWN = UNPAID | {"paid", "confirmed", "cancelled"}


def refunded_in_full(ctx: OrderContext) -> bool:
    """Every payment refunded, by status or by amount (partial refunds do not count)."""
    if not ctx.payments:
        return False
    if all(p.get("status") == "refunded" for p in ctx.payments):
        return True
    paid = sum(float(p.get("transaction_amount") or 0) for p in ctx.payments)
    refunded = sum(float(p.get("transaction_amount_refunded") or 0) for p in ctx.payments)
    return paid > 0 and refunded >= paid - 0.01


async def answer_order_status(client: MeliClient, ctx: OrderContext, lang: str) -> Answer:
    answer = Answer()
    status = ctx.main.get("status")
    ref = {"order_ref": ctx.ref, "items": ctx.titles}
    if status == "cancelled":
        refunded = refunded_in_full(ctx)
        text = f"{phrases.word('cancelled', lang)}; " + phrases.word(
            "refunded" if refunded else "not_refunded", lang
        )
        answer.say("utter_order_status", status_text=text, **ref)
        if not refunded:
            answer.handoff = HandoffRequest("cancelled_without_refund", COMPLAINT)
        return answer
    if status in UNPAID:
        return answer.say("utter_order_status", status_text=phrases.word("awaiting_payment", lang), **ref)
    if status not in KNOWN:
        answer.say("utter_order_status", status_text=phrases.word("unknown", lang), **ref)
        answer.handoff = HandoffRequest(f"unknown_order_status:{status}", HELP)
        return answer
    if not ctx.shipment_id:
        return answer.say("utter_order_status", status_text=phrases.word("paid_no_shipment", lang), **ref)
    shipment = await client.get_shipment(ctx.shipment_id)
    text = phrases.shipment_status(shipment.get("status"), shipment.get("substatus"), lang)
    if shipment.get("status") == "not_delivered":
        answer.say("utter_order_status", status_text=text, **ref)
        answer.handoff = HandoffRequest("not_delivered", COMPLAINT)
        return answer
    try:
        lead_time = await client.get_lead_time(ctx.shipment_id)
    except MeliNotFound:
        lead_time = shipment.get("lead_time") or {}
    if is_late(shipment, lead_time):
        answer.say("utter_order_status", status_text=f"{text}; {phrases.word('late', lang)}", **ref)
        answer.handoff = HandoffRequest("late_delivery", COMPLAINT)
        return answer
    return answer.say("utter_order_status", status_text=text, **ref)
