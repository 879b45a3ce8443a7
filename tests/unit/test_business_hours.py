"""Out-of-hours handoffs say when a person will answer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from postsale.business_hours import next_opening, opening_text

SP = ZoneInfo("America/Sao_Paulo")
HOURS = {"timezone": "America/Sao_Paulo", "days": ["mon", "tue", "wed", "thu", "fri"],
         "open": "09:00", "close": "18:00"}


def test_open_during_business_hours() -> None:
    assert next_opening(HOURS, datetime(2026, 11, 25, 10, 30, tzinfo=SP)) is None  # Wednesday


def test_evening_opens_next_morning() -> None:
    opening = next_opening(HOURS, datetime(2026, 11, 25, 19, 0, tzinfo=SP))
    assert opening_text(opening) == "26/11 09:00"


def test_weekend_opens_on_monday() -> None:
    opening = next_opening(HOURS, datetime(2026, 11, 28, 11, 0, tzinfo=SP))  # Saturday
    assert opening_text(opening) == "30/11 09:00"


def test_early_morning_opens_same_day_and_no_config_means_always_open() -> None:
    assert opening_text(next_opening(HOURS, datetime(2026, 11, 25, 7, 0, tzinfo=SP))) == "25/11 09:00"
    assert next_opening(None) is None
