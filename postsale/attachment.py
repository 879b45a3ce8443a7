"""Which files an agent may send and see, decided on the bytes, never on a declared type.

Mercado Libre takes JPG, PNG, PDF and TXT in messages (25 MB) and JPG, PNG, PDF in claims (5 MB,
names of [a-zA-Z0-9._-] up to 125 characters: reference 2.5 and 6.4). The inbox sends what both
accept, at the claim's size, so a file works wherever the agent sends it; it shows what the
marketplace returns only when the bytes are one of those types (a file that says it is a photo
but is HTML is refused, so nothing the buyer uploads can run in the agent's page).
"""

from __future__ import annotations

import re

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf", "text/plain": "txt"}
SENDABLE = ("image/jpeg", "image/png", "application/pdf")
SHOWABLE = ("image/jpeg", "image/png", "application/pdf", "text/plain")
IMAGES = ("image/jpeg", "image/png")
MAX_SEND_BYTES = 5 * 1024 * 1024
MAX_SHOW_BYTES = 25 * 1024 * 1024
MAX_FILES_PER_REPLY = 3
_UNSAFE = re.compile(r"[^a-zA-Z0-9._-]+")


def sniff(content: bytes) -> str | None:
    """The type the bytes are (SHOWABLE), or None: text only when it is UTF-8 without controls."""
    for magic, kind in SIGNATURES:
        if content.startswith(magic):
            return kind
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if not any(ord(c) < 9 or 13 < ord(c) < 32 for c in text) else None


def safe_name(name: str, kind: str) -> str:
    """A name both APIs accept, with the extension of what the file really is."""
    stem = _UNSAFE.sub("_", name.rsplit(".", 1)[0]).strip("._")[:100] or "arquivo"
    return f"{stem}.{EXTENSIONS[kind]}"


def check_sendable(content: bytes) -> str:
    """The file's type, or ValueError saying why an agent may not send it."""
    if not content:
        raise ValueError("empty file")
    if len(content) > MAX_SEND_BYTES:
        raise ValueError(f"larger than {MAX_SEND_BYTES // (1024 * 1024)} MB")
    kind = sniff(content)
    if kind not in SENDABLE:
        raise ValueError("only JPG, PNG or PDF")
    return kind
