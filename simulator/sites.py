"""Marketplace sites and timestamp formats.

Mercado Libre renders dates differently per resource (orders with a local offset, packs
without the colon in the offset, messages in UTC with `Z`). Keeping the formatters here lets
every builder reproduce the exact spelling a client parser will meet in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone


@dataclass(frozen=True)
class Site:
    """What differs between marketplaces for the simulated seller."""

    site_id: str
    currency_id: str
    utc_offset_hours: int
    agent_user_id: int
    country_id: str
    country_name: str


SITES: dict[str, Site] = {
    "MLB": Site("MLB", "BRL", -3, 3037675074, "BR", "Brasil"),
    "MLA": Site("MLA", "ARS", -3, 3037674934, "AR", "Argentina"),
    "MLM": Site("MLM", "MXN", -6, 3037204279, "MX", "Mexico"),
}


# timezone(timedelta(0)) rather than datetime.UTC: the project runs on Python 3.10.
UTC_ZONE = timezone(timedelta(0))


def utc_now() -> datetime:
    """The current instant, timezone-aware."""
    return datetime.now(UTC_ZONE)


def days(value: float) -> timedelta:
    """Shorthand used by the seed tables."""
    return timedelta(days=value)


def _local(dt: datetime, site: Site) -> datetime:
    return dt.astimezone(timezone(timedelta(hours=site.utc_offset_hours)))


def local_iso(dt: datetime, site: Site) -> str:
    """Orders, shipments, claims: `2024-11-01T09:34:59.000-03:00`."""
    return _local(dt, site).isoformat(timespec="milliseconds")


def local_iso_compact(dt: datetime, site: Site) -> str:
    """Packs: `2024-08-15T17:38:30.000-0300` (no colon in the offset)."""
    local = _local(dt, site)
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}" + local.strftime("%z")


def utc_z(dt: datetime) -> str:
    """Messages and notifications: `2020-12-05T20:01:46.000Z`."""
    return dt.astimezone(UTC_ZONE).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_z_seconds(dt: datetime) -> str:
    """Fiscal documents: `2020-04-27T23:10:21Z`."""
    return dt.astimezone(UTC_ZONE).isoformat(timespec="seconds").replace("+00:00", "Z")
