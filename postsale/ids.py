"""Mercado Libre ids from any input (buyer text, REST metadata, notifications, API bodies).

Order, pack, shipment, claim and user ids are decimal numbers: order and pack ids have 16
digits, shipments 11, claims about 10, users up to 12. Anything else (`../users/me`, `1 OR
1=1`, 10^30) is not an id and must never reach an API path or a query: it is refused here, in
one place, and the API client also quotes every path segment it builds.
"""

from __future__ import annotations

import re
from typing import Any

MAX_DIGITS = 20
_ID = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")


def valid(value: Any) -> str | None:
    """The id as a string of digits, or None when the value is not a Mercado Libre id."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    return text if text.isascii() and _ID.fullmatch(text) and int(text) > 0 else None
