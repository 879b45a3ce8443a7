"""A small stand-in for Mercado Libre's automatic message moderation (reference §2.3, §8).

Only the obvious cases are caught (contact data, shortened or social links, Mercado Pago links),
which is enough to exercise the bot's "reply came back moderated" path; `/_sim/moderate_next`
forces any other reason, e.g. AUTOMATIC_MESSAGE.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # e-mails, and phone-like numbers (8 to 13 digits, separators allowed); order, pack and
    # tracking ids (14+ digits in one run) are what sellers legitimately mention, not contact data
    ("PERSONAL_DATA", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?<![\w])(?:\+?\d[\s().-]?){7,12}\d(?![\d])")),
    ("LINK_SHORT_URL", re.compile(r"\b(?:bit\.ly|bl\.ink|tinyurl\.com|t2m\.io|rebrand\.ly|polr\.|yourls\.)",
                                  re.IGNORECASE)),
    ("SOCIAL_NETWORK_LINK", re.compile(r"\b(?:facebook\.com|instagram\.com|wa\.me|whatsapp|t\.me/|tiktok\.com)",
                                       re.IGNORECASE)),
    ("LINK_MERCADOPAGO", re.compile(r"mercadopago\.com", re.IGNORECASE)),
    ("ML_LINKS_PAYPAL", re.compile(r"paypal\.(?:com|me)", re.IGNORECASE)),
)

# The messaging API accepts ISO-8859-1 plus "a listed set of emoji" (reference §2.1) whose list is not
# published in our reference. A short allowlist of everyday emoji stands in for it: anything else
# outside latin-1 (curly quotes, rarer emoji, CJK, ...) gets the 400, so a bot that passes here will
# not trip over the charset rule in production.
ALLOWED_EMOJI: frozenset[str] = frozenset(
    "😀😃😄😁😆😅😂🙂😉😊😍😘😎🤗🤔😐😕🙁😢😭😡"
    "👍👎👌👏🙏👋💪❤✔✅❌⭐📦🚚🎁"
    "\ufe0f"  # variation selector-16, as in "❤️"
)


def moderation_reason(text: str) -> str | None:
    """The `moderation.reason` the text would be rejected with, if any."""
    for reason, pattern in _RULES:
        if pattern.search(text):
            return reason
    return None


def _supported(char: str) -> bool:
    return ord(char) <= 0xFF or char in ALLOWED_EMOJI


def has_unsupported_chars(text: str) -> bool:
    """True when the text leaves ISO-8859-1 plus the allowed emoji (the API answers 400 then)."""
    return not all(_supported(c) for c in text)
