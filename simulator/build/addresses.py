"""Fictitious addresses per site (no real personal data), shaped like `shipping_address`."""

from __future__ import annotations

from typing import Any

from simulator.sites import SITES

Place = tuple[str, str, str, str, str, str]

_PLACES: dict[str, dict[str, Place]] = {
    # site: role -> (street, number, zip, city, state, state code)
    "MLB": {"buyer": ("Rua das Flores", "123", "01310-100", "São Paulo", "São Paulo", "SP"),
            "seller": ("Avenida do Comércio", "4500", "06460-040", "Barueri", "São Paulo", "SP")},
    "MLA": {"buyer": ("Calle Falsa", "742", "1414", "Capital Federal", "Capital Federal", "C"),
            "seller": ("Avenida Industrial", "1200", "1870", "Avellaneda", "Buenos Aires", "B")},
    "MLM": {"buyer": ("Calle de los Pinos", "88", "06700", "Cuauhtémoc", "Distrito Federal", "DIF"),
            "seller": ("Boulevard Industrial", "301", "54900", "Tultitlán", "Estado De México", "MEX")},
}


def shipping_address(site_id: str, role: str) -> dict[str, Any]:
    """A `shipping_address` object for the buyer (destination) or the seller (origin / returns)."""
    street, number, zip_code, city, state, state_code = _PLACES[site_id][role]
    site = SITES[site_id]
    return {
        "address_id": None, "address_line": f"{street} {number}", "street_name": street,
        "street_number": number, "comment": "Apto 45" if role == "buyer" else None, "zip_code": zip_code,
        "city": {"id": None, "name": city},
        "state": {"id": f"{site.country_id}-{state_code}", "name": state},
        "country": {"id": site.country_id, "name": site.country_name},
        "neighborhood": {"id": None, "name": "Centro"}, "municipality": {"id": None, "name": None},
        "agency": None, "types": ["default_buying_address"] if role == "buyer" else ["business"],
        "latitude": None, "longitude": None, "geolocation_type": None,
        "delivery_preference": "residential" if role == "buyer" else "business",
    }
