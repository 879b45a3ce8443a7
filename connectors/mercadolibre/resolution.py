"""Did the buyer just tell us the problem is solved? ("já resolvi, obrigado", "ya llegó, gracias")

Only consulted while a conversation is with a person, where the NLU model is not running: a
small, conservative phrase list in pt and es, so a complaint is never closed by accident
(negations like "ainda não resolveu" / "todavía no" never match).
"""

from __future__ import annotations

import re

from postsale.text import fold

_SOLVED = [
    r"\bja (resolvi|resolveu|resolveram|foi resolvido|se resolveu|deu certo|chegou|recebi)\b",
    r"\b(problema|tudo) (resolvido|certo)\b", r"\bnao preciso mais\b", r"\bpode (fechar|encerrar)\b",
    r"\bya (lo )?(resolvi|solucione|se soluciono|se resolvio|llego|me llego|lo recibi|recibi)\b",
    r"\bproblema (resuelto|solucionado)\b", r"\bya no (necesito|hace falta)\b", r"\bpueden cerrar\b",
]
_NEGATION = re.compile(r"\b(nao|ainda nao|todavia no|aun no|no)\s+(\w+\s+){0,2}(resolv|soluc|cheg|lleg|recib)")
_PATTERN = re.compile("|".join(_SOLVED))


def says_solved(text: str | None) -> bool:
    folded = fold(text or "")
    return bool(_PATTERN.search(folded)) and not _NEGATION.search(folded)
