"""Invoice copy: only what is really attached to the pack.

The marketplace forbids telling the buyer an invoice was uploaded unless it was; a missing one
is said plainly and passed to the store's team, who must issue it.
"""

from __future__ import annotations

from actions.answers import phrases
from actions.answers.answer import HELP, Answer, HandoffRequest
from meli import MeliClient, MeliNotFound
from postsale.order import OrderContext


async def answer_invoice(client: MeliClient, ctx: OrderContext, lang: str) -> Answer:
    answer = Answer()
    try:
        body = await client.get_fiscal_documents(ctx.ref)  # order id stands in for a missing pack
        documents = body.get("fiscal_documents") or []
    except MeliNotFound:
        documents = []
    if documents:
        latest = max(documents, key=lambda d: d.get("date") or "")
        return answer.say("utter_invoice_available", invoice_date=phrases.date(latest.get("date")) or "-")
    answer.say("utter_invoice_missing")
    answer.handoff = HandoffRequest("invoice_missing", HELP)
    return answer
