"""Requests for the buyer's data: a data noun with a request cue around it and no negation before it.

"Me passa seu CPF" asks, "nunca pedimos seu CPF" and "voce vai receber um e-mail do Mercado
Livre" do not; "si alguien te pide tu DNI por WhatsApp, es estafa" warns. Mercado Libre
moderates a seller who asks for personal data (`PERSONAL_DATA`), so asking is what counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from postsale.guard import lexicon as lx
from postsale.guard.clauses import NEGATED, WORD, clauses, negated, segment_start
from postsale.guard.nouns import NOUNS, is_data_noun
from postsale.guard.patterns import THIRD_PARTY, WARNING, Hit, compile_folded

DIRECT_ASK = compile_folded(
    rf"\b(?:(?:me|nos|mi|le)\s+(?:{lx.GIVE_IMPERATIVE}|{lx.WEAK}|da|de|das|des|dar|dice|dices|dizer|dis)|"
    rf"{lx.GIVE_IMPERATIVE}|{lx.ASK}|{lx.MODAL}(?:\s+\w+){{0,2}}\s+(?:me\s+|nos\s+)?{lx.GIVE_INFINITIVE}"
    rf"(?:me|nos|lo|la|le|te|nosla|noslo|mela|melo)?|{lx.NEED}|(?:ser|be)\s+{lx.GIVEN_PARTICIPLES}[oa]?s?|"
    rf"{lx.WEAK}\s+(?:\w+\s+){{0,3}}?(?:{lx.TO_ME})\b)"
    rf"(?![\w-])"
)
BARE_IMPERATIVE = compile_folded(rf"^{lx.GIVE_IMPERATIVE}$")
HAVE_ASK = compile_folded(rf"\b{lx.HAVE_Q}\b")
REPORTED_ASK = re.compile(lx.REPORTING_VERBS)
# "me dai tu numero", "me podria regalar su correo": me/nos, a verb or two, then the buyer's own thing.
ME_THEN_YOURS = compile_folded(rf"\b(?:me|nos)\s+(?:[\w']+\s+){{1,3}}?(?:{lx.YOUR_OWN})\s+(?:\w+\s+(?:de|do|da)\s+)?$")
# "a que numero te puedo marcar?", "qual seu e-mail?": an interrogative right before the noun.
ASKED_WHICH = compile_folded(r"(?:\b(?:qual|quais|cual|cuales|what|which)|(?:^\s*|¿\s*|\b(?:a|en|de|para|em|pra|por|"
                             r"con|com|to|at)\s+)(?:que|q))\s+(?:(?:o|a|el|la|seu|sua|tu|su|your)\s+)?$")
SOCIAL_MENTION = compile_folded(rf"\b(?:{lx.SOCIAL}|redes)\b")
# "me passa ele aqui", "dictamelo", "send it to me": the thing named in the previous sentence.
PRONOUN_ASK = compile_folded(
    rf"\b(?:(?:me|nos)\s+)?(?:{lx.GIVE_IMPERATIVE})\s*-?\s*(?:ele|ela|eles|isso|esse|essa|o|a)?"
    rf"(?:\s+(?:pra|para)\s+(?:mim|nos))?\s+(?:aqui|por\s+aqui|aca|here)\b|"
    rf"(?<=\w)(?:melo|mela|noslo|nosla|selo|sela)\b|"
    rf"\b(?:send|give|tell|text)\s+(?:it|that|them)\s+(?:to\s+)?(?:me|us)\b")
PLATFORM = compile_folded(rf"\b{lx.PLATFORM}\b")
STRONG_ASK = compile_folded(rf"\b(?:(?:me|nos)\s+{lx.GIVE_IMPERATIVE}|{lx.ASK}|{lx.GIVE_IMPERATIVE}\s+me)\b")
ASKING_WHERE = compile_folded(
    r"\b(?:onde|aonde)\s+(?:(?:o\s+)?(?:senhor|senhora|voce|vc|vcs|voces|tu)\s+)?"
    r"(?:mora|moram|reside|vive|fica\s+sua\s+casa)\b|"
    r"\b(?:voce|vc|tu)\s+(?:mora|vive|reside)\s+(?:onde|aonde|em\s+qu[ae]l?|perto|longe)\b|"
    r"\bdonde\s+(?:vivis|vives|vive|viven|residis|resides|reside|queda\s+tu\s+casa|estas\s+ubicad\w*)\b|"
    r"\bwhere\s+(?:do\s+)?you\s+live\b|\bwhere\s+(?:is\s+)?your\s+(?:house|home)\b|"
    r"\bwhere\s+are\s+you\s+(?:located|based)\b|"
    rf"\b(?:em|en|de|in|na|no)\s+(?:qu[ae]l?|q|which|what)\s+{lx.PLACES}\s+(?:voce|vc|tu|usted|ud)?\s*{lx.LIVES_AT}\b"
)


def find_requests(t: str) -> Iterator[Hit]:
    """Requests for the buyer's data in the folded text `t`, clause by clause."""
    for m in ASKING_WHERE.finditer(t):
        if not negated(t, segment_start(t, m.start()), m.start()):
            yield "request_address", m.start(), m.end()
    social_text = SOCIAL_MENTION.search(t) is not None
    mentioned: list[str] = []  # data nouns of the previous sentence, for "...? me passa ele aqui"
    for offset, clause in clauses(t):
        asks = [a for a in DIRECT_ASK.finditer(clause) if _is_ask(clause, a)]
        question = "?" in clause
        platform = PLATFORM.search(clause) is not None
        nouns_here: list[str] = []
        for kind, noun in NOUNS:
            for n in noun.finditer(clause):
                if not is_data_noun(kind, clause, n, social_text):
                    continue
                nouns_here.append(kind)
                cue = _cue_for(clause, n, asks, question, platform)
                if cue is not None:
                    yield kind, offset + min(cue, n.start()), offset + n.end()
        pronoun = PRONOUN_ASK.search(clause)
        if mentioned and pronoun and not negated(clause, 0, pronoun.start()):
            yield mentioned[0], offset + pronoun.start(), offset + pronoun.end()
        mentioned = nouns_here


