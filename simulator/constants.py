"""Identities of the simulated seller and application.

Separate from the scenario tables so builders, auth and routes can share them without
import cycles. The access token can be overridden by `SIM_ACCESS_TOKEN` so a test run can
prove that the bot really reads its token from configuration.
"""

from __future__ import annotations

import os

ACCESS_TOKEN: str = os.environ.get("SIM_ACCESS_TOKEN", "APP_USR-sim-access-token")
SELLER_ID = 123456789
SELLER_NICKNAME = "LOJA_SIMULADA"
APP_ID = 5551234
CLIENT_ID = str(APP_ID)
CLIENT_SECRET = "sim-client-secret"
REFRESH_TOKEN = "TG-sim-refresh-token-123456789"
AUTHORIZATION_CODE = "TG-sim-authorization-code-123456789"
TOKEN_TTL_SECONDS = 21600
TOKEN_SCOPE = "offline_access read write"
# client_id stamped on messages written by buyers through Mercado Libre's own apps.
MARKETPLACE_CLIENT_ID = 1000000001
SELLER_MAX_MESSAGE_LENGTH = 350
BUYER_MAX_MESSAGE_LENGTH = 3500
