"""The outgoing-text guard: nothing we send asks a buyer for personal data or leaves the marketplace.

Mercado Libre moderates seller messages after they are posted (`PERSONAL_DATA`,
`SOCIAL_NETWORK_LINK`, `LINK_SHORT_URL`, `EVASION_CLAIM_SELLER`...) and a moderated message
already hurts the store. So every bot message and every agent reply is checked here first.

It is rules, not a model: no download, well under a millisecond per message, and every
decision can be explained to an agent ("request_phone at 'me passa seu zap'"). The rules
look for three things: contact data in the text itself (phones, including spelled-out or
dotted digits; e-mails, including "arroba ... punto com"; handles, street addresses; links
outside Mercado Libre), a personal-data noun with a request cue around it and no negation
before it ("me passa seu CPF" but not "nunca pedimos seu CPF"), and phrases that move the
conversation or the payment off the platform. Order numbers, tracking codes, prices and
dates are not phones; "você vai receber um e-mail do Mercado Livre" is not a request.
"""

from postsale.guard.verdict import ALLOWED, EXPLANATIONS, KINDS, Verdict, check_outgoing
from postsale.text import fold_with_origin as fold

__all__ = ["ALLOWED", "EXPLANATIONS", "KINDS", "Verdict", "check_outgoing", "fold"]
