"""When people answer: a handoff out of hours tells the buyer when a person will be back.

Configured in endpoints.yml (`handoff.business_hours`: timezone, days, open, close, checked by
postsale.settings at start); no configuration means people are always there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from postsale.settings import WEEKDAYS, BusinessHours, minutes


def next_opening(config: BusinessHours | Mapping[str, Any] | None, now: datetime | None = None) -> datetime | None:
    """None while open (or without configuration); otherwise the next opening, local time."""
    if not config:
        return None
    hours = config if isinstance(config, BusinessHours) else BusinessHours.from_mapping(config)
    zone = ZoneInfo(hours.timezone)
    local = (now or datetime.now(zone)).astimezone(zone)
    days = {WEEKDAYS.index(d) for d in hours.days}
    start, end = minutes(hours.open), minutes(hours.close)
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
