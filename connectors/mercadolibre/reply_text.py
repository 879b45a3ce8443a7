"""Make a bot reply postable in a Mercado Libre thread: latin-1 only, 350 characters each.

The API rejects a whole message for one unsupported character (HTTP 400), so characters
outside ISO-8859-1 are replaced by their closest latin-1 spelling (curly quotes → straight,
dashes → '-', emoji removed with the surrounding spacing kept sane) instead of losing the
reply. Long replies are split on sentence boundaries, then on words, never mid-word.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 350
_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...",
    "\u00a0": " ", "\u2022": "-", "\u20ac": "EUR",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def to_latin1(text: str) -> str:
    out = []
    for char in text:
        char = _REPLACEMENTS.get(char, char)
        if all(ord(c) < 256 for c in char):
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        ascii_like = "".join(c for c in decomposed if ord(c) < 256 and not unicodedata.combining(c))
        out.append(ascii_like)  # emoji and other symbols have no latin-1 form: dropped
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


def split_message(text: str, limit: int = MAX_LENGTH) -> list[str]:
    """Chunks of at most `limit` characters, cut at sentence ends where possible."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces = [piece for sentence in _SENTENCE_END.split(text) for piece in _fit(sentence, limit)]
    return _pack(pieces, limit)


def _fit(sentence: str, limit: int) -> list[str]:
    """A sentence longer than the limit is cut between words (a lone huge word is cut hard)."""
    if len(sentence) <= limit:
        return [sentence]
    words = [w[k : k + limit] for w in sentence.split() for k in range(0, len(w), limit)]
    return _pack(words, limit)


def _pack(pieces: list[str], limit: int) -> list[str]:
    """Join consecutive pieces with a space while they fit in `limit`."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}".strip()
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def prepare(text: str, limit: int = MAX_LENGTH) -> list[str]:
    return split_message(to_latin1(text), limit)
