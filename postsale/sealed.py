"""OAuth tokens encrypted at rest (Fernet, from `cryptography`), with the key from MELI_TOKEN_KEY.

A seller's refresh token is the store's whole Mercado Libre account for whoever reads it, and
database dumps and backups travel further than the servers do. Stored values carry a `fernet:`
prefix; a value without it is a token stored in clear by an older release: it is still read,
and sealed on the next write (the next refresh). MELI_TOKEN_KEY may list several keys separated
by commas: the first seals, all of them open, so a key can be rotated without a stop.

Local mode without MELI_TOKEN_KEY uses a key generated once in var/token.key (0600), so the code
path is the same everywhere; production refuses to start without the variable (run_mode).
"""

from __future__ import annotations

import logging
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from postsale.files import create_once
from postsale.settings import REPO, Settings

logger = logging.getLogger(__name__)
PREFIX = "fernet:"
LOCAL_KEY_FILE = REPO / "var" / "token.key"


class TokenCipher:
    def __init__(self, keys: list[str]) -> None:
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def seal(self, token: str | None) -> str | None:
        if not token:
            return token
        return PREFIX + self._fernet.encrypt(token.encode()).decode()

    def open(self, stored: str | None) -> str | None:
        if not stored or not stored.startswith(PREFIX):
            return stored  # empty, or stored in clear before encryption: sealed on the next write
        try:
            return self._fernet.decrypt(stored[len(PREFIX):].encode()).decode()
        except InvalidToken:
            # A key that is not the one it was sealed with: the token is useless, like a revoked
            # one; the operator sees why instead of an endless 401 loop.
            logger.error("a stored OAuth token cannot be opened with MELI_TOKEN_KEY (was the key changed?)")
            return None


def cipher_from_settings(current: Settings, key_file: Path = LOCAL_KEY_FILE) -> TokenCipher:
    if current.token_key:
        return TokenCipher([key.strip() for key in current.token_key.split(",") if key.strip()])
    if current.production:  # run_mode refuses this at start; never fall back to a file key there
        raise RuntimeError("MELI_TOKEN_KEY is required in production")
    return TokenCipher([create_once(key_file, Fernet.generate_key().decode() + "\n").strip()])
