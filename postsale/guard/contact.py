"""Contact data written in the text itself: e-mails, phones, CPFs, handles and street addresses.

Mercado Libre moderates a message that hands the buyer a way to reach the seller elsewhere
(`PERSONAL_DATA`), however it is disguised: "arroba ... punto com", dotted or spelled-out
digits. The hard part is what is not a phone: order numbers, tracking codes, prices, dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from postsale.guard import lexicon as lx
from postsale.guard.patterns import BEFORE_NOT_PHONE, SPELLED_DOT, Hit, compile_folded

EMAIL = compile_folded(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
_AT = r"(?:@|\(\s*(?:at|arroba)\s*\)|\[\s*(?:at|arroba)\s*\]|\{\s*(?:at|arroba)\s*\}|\barroba\b|\bat\b)"
OBFUSCATED_EMAIL = compile_folded(
    rf"\b[a-z0-9._\-]{{2,}}\s*{_AT}\s*[a-z0-9\-]{{2,}}(?:{SPELLED_DOT}[a-z]{{2,6}}){{1,2}}\b(?!\s*[a-z]{{3,}}\b"
    rf"(?<!com))"
)
PROVIDER_EMAIL = compile_folded(
    rf"(?:@|\barroba\b|\(at\)|\[at\])\s*{lx.MAIL_PROVIDERS}\b|"
    rf"\b{lx.DOTCOM_MAIL_PROVIDERS}\s*(?:\.|\bponto\b|\bpunto\b|\bdot\b)\s*com\b"
)
OWN_EMAIL = compile_folded(rf"\b{lx.MINE}\s+{lx.EMAIL_WORDS}\s*(?:e|es|is|eh|:|=|->)\s*[a-z0-9._\-]{{3,}}")
PHONE_CANDIDATE = re.compile(r"(?<![\w/.,:#-])(\+?\s?\(?\d[\d\s().\-]{5,}\d\)?)(?![\w/]|[.,]\d)")
DATE = re.compile(r"^\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}$|^\d{4}[./\-]\d{1,2}[./\-]\d{1,2}$")
CPF = re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d])")
ZIP = re.compile(r"^\d{5}-\d{3}$")
NUMERIC_CONTEXT = compile_folded(
    rf"(?:\b{lx.ID_WORDS}\b|\bn[º°]|\bno\.|\bnro\.?|#)"
    rf"[\s:#.\-°º]*(?:[\w°º]+[\s:#.\-°º]+){{0,3}}$"
)
PHONE_CONTEXT = compile_folded(
    rf"\b(?:{lx.MESSENGERS}|{lx.PHONE_WORDS}|{lx.PHONE_CUES}|"
    rf"{lx.NUMBER_WORD}(?!\s+(?:d[oae]s?\s+|de\s+(?:la\s+)?|del\s+|de\s+)?(?:(?:seu|sua|teu|tua|tu|su)\s+)?"
    rf"{lx.NOT_PHONE_NUMBER}))\b"
)
_NUMWORD = "|".join(sorted(lx.NUMBER_WORD_DIGITS, key=len, reverse=True))
SPELLED_NUMBER = compile_folded(rf"\b(?:{_NUMWORD}|\d+)(?:[\s,.\-]+(?:(?:e|y|and)\s+)?(?:{_NUMWORD}|\d+)\b)+")
HANDLE = compile_folded(r"(?<![\w.@])@[a-z0-9_][a-z0-9_.]{2,}")
SOCIAL_HANDLE = compile_folded(
    rf"\b(?:{lx.SOCIAL}|{lx.MESSENGERS}|tg)(?:\s+[a-z]+){{0,3}}?\s*(?:(?::|=|->)\s*@?(?:[a-z0-9_]*[._0-9][a-z0-9_.]*"
    rf"[a-z0-9_]|[a-z0-9_]{{3,}}(?=\s*(?:$|[!.\U0001F300-\U0001FAFF]\s*$)))|"
    rf"(?:e|eh|es|is)\s+(?:@[a-z0-9_][a-z0-9_.]{{2,}}|[a-z]*[0-9_.][a-z0-9_.]+))|"
    rf"\b(?:nos|me)\s+(?:encontr\w*|ach\w*|busc\w*|find|search|procur\w*)\s+(?:como|as|por|pelo|by|under)\s+"
    rf"@?[a-z0-9_][a-z0-9_.]{{2,}}")
STREET = compile_folded(
    rf"\b{lx.STREET_TYPES}\s+(?:[a-z0-9.'\-]+,?\s+){{0,5}}(?:n[oº°]?\.?\s*|#\s*)?\d{{1,5}}\b"
    rf"|\b\d{{1,5}}\s+(?:[a-z]+\s+){{1,3}}{lx.STREET_SUFFIXES}\b"
)


def find_contact_data(t: str, original: str, origin: Sequence[int]) -> Iterator[Hit]:
    """Contact data in the folded text `t`; `original` and `origin` tell a street name by its capitals."""
    for m in EMAIL.finditer(t):
        yield "share_contact", m.start(), m.end()
    for pattern in (OBFUSCATED_EMAIL, PROVIDER_EMAIL, OWN_EMAIL):
        for m in pattern.finditer(t):
            yield "share_contact", m.start(), m.end()
    yield from _phones(t)
    for m in CPF.finditer(t):
        yield "share_contact", m.start(), m.end()
    for m in HANDLE.finditer(t):
        if not lx.OFFICIAL_DOMAINS.search(m.group()[1:] + "."):
            yield "share_contact", m.start(), m.end()
    for m in SOCIAL_HANDLE.finditer(t):
        yield "share_contact", m.start(), m.end()
    for m in STREET.finditer(t):
        name = original[origin[m.start()]:origin[m.end() - 1] + 1]
        if re.search(r"\s[A-Z]", name) or re.search(r"n[oº°]\.?\s*\d|#\s*\d|,\s*\d|^\d", name, re.IGNORECASE):
            yield "share_contact", m.start(), m.end()


def _phones(t: str) -> Iterator[Hit]:
    for m in PHONE_CANDIDATE.finditer(t):
        raw = m.group(1).strip()
        if _is_phone(t, m.start(1), raw):
            yield "share_contact", m.start(1), m.end(1)
    for m in SPELLED_NUMBER.finditer(t):
        tokens = re.findall(rf"{_NUMWORD}|\d+", m.group())
        spelled = [tok for tok in tokens if not tok.isdigit()]
        digits = sum(len(tok) if tok.isdigit() else lx.NUMBER_WORD_DIGITS.get(tok, 1) for tok in tokens)
        if len(spelled) >= 3 and 8 <= digits <= 14:
            yield "share_contact", m.start(), m.end()


def _is_phone(t: str, start: int, raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    n = len(digits)
    if n < 8 or n > 13 or DATE.match(raw) or ZIP.match(raw) or CPF.fullmatch(raw):
        return False
    before = t[max(0, start - 40):start]
    if lx.CURRENCY.search(before) or re.search(r"\d\.\d{3}(?:\.\d{3})*$", raw):
        return False  # a price, or a thousands-separated amount
    groups = [g for g in re.split(r"[\s().\-]+", raw) if g]
    has_context = _phone_context(t[max(0, start - 60):start] + " " + t[start + len(raw):start + len(raw) + 25])
    if NUMERIC_CONTEXT.search(before) and not has_context:
        return False  # "pedido 2000001234", "rastreio 41234567890"
    if raw.startswith("+") or re.match(r"\(\d{2,3}\)", raw):
        return True
    if has_context:
        return True
    if len(groups) == 1:
        return False  # a bare run of digits is an id until something says it is a phone
    if len(groups) >= 4 and max(len(g) for g in groups) <= 2:
        return True  # "1 1 9 8 7 6..." spaced-out digits
    if n >= 10:
        return len(groups[-1]) >= 3 and not all(len(g) == 4 for g in groups)
    return n == 9 and len(groups) == 2 and groups[0].startswith("9") and len(groups[1]) == 4


def _phone_context(window: str) -> bool:
    for m in PHONE_CONTEXT.finditer(window):
        if re.match(lx.NUMBER_WORD, m.group()) and BEFORE_NOT_PHONE.search(window[:m.start()]):
            continue  # "claim number 5012345678"
        return True
    return False
