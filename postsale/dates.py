"""Mercado Libre's dates, in the spellings its APIs use: `2024-05-01T10:00:00.000-03:00`,
`...-0300`, `...Z`, or a bare date."""

from __future__ import annotations

from datetime import datetime


def parse(value: object) -> datetime | None:
    """The date, aware when the API gave an offset; None when it is missing or unreadable."""
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":" and "T" in text:
        text = text[:-2] + ":" + text[-2:]  # -0400 → -04:00
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None


def instant(value: object) -> float | None:
    """Epoch seconds of a date with an offset (a deadline must be an instant, not a guess)."""
    parsed = parse(value)
    return parsed.timestamp() if parsed is not None and parsed.tzinfo is not None else None
