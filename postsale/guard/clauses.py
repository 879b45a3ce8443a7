"""Sentences, clauses and negation: where a cue's reach ends and whether a "nunca" cancels it.

"Nunca pedimos seu CPF, mas me passa o numero do pedido" has a negation and a request in
one text; the request rules and the off-platform rules both need to know which words a
negation covers, and they must agree, so the reading is done here once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from postsale.guard import lexicon as lx
from postsale.guard.patterns import compile_folded

CLAUSE_END = re.compile(r"[!?;\n]+|\.(?=\s|$)|[:]\s")
WORD = re.compile(r"[a-z0-9@']+")
NEGATED = compile_folded(rf"\b(?:{lx.NEGATION}|{lx.NO_VERB})\b")
LIST_ITEM = re.compile(rf"\b{lx.LIST_CONJUNCTIONS}\b")
NEW_CLAUSE = re.compile(rf"\s*{lx.CLAUSE_OPENERS}\b")


def clauses(t: str) -> Iterator[tuple[int, str]]:
    """Each clause of `t` with its offset; a clause ends at ! ? ; a new line, a full stop or a colon."""
    start = 0
    for m in CLAUSE_END.finditer(t):
        yield start, t[start:m.end()]
        start = m.end()
    if start < len(t):
        yield start, t[start:]


def segment_start(clause: str, position: int) -> int:
    """Where the part of `clause` holding `position` starts: after the last comma or "mas/pero/but"."""
    cut = max(clause.rfind(",", 0, position), clause.rfind(" mas ", 0, position), clause.rfind(" pero ", 0, position),
              clause.rfind(" but ", 0, position))
    return cut + 1 if cut >= 0 else 0


def negated(text: str, start: int, end: int) -> bool:
    """Whether a negation in the last ten words of `text[start:end]` covers what follows."""
    if start > 0 and LIST_ITEM.search(text[start:end]) and not NEW_CLAUSE.match(text[start:end]):
        start = segment_start(text, start - 1)  # "nunca pedimos dados, senhas ou pagamentos fora"
    tail = " ".join(WORD.findall(text[start:end])[-10:])
    return NEGATED.search(tail) is not None