def _is_ask(clause: str, ask: re.Match[str]) -> bool:
    """A bare "manda"/"passa" is an order at the start of a sentence or before "seu/tu/your";
    "a impressora manda o scan pro e-mail" is not one."""
    if not BARE_IMPERATIVE.match(ask.group()) or ask.group() not in lx.AMBIGUOUS_IMPERATIVES:
        return True
    before = WORD.findall(clause[segment_start(clause, ask.start()):ask.start()])
    if all(word in lx.LEAD_IN for word in before[-4:]) and len(before) <= 4:
        return True
    return re.match(rf"\s+(?:{lx.YOUR_OWN})\b", clause[ask.end():]) is not None


def _cue_for(clause: str, n: re.Match[str], asks: list[re.Match[str]], question: bool,
             platform: bool) -> int | None:
    """Position of the request cue governing this noun, or None when it is not being asked for."""
    for ask in asks:
        if not -6 <= _word_gap(clause, ask, n) <= 8:
            continue
        strong = STRONG_ASK.search(ask.group()) is not None
        if platform and not strong and not _asks_here(clause):
            continue
        if REPORTED_ASK.fullmatch(ask.group()) and (WARNING.search(clause) or THIRD_PARTY.search(clause)):
            continue  # "si alguien te pide tu DNI por WhatsApp, es estafa" warns, it does not ask
        first = min(ask.start(), n.start())
        if negated(clause, segment_start(clause, first), ask.end() if first == ask.start() else n.start()) or (
                first == n.start() and negated(clause, n.end(), ask.end())):
            continue
        return ask.start()
    me_yours = ME_THEN_YOURS.search(clause[max(0, n.start() - 60):n.start()])
    if me_yours and not platform and not negated(clause, segment_start(clause, n.start()), n.start()):
        return n.start() - (len(clause[max(0, n.start() - 60):n.start()]) - me_yours.start())
    if question:
        for have in HAVE_ASK.finditer(clause):
            if 0 <= _word_gap(clause, have, n) <= 3 and not negated(clause, segment_start(clause, have.start()),
                                                                    have.end()):
                return have.start()
        lead = clause[:n.start()]
        if re.fullmatch(r"\s*(?:¿\s*)?(?:(?:e|y|and|o|el|la|a|que|q|qual|cual|what|which|em\s+que|en\s+que|de\s+que)"
                        r"\s+)?(?:(?:seu|sua|teu|tua|tu|su|your|ur)\s+)?", lead):
            return n.start()  # "E seu whats?" / "tu mail?" / "que colonia?"
        if ASKED_WHICH.search(clause[:n.start()]) \
                and not platform and not negated(clause, 0, n.start()):
            return n.start()  # "a que numero te puedo marcar?"
    if re.search(rf"\b{lx.PLEASE}\b", clause) and not platform:
        words_in = WORD.findall(clause)
        position = len(WORD.findall(clause[:n.start()]))
        if len(words_in) <= 12 and position <= 4 and not NEGATED.search(" ".join(words_in)) and \
                not re.search(rf"\b{lx.WEAK}\b", clause):
            return n.start()  # "CPF e e-mail, por favor."
    return None


def _asks_here(clause: str) -> bool:
    return re.search(rf"\b{lx.HERE_TO_US}\b", clause) is not None


def _word_gap(clause: str, ask: re.Match[str], noun: re.Match[str]) -> int:
    """Words from the cue to the noun: positive when the cue comes first."""
    if ask.end() <= noun.start():
        return len(WORD.findall(clause[ask.end():noun.start()]))
    if noun.end() <= ask.start():
        return -len(WORD.findall(clause[noun.end():ask.start()])) - 1
    return 0
