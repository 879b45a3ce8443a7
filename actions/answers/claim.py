"""Exchange/return answers, from the order's claims and returns.

An open claim or mediation means Mercado Libre is already arbitrating: the bot must not argue
or promise anything, so it points to the open case and hands the conversation to a person.
"""

from __future__ import annotations

import asyncio
from typing import Any

from actions.answers import phrases
from actions.answers.answer import COMPLAINT, Answer, HandoffRequest
from meli import MeliClient, MeliNotFound
from postsale.claim import claim_summary
from postsale.order import OrderContext


async def claims_of(client: MeliClient, ctx: OrderContext) -> list[dict[str, Any]]:
    if ctx.pack_id:
        return await client.search_claims(pack_id=ctx.pack_id)
    return await client.search_claims(order_id=ctx.order_id)


async def _returns(client: MeliClient, claim_id: Any) -> dict[str, Any] | None:
    try:
        body = await client.get_returns(claim_id)
    except MeliNotFound:
        return None
    if isinstance(body, list):
        return body[0] if body else None
    return body


async def answer_return_or_exchange(client: MeliClient, ctx: OrderContext, lang: str) -> Answer:
    answer = Answer()
    open_claims = [c for c in await claims_of(client, ctx) if c.get("status") == "opened"]
    returns = await asyncio.gather(*(_returns(client, c.get("id")) for c in open_claims))
    in_progress = next((r for r in returns if r), None)
    if in_progress:
        return answer.say("utter_return_in_progress",
                          return_status_text=phrases.return_status(in_progress.get("status"), lang))
    if open_claims:
        answer.say("utter_handoff_case_open")
        answer.handoff = HandoffRequest("open_claim", COMPLAINT, claim=claim_summary(open_claims[0]))
        return answer
    request = ctx.main.get("order_request") or {}
    kind = "change" if request.get("change") else "return" if request.get("return") else None
    if kind:
        return answer.say("utter_return_requested", request_kind=phrases.word(kind, lang))
    return answer.say("utter_return_how_to", items=ctx.titles)
