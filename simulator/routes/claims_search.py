"""Filter validation and matching for `GET /post-purchase/v1/claims/search` (reference §6.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.scenarios.specs import ScenarioSpec

FILTERS = ("id", "type", "stage", "status", "resource", "resource_id", "reason_id", "site_id",
           "players.role", "players.user_id", "order_id", "pack_id", "payment_id", "parent_id",
           "date_created", "last_updated")
PAIRS = (("resource", "resource_id"), ("players.role", "players.user_id"))
CLAIM_FIELDS = ("id", "type", "stage", "status", "resource", "resource_id", "reason_id", "site_id", "parent_id")
MAX_LIMIT = 100
MAX_OFFSET = 9999


class SearchError(ValueError):
    """A search the real API rejects with 400; `code` is `invalid_query` or `invalid_params`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Search:
    filters: dict[str, set[str]]
    limit: int
    offset: int


def _int(query: Mapping[str, str], key: str, default: int, maximum: int) -> int:
    raw = query.get(key, str(default))
    if not raw.isdigit() or int(raw) > maximum:
        raise SearchError("invalid_params", f"{key} must be an integer between 0 and {maximum}")
    return int(raw)


def parse_search(query: Mapping[str, str]) -> Search:
    filters = {k: set(query[k].split(",")) for k in FILTERS if query.get(k)}
    if not filters:
        raise SearchError("invalid_query", "at least any of these filters: " + ", ".join(FILTERS))
    if "order_id" in filters and "pack_id" in filters:
        raise SearchError("invalid_params", "order_id and pack_id are mutually exclusive")
    for first, second in PAIRS:
        if (first in filters) != (second in filters):
            raise SearchError("invalid_params", f"{first} and {second} must be sent together")
    limit = _int(query, "limit", 30, MAX_LIMIT)
    return Search(filters, limit, _int(query, "offset", 0, MAX_OFFSET))


def _player_match(claim: dict[str, Any], roles: set[str], users: set[str]) -> bool:
    return any(p["role"] in roles and str(p["user_id"]) in users for p in claim["players"])


def _payment_ids(spec: ScenarioSpec, orders: Mapping[int, dict[str, Any]]) -> set[str]:
    return {str(p["id"]) for item in spec.items for p in orders[item.order_id]["payments"]}


def matches(search: Search, claim: dict[str, Any], spec: ScenarioSpec,
            orders: Mapping[int, dict[str, Any]]) -> bool:
    """Whether one claim satisfies every filter (date filters are accepted but not applied)."""
    f = search.filters
    for key in CLAIM_FIELDS:
        if key in f and str(claim[key]) not in f[key]:
            return False
    if "order_id" in f and not f["order_id"] & {str(i.order_id) for i in spec.items}:
        return False
    if "pack_id" in f and str(spec.pack_id) not in f["pack_id"]:
        return False
    if "players.role" in f and not _player_match(claim, f["players.role"], f["players.user_id"]):
        return False
    return not ("payment_id" in f and not f["payment_id"] & _payment_ids(spec, orders))
