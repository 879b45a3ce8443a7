"""The one Mercado Libre API client shared by actions and connectors."""

from meli.client import MeliClient, client_from_settings
from meli.errors import (
    MeliAuthError,
    MeliError,
    MeliInvalidId,
    MeliNotFound,
    MeliRateLimited,
    MeliServerError,
    MeliUnavailable,
)

__all__ = [
    "MeliAuthError",
    "MeliClient",
    "MeliError",
    "MeliInvalidId",
    "MeliNotFound",
    "MeliRateLimited",
    "MeliServerError",
    "MeliUnavailable",
    "client_from_settings",
]
