"""Text folding: the one way the product compares what people type.

Buyers skip accents, mix cases and paste text with invisible characters, so every rule that
reads text (language detection, "the buyer says it is solved", the outgoing-text guard, the
trainers' duplicate check) reads it folded: lower case, no accents, no zero-width characters,
compatibility forms as plain letters ("１１" is "11").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_INVISIBLE = {"Cf", "Mn"}


def fold(text: str) -> str:
    """`text` folded (see the module docstring)."""
    return fold_with_origin(text)[0]


def fold_with_origin(text: str) -> tuple[str, Sequence[int]]:
    """The folded text and, for each folded character, the index of the character it came from.

    The outgoing-text guard matches on folded text but shows agents the excerpt they wrote.
    """
    if text.isascii():
        return text.lower(), range(len(text))
    pieces = [_fold_char(char) for char in text]
    folded = "".join(pieces)
    if len(folded) == len(text):
        return folded, range(len(text))
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    return folded, origin


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    out = []
    for part in unicodedata.normalize("NFKD", char):
        for piece in part.lower():
            if unicodedata.category(piece) not in _INVISIBLE:
                out.append(piece)
    return "".join(out)
