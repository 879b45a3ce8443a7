"""What the guard's sections share: compiling patterns for folded text, and the patterns two sections need.

Contact data, links, requests and off-platform phrases are separate modules, but a few
questions are asked by more than one of them ("is this digit run an order number?", "is
someone else doing the asking?"); the answer must be the same everywhere, so it lives here.
"""

from __future__ import annotations

import re

from postsale.guard import lexicon as lx

Hit = tuple[str, int, int]  # kind, start, end in folded text


def compile_folded(pattern: str) -> re.Pattern[str]:
    """Patterns run on folded (lower-case) text only, so no IGNORECASE, which would cost 3x.

    A pattern starting with a word boundary also gets a `(?=[a-z0-9@+(¿])` look-ahead: the
    engine then skips positions that cannot start a word instead of trying every alternative.
    """
    if pattern.startswith("\\b"):
        pattern = "(?=[a-z0-9@+(¿])" + pattern
    return re.compile(pattern)


# A dot, plain or spelled to slip past filters: "ponto", "(dot)", "[punto]".
SPELLED_DOT = r"(?:\s*(?:\(\s*(?:dot|ponto|punto)\s*\)|\[\s*(?:dot|ponto|punto)\s*\]|\b(?:dot|ponto|punto)\b)\s*|\.)"
# "numero do pedido", "claim number": an order or tracking word right before, so not a phone.
BEFORE_NOT_PHONE = compile_folded(rf"\b{lx.NOT_PHONE_NUMBER}\s*$")
# Someone else contacting or asking the buyer: the carrier, the app, a scammer.
THIRD_PARTY = compile_folded(
    rf"\b{lx.THIRD_PARTIES}\b|"
    rf"\b(?:si|se|if|caso|cuando|quando)\s+(?:\w+\s+)?(?:te|lhe|you|le|vos)\s+{lx.REACH_VERBS}\b")
WARNING = compile_folded(rf"\b{lx.WARNING_WORDS}\b")
