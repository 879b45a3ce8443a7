"""Multipart file uploads as the attachment endpoints take them (`file` field), with the limits
the reference gives for each: size, types (checked on the bytes, not the declared type) and name."""

from __future__ import annotations

import re

from aiohttp import web

SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}
MAX_REQUEST = 26 * 1024 * 1024  # the app's body limit: the largest upload (25 MB) plus the form


class UploadError(ValueError):
    pass


def sniff(content: bytes) -> str:
    """The type the bytes are; plain text when they decode as UTF-8 and nothing else matched."""
    for magic, kind in SIGNATURES.items():
        if content.startswith(magic):
            return kind
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


async def read_upload(request: web.Request, *, limit: int, kinds: tuple[str, ...],
                      name_pattern: str) -> tuple[str, str, bytes]:
    """(file name, sniffed type, bytes) of the `file` part, or UploadError saying what is wrong."""
    if not request.content_type.startswith("multipart/form-data"):
        raise UploadError("multipart/form-data with a 'file' field is required")
    reader = await request.multipart()
    async for part in reader:
        if getattr(part, "name", None) != "file":
            continue
        name = part.filename or ""  # type: ignore[union-attr]
        if not re.fullmatch(name_pattern, name):
            raise UploadError(f"invalid file name {name[:40]!r}")
        content = bytearray()
        while chunk := await part.read_chunk():  # type: ignore[union-attr]
            content.extend(chunk)
            if len(content) > limit:
                raise UploadError(f"file larger than {limit // (1024 * 1024)} MB")
        if not content:
            raise UploadError("empty file")
        kind = sniff(bytes(content))
        if kind not in kinds:
            raise UploadError(f"file type {kind} is not accepted")
        return name, kind, bytes(content)
    raise UploadError("no 'file' field")
