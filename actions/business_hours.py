"""When people answer: a handoff out of hours tells the buyer when a person will be back.

Configured in endpoints.yml (`handoff.business_hours`: timezone, days, open, close); no
configuration means people are always there.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _minutes(value: str) -> int:
    hours, _, minutes = str(value).partition(":")
    return int(hours) * 60 + int(minutes or 0)


def next_opening(config: dict[str, Any] | None, now: datetime | None = None) -> datetime | None:
    """None while open (or without configuration); otherwise the next opening, local time."""
    if not config:
        return None
    zone = ZoneInfo(config.get("timezone") or "America/Sao_Paulo")
    local = (now or datetime.now(zone)).astimezone(zone)
    days = {DAYS.index(d.lower()[:3]) for d in config.get("days") or DAYS[:5]}
    start, end = _minutes(config.get("open", "09:00")), _minutes(config.get("close", "18:00"))
    minute = local.hour * 60 + local.minute
    if local.weekday() in days and start <= minute < end:
        return None
    for offset in range(0, 8):
        day = (local + timedelta(days=offset)).replace(hour=start // 60, minute=start % 60, second=0,
                                                     microsecond=0)
        if day.weekday() in days and day > local:
            return day
    return None


def opening_text(opening: datetime) -> str:
    """dd/mm HH:MM, read the same way in pt and es."""
    return opening.strftime("%d/%m %H:%M")
