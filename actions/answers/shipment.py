"""Delivery-time and shipping answers from the shipment, its lead time and its carrier."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from actions.answers import phrases
from actions.answers.answer import COMPLAINT, Answer, HandoffRequest
from meli import MeliClient, MeliNotFound
from postsale.order import OrderContext

IN_FLIGHT = {"pending", "handling", "ready_to_ship", "shipped"}
NOT_DISPATCHED = {"pending", "handling", "ready_to_ship"}


def is_late(shipment: dict[str, Any], lead_time: dict[str, Any], now: datetime | None = None) -> bool:
    """Past the limit date and still not delivered: the buyer may cancel, a person must act."""
    if shipment.get("status") not in IN_FLIGHT:
        return False
    limit = phrases.parse_datetime(_date(lead_time, "estimated_delivery_limit"))
    if not limit:
        return False
    now = now or datetime.now(timezone.utc)
    if limit.tzinfo is None:
        limit = limit.replace(tzinfo=timezone.utc)
    return limit < now


async def answer_delivery_time(client: MeliClient, ctx: OrderContext, lang: str) -> Answer:
    answer = Answer()
    if not ctx.shipment_id:
        return answer.say("utter_no_shipment")
    shipment = await client.get_shipment(ctx.shipment_id)
    status = shipment.get("status")
    if status == "delivered":
        return answer.say("utter_delivery_done", items=ctx.titles)
    if status not in IN_FLIGHT:
        answer.say(
            "utter_delivery_unknown",
            status_text=phrases.shipment_status(status, shipment.get("substatus"), lang),
        )
        if status == "not_delivered":
            answer.handoff = HandoffRequest("not_delivered", COMPLAINT)
        return answer
    lead_time = await _lead_time(client, ctx.shipment_id, shipment)
    promised = phrases.date(_date(lead_time, "estimated_delivery_time"))
    extended = phrases.date(_date(lead_time, "estimated_delivery_extended"))
    limit = phrases.date(_date(lead_time, "estimated_delivery_limit")) or "-"
    if is_late(shipment, lead_time):
        answer.say("utter_delivery_extended" if extended else "utter_delivery_estimate",
                   items=ctx.titles, promised_date=promised or "-", extended_date=extended,
                   limit_date=limit)
        answer.handoff = HandoffRequest("late_delivery", COMPLAINT)
        return answer
    if extended and extended != promised:
        return answer.say("utter_delivery_extended", items=ctx.titles, extended_date=extended,
                          limit_date=limit)
    if promised:
        return answer.say("utter_delivery_estimate", items=ctx.titles, promised_date=promised,
                          limit_date=limit)
    return answer.say("utter_delivery_not_dispatched", items=ctx.titles)


async def answer_shipping(client: MeliClient, ctx: OrderContext, lang: str) -> Answer:
    answer = Answer()
    if not ctx.shipment_id:
        return answer.say("utter_no_shipment")
    shipment = await client.get_shipment(ctx.shipment_id)
    try:
        carrier = (await client.get_carrier(ctx.shipment_id)).get("name")
    except MeliNotFound:
        carrier = None
    answer.say(
        "utter_shipping_info",
        items=ctx.titles,
        mode_text=phrases.logistic_mode(shipment.get("logistic") or {}, lang),
        carrier=carrier or phrases.word("unknown_carrier", lang),
        status_text=phrases.shipment_status(shipment.get("status"), shipment.get("substatus"), lang),
    )
    if shipment.get("tracking_number"):
        # The carrier's URL is not sent: external links in seller messages get moderated.
        answer.say("utter_shipping_tracking", tracking_number=shipment["tracking_number"])
    lead_time = await _lead_time(client, ctx.shipment_id, shipment)
    cost_text = _cost_text(lead_time, lang)
    if cost_text:
        answer.say("utter_shipping_cost", cost_text=cost_text)
    return answer


async def _lead_time(client: MeliClient, shipment_id: str, shipment: dict[str, Any]) -> dict[str, Any]:
    try:
        return await client.get_lead_time(shipment_id)
    except MeliNotFound:
        return shipment.get("lead_time") or {}


def _date(lead_time: dict[str, Any], key: str) -> str | None:
    value = lead_time.get(key)
    return value.get("date") if isinstance(value, dict) else None


def _cost_text(lead_time: dict[str, Any], lang: str) -> str | None:
    cost_type = lead_time.get("cost_type")
    if cost_type == "free":
        return phrases.word("free", lang)
    if lead_time.get("cost") is None:
        return None
    return phrases.money(lead_time.get("cost"), lead_time.get("currency_id"))
