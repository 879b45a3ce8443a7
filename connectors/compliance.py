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

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from connectors import guard_lexicon as lx

KINDS = (
    "request_phone", "request_email", "request_address", "request_document", "request_social",
    "request_bank", "share_contact", "external_link", "off_platform",
)


@dataclass(frozen=True)
class Verdict:
    """`span` is (start, end) in the text given to `check_outgoing`, None when allowed."""

    allowed: bool
    kind: str | None = None
    span: tuple[int, int] | None = None

    def excerpt(self, text: str) -> str:
        return text[self.span[0]:self.span[1]] if self.span else ""


ALLOWED = Verdict(True)
# Shown to agents when their reply is refused (the inbox is in Portuguese).
EXPLANATIONS = {
    "request_phone": "pede o telefone/WhatsApp do comprador",
    "request_email": "pede o e-mail do comprador",
    "request_address": "pede o endereço ou a localização do comprador",
    "request_document": "pede um documento do comprador (CPF, DNI, RG...)",
    "request_social": "pede uma rede social do comprador",
    "request_bank": "pede dados bancários, Pix, cartão ou senha do comprador",
    "share_contact": "contém telefone, e-mail, perfil ou endereço de contato",
    "external_link": "contém um link fora do Mercado Livre",
    "off_platform": "leva a conversa, o pagamento ou a reclamação para fora do Mercado Livre",
}
Hit = tuple[str, int, int]  # kind, start, end in folded text


# --- folding ------------------------------------------------------------------------------------
_INVISIBLE = {"Cf", "Mn"}


def fold(text: str) -> tuple[str, Sequence[int]]:
    """Lower case, no accents, no invisible characters; and where each folded char came from.

    Zero-width characters and combining marks are dropped ("what\u200bsapp" is "whatsapp"),
    full-width and other compatibility forms become ASCII ("１１" is "11").
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


def _compile(pattern: str) -> re.Pattern[str]:
    """Patterns run on folded (lower-case) text only, so no IGNORECASE, which would cost 3x.

    A pattern starting with a word boundary also gets a `(?=[a-z0-9@+(¿])` look-ahead: the
    engine then skips positions that cannot start a word instead of trying every alternative.
    """
    if pattern.startswith("\\b"):
        pattern = "(?=[a-z0-9@+(¿])" + pattern
    return re.compile(pattern)


# --- contact data in the text -------------------------------------------------------------------
EMAIL = _compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
_AT = r"(?:@|\(\s*(?:at|arroba)\s*\)|\[\s*(?:at|arroba)\s*\]|\{\s*(?:at|arroba)\s*\}|\barroba\b|\bat\b)"
_DOT = r"(?:\s*(?:\(\s*(?:dot|ponto|punto)\s*\)|\[\s*(?:dot|ponto|punto)\s*\]|\b(?:dot|ponto|punto)\b)\s*|\.)"
OBFUSCATED_EMAIL = _compile(
    rf"\b[a-z0-9._\-]{{2,}}\s*{_AT}\s*[a-z0-9\-]{{2,}}(?:{_DOT}[a-z]{{2,6}}){{1,2}}\b(?!\s*[a-z]{{3,}}\b(?<!com))"
)
PROVIDER_EMAIL = _compile(
    r"(?:@|\barroba\b|\(at\)|\[at\])\s*(?:gmail|hotmail|outlook|yahoo|live|icloud|uol|bol|terra|proton(?:mail)?|"
    r"aol|msn|ymail)\b|\b(?:gmail|hotmail|outlook|yahoo|icloud)\s*(?:\.|\bponto\b|\bpunto\b|\bdot\b)\s*com\b"
)
OWN_EMAIL = _compile(rf"\b{lx.MINE}\s+{lx.EMAIL_WORDS}\s*(?:e|es|is|eh|:|=|->)\s*[a-z0-9._\-]{{3,}}")
PHONE_CANDIDATE = re.compile(r"(?<![\w/.,:#-])(\+?\s?\(?\d[\d\s().\-]{5,}\d\)?)(?![\w/]|[.,]\d)")
DATE = re.compile(r"^\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}$|^\d{4}[./\-]\d{1,2}[./\-]\d{1,2}$")
CPF = re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d])")
ZIP = re.compile(r"^\d{5}-\d{3}$")
NUMERIC_CONTEXT = _compile(
    rf"(?:\b(?:{lx.NOT_PHONE_NUMBER}|id|rastreio|codigo|code|cod|ref|referencia|sku|nf|nfe|chave|key|"
    rf"clave|protocolo|modelo|model|serie|serial|cupom|cupon|coupon|lote|cep|zip|postal|acesso|acceso|certificac\w*|"
    rf"certificad\w*|anatel|inmetro|registro|homologac\w*|patente|licenca|licencia|garantia|warranty|imei|lote)\b|"
    rf"\bn[º°]|\bno\.|\bnro\.?|#)"
    rf"[\s:#.\-°º]*(?:[\w°º]+[\s:#.\-°º]+){{0,3}}$"
)
PHONE_CONTEXT = _compile(
    rf"\b(?:{lx.MESSENGERS}|{lx.PHONE_WORDS}|ligar?|ligue|ligacao|llam\w*|call|text|contato|contacto|contact|"
    rf"{lx.NUMBER_WORD}(?!\s+(?:d[oae]s?\s+|de\s+(?:la\s+)?|del\s+|de\s+)?(?:(?:seu|sua|teu|tua|tu|su)\s+)?"
    rf"{lx.NOT_PHONE_NUMBER}))\b"
)
_NUMWORD = "|".join(sorted(lx.NUMBER_WORD_DIGITS, key=len, reverse=True))
SPELLED_NUMBER = _compile(rf"\b(?:{_NUMWORD}|\d+)(?:[\s,.\-]+(?:(?:e|y|and)\s+)?(?:{_NUMWORD}|\d+)\b)+")
HANDLE = _compile(r"(?<![\w.@])@[a-z0-9_][a-z0-9_.]{2,}")
SOCIAL_HANDLE = _compile(
    rf"\b(?:{lx.SOCIAL}|{lx.MESSENGERS}|tg)(?:\s+[a-z]+){{0,3}}?\s*(?:(?::|=|->)\s*@?(?:[a-z0-9_]*[._0-9][a-z0-9_.]*"
    rf"[a-z0-9_]|[a-z0-9_]{{3,}}(?=\s*(?:$|[!.\U0001F300-\U0001FAFF]\s*$)))|(?:e|eh|es|is)\s+(?:@[a-z0-9_][a-z0-9_.]{{2,}}|"
    rf"[a-z]*[0-9_.][a-z0-9_.]+))|\b(?:nos|me)\s+(?:encontr\w*|ach\w*|busc\w*|find|search|procur\w*)\s+(?:como|as|por|pelo|"
    rf"by|under)\s+@?[a-z0-9_][a-z0-9_.]{{2,}}")
STREET = _compile(
    r"\b(?:rua|r\.|avenida|av\.?|alameda|travessa|rodovia|estrada|praca|calle|avda\.?|pasaje|jiron|carrera|"
    r"cra\.?|diagonal|boulevard|blvd|street|avenue)\s+(?:[a-z0-9.'\-]+,?\s+){0,5}(?:n[oº°]?\.?\s*|#\s*)?\d{1,5}\b"
    r"|\b\d{1,5}\s+(?:[a-z]+\s+){1,3}(?:st|street|ave|avenue|rd|road|blvd|lane|ln|dr|drive)\b"
)


def _contact_data(t: str, original: str, origin: Sequence[int]) -> Iterator[Hit]:
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


# --- links ---------------------------------------------------------------------------------------
URL = _compile(r"\b(?:https?://|www\.)[^\s<>\"']+")
DOMAIN = _compile(rf"\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.{lx.TLDS}\b(?:/[^\s<>\"']*)?")
SPELLED_DOMAIN = _compile(
    rf"\b([a-z0-9\-]{{3,}})\s*{_DOT}\s*(?:com|net|org|store|shop|site|online|io|app|loja|tienda)"
    rf"(?:{_DOT}(?:br|ar|mx|co|cl|uy|pe))?\b"
)
SHORTENED = _compile(rf"\b{lx.SHORTENERS}\b|\blink\s+(?:na|en\s+la|in|da|de\s+la)\s+(?:bio|descricao|perfil|profile)\b")
_STOP = set("ao no na do da de o a os as um uma el la los las un una the at to in on with com por pelo pela em e y and "
            "que este esse isso isto nosso nossa seu sua".split())


def _links(t: str, original: str, origin: Sequence[int]) -> Iterator[Hit]:
    emails = [m.span() for m in EMAIL.finditer(t)]
    for m in SHORTENED.finditer(t):
        yield "external_link", m.start(), m.end()
    for m in URL.finditer(t):
        yield _link_kind(m.group()), m.start(), m.end()
    for m in DOMAIN.finditer(t):
        if any(s <= m.start() < e for s, e in emails):
            continue
        host = m.group().split("/", 1)[0]
        tld_start = m.start() + host.rfind(".") + 1
        if original[origin[tld_start]].isupper() and "/" not in m.group() and host.count(".") == 1:
            continue  # "obrigado.Com certeza": a missing space, not a domain
        if re.fullmatch(r"[a-z]\.[a-z]{2}", host):
            continue  # "e.g", "i.e"-like abbreviations
        kind = _link_kind(m.group())
        if kind:
            yield kind, m.start(), m.end()
    for m in SPELLED_DOMAIN.finditer(t):
        if m.group(1) in _STOP or lx.OFFICIAL_DOMAINS.search(m.group(1) + "."):
            continue
        if not re.search(r"\s|\b(?:ponto|punto|dot)\b", m.group()):
            continue  # a plain "loja.com" is DOMAIN's to judge (it knows "Obrigado.Com certeza")
        after = t[m.end():m.end() + 14]
        if re.search(r"\bponto\s*com$", m.group()) and re.match(
                r"\s+(?:o|a|os|as|um|uma|ele|ela|eles|voce|vc|isso|seu|sua|meu|minha|nosso|nossa|cuidado|calma|"
                r"atencao|certeza|carinho|antecedencia|vista)\b", after):
            continue  # "ponto com o motorista": Portuguese "com" (with), not ".com"
        yield "external_link", m.start(), m.end()


def _link_kind(url: str) -> str | None:
    host = re.sub(r"^(?:https?://)?", "", url).split("/", 1)[0]
    if re.search(r"(?:^|\.)mercadopago\.", host):
        return "off_platform"  # payment links outside the order (LINK_MERCADOPAGO)
    if lx.OFFICIAL_DOMAINS.search(host + "."):
        return None
    return "external_link"


# --- requests for the buyer's data ----------------------------------------------------------
NOUNS: list[tuple[str, re.Pattern[str]]] = [
    ("request_phone", _compile(
        rf"\b(?:{lx.MESSENGERS}|{lx.PHONE_WORDS}|{lx.NUMBER_WORD}(?:\s+(?:de|do|da|para|pra|pro)\s+"
        rf"(?:{lx.MESSENGERS}|{lx.PHONE_WORDS}|contato|contacto|contactarte|contactarnos|contact|llamarte|"
        rf"ligar|ligacao))?|contato|contacto|contact(?:\s+(?:number|info|details))?|linea)\b")),
    ("request_email", _compile(rf"\b{lx.EMAIL_WORDS}\b")),
    ("request_address", _compile(rf"\b{lx.ADDRESS_WORDS}\b")),
    ("request_document", _compile(rf"\b{lx.DOCUMENT_WORDS}(?![\w])")),
    ("request_social", _compile(rf"\b(?:{lx.SOCIAL}|redes|arroba|user|usuario|username|handle|perfil|profile)\b|"
                                rf"(?<=\s)@(?=\s|$|[?.!,])|"
                                rf"\b(?:perfil|profile)\s+(?:n[oa]s?|d[oa]s?|de|en|on|in)\s+(?:{lx.SOCIAL}|redes)\b")),
    ("request_bank", _compile(rf"\b{lx.BANK_WORDS}\b")),
]
# Nouns that are personal data only when plainly asked for ("qual sua cidade?", "tu CP?").
WEAK_NOUNS = {"cidade", "ciudad", "city", "barrio", "comuna", "municipio", "provincia", "cp", "ubi", "zip", "maps",
              "user", "usuario", "username", "handle", "redes", "linea", "apartamento", "apto", "depto",
              "departamento", "bank", "banco", "token", "identity", "cic", "perfil", "profile"}
DIRECT_ASK = _compile(
    rf"\b(?:(?:me|nos|mi|le)\s+(?:{lx.GIVE_IMPERATIVE}|{lx.WEAK}|da|de|das|des|dar|dice|dices|dizer|dis)|"
    rf"{lx.GIVE_IMPERATIVE}|{lx.ASK}|{lx.MODAL}(?:\s+\w+){{0,2}}\s+(?:me\s+|nos\s+)?{lx.GIVE_INFINITIVE}"
    rf"(?:me|nos|lo|la|le|te|nosla|noslo|mela|melo)?|{lx.NEED}|(?:ser|be)\s+(?:informad|enviad|passad|confirmad|"
    rf"compartilhad|proporcionad|indicad|facilitad|compartid|mandad|dad|provided|sent|shared|confirmed|given)[oa]?s?|{lx.WEAK}\s+(?:\w+\s+){{0,3}}?(?:{lx.TO_ME})\b)"
    rf"(?![\w-])"
)
BARE_IMPERATIVE = _compile(rf"^{lx.GIVE_IMPERATIVE}$")
# Words that may come before a bare imperative at the start of a sentence: "ok, entao manda seu zap".
LEAD_IN = set(
    "por favor pf pfv pls please plis porfa porfavor so soh entao ai ae dale bueno ok okay blz beleza oi ola hola hi "
    "hey e y and just also tambem tb tbm amigo amiga mano vc voce tu vos usted aqui aca agora ahora now then "
    "rapidinho depois luego favor gentileza kindly pode puede se quiser si queres quieres qualquer coisa cualquier "
    "cosa ya ja bom bem".split()
)
HAVE_ASK = _compile(rf"\b{lx.HAVE_Q}\b")
REPORTED_ASK = re.compile(r"pede|pide|pedem|piden|asks\s+for|requests|exigem|exige|solicita|solicitam")
# "me dai tu numero", "me podria regalar su correo": me/nos, a verb or two, then the buyer's own thing.
ME_THEN_YOURS = _compile(rf"\b(?:me|nos)\s+(?:[\w']+\s+){{1,3}}?(?:{lx.YOUR_OWN})\s+(?:\w+\s+(?:de|do|da)\s+)?$")
# "a que numero te puedo marcar?", "qual seu e-mail?": an interrogative right before the noun.
ASKED_WHICH = _compile(r"(?:\b(?:qual|quais|cual|cuales|what|which)|(?:^\s*|¿\s*|\b(?:a|en|de|para|em|pra|por|con|com|"
                       r"to|at)\s+)(?:que|q))\s+(?:(?:o|a|el|la|seu|sua|tu|su|your)\s+)?$")
SOCIAL_MENTION = _compile(rf"\b(?:{lx.SOCIAL}|redes)\b")
# "me passa ele aqui", "dictamelo", "send it to me": the thing named in the previous sentence.
PRONOUN_ASK = _compile(rf"\b(?:(?:me|nos)\s+)?(?:{lx.GIVE_IMPERATIVE})\s*-?\s*(?:ele|ela|eles|isso|esse|essa|o|a)?"
                       rf"(?:\s+(?:pra|para)\s+(?:mim|nos))?\s+(?:aqui|por\s+aqui|aca|here)\b|"
                       rf"(?<=\w)(?:melo|mela|noslo|nosla|selo|sela)\b|\b(?:send|give|tell|text)\s+(?:it|that|them)\s+"
                       rf"(?:to\s+)?(?:me|us)\b")
NEGATED = _compile(rf"\b(?:{lx.NEGATION}|{lx.NO_VERB})\b")
PLATFORM = _compile(rf"\b{lx.PLATFORM}\b")
STRONG_ASK = _compile(rf"\b(?:(?:me|nos)\s+{lx.GIVE_IMPERATIVE}|{lx.ASK}|{lx.GIVE_IMPERATIVE}\s+me)\b")
NUMBER_EXCLUDED = _compile(
    rf"^\s*(?:d[oae]s?|de|del|de\s+la|da|of|on|for)\s+(?:(?:seu|sua|teu|tua|tu|su|your|the|meu|mi|my|esse|este|"
    rf"essa|esta|la|el|o|a)\s+)?{lx.NOT_PHONE_NUMBER}\b"
)
BEFORE_NOT_PHONE = _compile(rf"\b{lx.NOT_PHONE_NUMBER}\s*$")
CALL_AFTER = _compile(r"^\s*(?:(?:pra|para|p/|pa|to|que|q|onde|donde|where)\s+)?(?:\w+\s+){0,3}?"
                      r"(?:ligar|ligo|llamar\w*|"
                      r"llamo|marcar|marco|call|text|contactar\w*|contatar|chamar|falar|hablar|comunicar\w*|whats\w*|"
                      r"zap|wpp|te\s+aviso|avisar)\b")
PRODUCT_PHONE = _compile(
    r"\b(?:modelo|model|marca|brand|tipo|capa|funda|case|carregador|cargador|charger|pelicula|vidrio|tela|pantalla|"
    r"screen|suporte|soporte|holder|cabo|cable|bateria|battery)\s+(?:(?:de|do|da|del|para|pra|pro|for|of|your|seu|"
    r"sua|tu|su)\s+){0,2}$")
CLAUSE_END = re.compile(r"[!?;\n]+|\.(?=\s|$)|[:]\s")
WORD = re.compile(r"[a-z0-9@']+")
ASKING_WHERE = _compile(
    r"\b(?:onde|aonde)\s+(?:(?:o\s+)?(?:senhor|senhora|voce|vc|vcs|voces|tu)\s+)?(?:mora|moram|reside|vive|fica\s+sua\s+"
    r"casa)\b|\b(?:voce|vc|tu)\s+(?:mora|vive|reside)\s+(?:onde|aonde|em\s+qu[ae]l?|perto|longe)\b|"
    r"\bdonde\s+(?:vivis|vives|vive|viven|residis|resides|reside|queda\s+tu\s+casa|estas\s+ubicad\w*)\b|"
    r"\bwhere\s+(?:do\s+)?you\s+live\b|\bwhere\s+(?:is\s+)?your\s+(?:house|home)\b|\bwhere\s+are\s+you\s+(?:located|based)\b|"
    r"\b(?:em|en|de|in|na|no)\s+(?:qu[ae]l?|q|which|what)\s+(?:cidade|ciudad|city|bairro|barrio|comuna|colonia|"
    r"provincia|estado|zona|municipio|town|neighbou?rhood|rua|calle|street|distrito|district|region|regiao|sector|"
    r"setor|localidad|localidade|departamento|andar|piso|predio|edificio)\s+(?:voce|vc|tu|usted|ud)?\s*(?:mora|ta|"
    r"esta|estas|vivis|vives|vive|sos|eres|es|queda|fica|se\s+encuentra|te\s+encuentras|te\s+encontras|se\s+ubica|"
    r"are\s+you|do\s+you\s+live|reside|residis)\b"
)


def _clauses(t: str) -> Iterator[tuple[int, str]]:
    start = 0
    for m in CLAUSE_END.finditer(t):
        yield start, t[start:m.end()]
        start = m.end()
    if start < len(t):
        yield start, t[start:]


def _requests(t: str) -> Iterator[Hit]:
    for m in ASKING_WHERE.finditer(t):
        if not _negated(t, _segment_start(t, m.start()), m.start()):
            yield "request_address", m.start(), m.end()
    social_text = SOCIAL_MENTION.search(t) is not None
    mentioned: list[str] = []  # data nouns of the previous sentence, for "...? me passa ele aqui"
    for offset, clause in _clauses(t):
        asks = [a for a in DIRECT_ASK.finditer(clause) if _is_ask(clause, a)]
        question = "?" in clause
        platform = PLATFORM.search(clause) is not None
        nouns_here: list[str] = []
        for kind, noun in NOUNS:
            for n in noun.finditer(clause):
                if not _is_data_noun(kind, clause, n, social_text):
                    continue
                nouns_here.append(kind)
                cue = _cue_for(clause, n, asks, question, platform)
                if cue is not None:
                    yield kind, offset + min(cue, n.start()), offset + n.end()
        pronoun = PRONOUN_ASK.search(clause)
        if mentioned and pronoun and not _negated(clause, 0, pronoun.start()):
            yield mentioned[0], offset + pronoun.start(), offset + pronoun.end()
        mentioned = nouns_here


def _is_ask(clause: str, ask: re.Match[str]) -> bool:
    """A bare "manda"/"passa" is an order at the start of a sentence or before "seu/tu/your";
    "a impressora manda o scan pro e-mail" is not one."""
    if not BARE_IMPERATIVE.match(ask.group()) or ask.group() not in lx.AMBIGUOUS_IMPERATIVES:
        return True
    before = WORD.findall(clause[_segment_start(clause, ask.start()):ask.start()])
    if all(word in LEAD_IN for word in before[-4:]) and len(before) <= 4:
        return True
    return re.match(rf"\s+(?:{lx.YOUR_OWN})\b", clause[ask.end():]) is not None


def _is_data_noun(kind: str, clause: str, n: re.Match[str], social_text: bool = False) -> bool:
    word = n.group()
    after = clause[n.end():n.end() + 40]
    before = clause[max(0, n.start() - 40):n.start()]
    your = re.search(rf"\b(?:{lx.YOUR})\s*$", before) is not None or re.match(
        r"\s+(?:seu|sua|tuyo|tuya|suyo|suya|yours|de\s+voce|de\s+vc|de\s+usted)\b", after) is not None
    if kind == "request_phone":
        first = word.split()[0]
        if re.fullmatch(lx.NUMBER_WORD, first) and " " not in word:
            # bare "numero": "seu numero", "o numero pra te ligar"; never "numero do pedido"
            if NUMBER_EXCLUDED.match(after) or BEFORE_NOT_PHONE.search(before):
                return False
            interrogative = re.search(r"\b(?:qual|cual|que|what|which|melhor|mejor|best|outro|otro)\s+(?:(?:o|a|el|la|"
                                      r"seu|sua|tu|su|your)\s+)?$", before)
            if not (your or interrogative or CALL_AFTER.match(after)):
                return False
        if first.startswith("contat") or first.startswith("contact"):
            if re.search(r"\b(?:em|en|in|entre|entrar|ponerse|get|stay|keep|entrando|estar|mantener|de|do|da|of|"
                         r"formulario|form|canal|central|area)\s*$", before):
                return False
            if not (your or re.search(r"\b(?:algum|alguma|outro|otro|forma\s+de|meio\s+de|medio\s+de|um|un|una|a)\s*$",
                                      before)):
                return False
        if re.fullmatch(lx.PHONE_WORDS, word) or word in ("celu", "cel", "phone"):
            if PRODUCT_PHONE.search(before) or re.match(
                    r"\s*(?:novo|nuevo|new|samsung|iphone|xiaomi|motorola|lg|que\s+(?:voce|vc|tu)\s+(?:comprou|usa)|"
                    r"comprado|vai|va|esta|chegou|llego|case|capa|funda|carregador|cargador|charger|model|modelo|"
                    r"galaxy|moto|redmi|poco|realme|nokia|huawei|apple|oppo|vivo|infinix|tcl|positivo|multilaser|"
                    r"[a-z]{0,3}\d+[a-z]*|"
                    r"brand|marca|screen|(?:com|con|with)\s+(?:o\s+|el\s+|a\s+)?(?:carregador|cargador|charger|capa|"
                    r"funda|case|fone|caixa|caja|box|nota|garantia|película|pelicula))\b", after):
                return False
        if re.fullmatch(lx.MESSENGERS, word) and re.match(r"\s*(?:web|business)\b", after) is None and re.search(
                r"\b(?:notifica\w*|notification\w*|alerta\w*|mensagens\s+d[oe]|mensajes\s+de|messages?\s+from)\s+"
                r"(?:d[oe]l?\s+|from\s+)?$", before):
            return False  # "notificacoes do WhatsApp" on a smartwatch
    if kind == "request_email" and re.match(
            r"\s*(?:d[oa]|de|del|from)\s+(?:mercado|ml|meli|confirmac|confirmacao|notific)", after):
        return False
    if kind == "request_bank":
        if word == "alias" and not re.search(r"\b(?:cbu|cvu|cuenta|transfer|banco|mp|mercado\s*pago|devoluc|reembols)",
                                             clause):
            return False
        if word in ("paypal",) or word.startswith("mercado"):
            return your or bool(re.search(r"\b(?:cuenta|conta|account|email|mail|correo|alias)\s+(?:de\s+|d[oe]\s+)?$",
                                          before))
        if word in ("cartao", "tarjeta", "card") and not re.search(
                r"\b(?:numero|number|dados|datos|details|digitos|digits|cvv|codigo|code|vencimento|vencimiento|"
                r"validade|vence|expir\w*|caducidad|foto|frente|verso)", clause):
            return False
        if word in ("token", "senha", "contrasena", "password", "clave") and re.search(
                r"\b(?:wifi|wi-fi|roteador|router|modem|padrao|default|fabrica|bluetooth|pareamento)", clause):
            return False
    if kind == "request_social" and word in ("face", "snap", "ig", "insta") and not (
            your or re.match(r"\s*\?", after) or re.search(rf"\b(?:{lx.HAVE_Q}|no|na|en|on|de|do)\s*$", before)):
        return False
    if kind == "request_document" and word in ("rg", "ine", "nit", "ruc", "cic", "identity") and not your and not \
            re.search(r"\b(?:o|el|la|a|do|da|de|your|numero|number|foto|copia|copy)\s*$", before):
        return False
    if word in ("perfil", "profile", "user", "usuario", "username", "handle") and not social_text:
        return False
    if word.split()[0] in WEAK_NOUNS:
        return your or bool(re.search(r"\b(?:qual|quais|cual|cuales|que|q|what|which)\s+(?:(?:e|es|is)\s+)?"
                                      r"(?:(?:o|a|el|la|seu|sua|tu|su|your)\s+)?$", before))
    return True


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
        if _negated(clause, _segment_start(clause, first), ask.end() if first == ask.start() else n.start()) or (
                first == n.start() and _negated(clause, n.end(), ask.end())):
            continue
        return ask.start()
    me_yours = ME_THEN_YOURS.search(clause[max(0, n.start() - 60):n.start()])
    if me_yours and not platform and not _negated(clause, _segment_start(clause, n.start()), n.start()):
        return n.start() - (len(clause[max(0, n.start() - 60):n.start()]) - me_yours.start())
    if question:
        for have in HAVE_ASK.finditer(clause):
            if 0 <= _word_gap(clause, have, n) <= 3 and not _negated(clause, _segment_start(clause, have.start()),
                                                                     have.end()):
                return have.start()
        lead = clause[:n.start()]
        if re.fullmatch(r"\s*(?:¿\s*)?(?:(?:e|y|and|o|el|la|a|que|q|qual|cual|what|which|em\s+que|en\s+que|de\s+que)"
                        r"\s+)?(?:(?:seu|sua|teu|tua|tu|su|your|ur)\s+)?", lead):
            return n.start()  # "E seu whats?" / "tu mail?" / "que colonia?"
        if ASKED_WHICH.search(clause[:n.start()]) \
                and not platform and not _negated(clause, 0, n.start()):
            return n.start()  # "a que numero te puedo marcar?"
    if re.search(r"\b(?:por\s+favor|porfa|porfavor|pls|please|plis|pf|pfv)\b", clause) and not platform:
        words_in = WORD.findall(clause)
        position = len(WORD.findall(clause[:n.start()]))
        if len(words_in) <= 12 and position <= 4 and not NEGATED.search(" ".join(words_in)) and \
                not re.search(rf"\b{lx.WEAK}\b", clause):
            return n.start()  # "CPF e e-mail, por favor."
    return None


def _asks_here(clause: str) -> bool:
    return re.search(r"\b(?:por\s+aqui|aqui|por\s+aca|aca|here|neste\s+chat|en\s+este\s+chat|pra\s+mim|para\s+mim)\b",
                     clause) is not None


def _word_gap(clause: str, ask: re.Match[str], noun: re.Match[str]) -> int:
    """Words from the cue to the noun: positive when the cue comes first."""
    if ask.end() <= noun.start():
        return len(WORD.findall(clause[ask.end():noun.start()]))
    if noun.end() <= ask.start():
        return -len(WORD.findall(clause[noun.end():ask.start()])) - 1
    return 0


def _segment_start(clause: str, position: int) -> int:
    cut = max(clause.rfind(",", 0, position), clause.rfind(" mas ", 0, position), clause.rfind(" pero ", 0, position),
              clause.rfind(" but ", 0, position))
    return cut + 1 if cut >= 0 else 0


def _negated(text: str, start: int, end: int) -> bool:
    if start > 0 and LIST_ITEM.search(text[start:end]) and not NEW_CLAUSE.match(text[start:end]):
        start = _segment_start(text, start - 1)  # "nunca pedimos dados, senhas ou pagamentos fora"
    tail = " ".join(WORD.findall(text[start:end])[-10:])
    return NEGATED.search(tail) is not None


LIST_ITEM = re.compile(r"\b(?:ou|or|o|ni|nem|nor|y|e|and)\b")
NEW_CLAUSE = re.compile(r"\s*(?:so|solo|just|only|mas|pero|but|entao|entonces|then|ai|dai|por\s+favor|please|"
                        r"porfa|agora|ahora|now)\b")


# --- off the platform ------------------------------------------------------------------------------
_LETS = (r"(?:podemos|vamos|posso|poderiamos|prefere|prefiere|preferis|quer|quiere|queres|gostaria|could\s+we|"
         r"can\s+we|shall\s+we|let'?s|prefer|would\s+you\s+like\s+to|se\s+preferir|si\s+preferis|si\s+prefiere|"
         r"melhor|mejor|better|mais\s+facil|mas\s+facil|easier)")
_CLITIC_VERB = (r"(?:me|nos)\s+(?:manda|mande|envia|envie|escreve|escreva|liga|ligue|chama|chame|add|adiciona|"
                r"agrega|contacta|llama|escribi|escribe|escriba)|te\s+(?:mando|envio|escribo|llamo|ligo|chamo|"
                r"contacto|contato|add|adiciono|agrego)|mandame|enviame|escribime|escribeme|llamame|llamanos|"
                r"escribinos|contactame|contactanos|email\s+me|call\s+me|text\s+me|call\s+us|text\s+us|email\s+us|"
                r"(?:give|send)\s+(?:me|us)\s+an?\s+(?:call|email|text|message|ring)")
# (pattern, whether a negation before it makes it innocent)
OFF_PLATFORM: list[tuple[re.Pattern[str], bool]] = [
    (_compile(rf"\b{lx.CONTACT_VERB}\b(?:\s+[\w@']+){{0,4}}?\s+{lx.VIA}\s+(?:(?:o|a|el|la|my|our|meu|minha|nosso|"
              rf"nossa|mi|nuestro|seu|sua|tu|su)\s+)?{lx.CHANNEL}\b"), True),
    (_compile(rf"\b(?:pelo|pela|por|via|no|na|en|on|over|through|pro|pra|al|to)\s+(?:o\s+|el\s+)?(?:{lx.MESSENGERS}|"
              rf"direct|dm|inbox|privado|pv|pvt)\b"), True),
    (_compile(rf"\b(?:{_CLITIC_VERB})\b(?:\s+(?:um|uma|un|una|an?|o|el|la|no|na|en|por|pelo|pela|al|on|at|via|ao|a|"
              rf"meu|mi|my))*\s+(?:{lx.PERSONAL_CHANNEL}|msg|mensagem|mensaje|mensajito|audio|{lx.MESSENGERS}|"
              rf"{lx.SOCIAL}|direct|dm|privado)\b|\b(?:{_CLITIC_VERB})\s+(?:(?:no|al|at|to|on)\s+)?\+?\d"), True),
    (_compile(r"\b(?:te\s+ligo|te\s+llamo|me\s+liga|me\s+ligue|llamame|llamanos|call\s+me|call\s+us|give\s+(?:me|us)\s+"
              r"a\s+(?:call|ring)|text\s+me|text\s+us|dm\s+me|dm\s+us|me\s+chama|chama\s+no|whatsapp\s+me|"
              r"hit\s+me\s+up|ligue\s+para\s+(?:a\s+gente|nos|o\s+numero)|llama\s+al)\b"), True),
    (_compile(lx.OFF_SITE), True),
    (_compile(rf"\b{_LETS}\s+(?:\w+\s+){{0,2}}?(?:falar|conversar|hablar|resolver|seguir|continuar|talk|continue|"
              rf"chat|speak|atender|te\s+atender|atenderte|explicar|te\s+explicar|explicarte|ligar|llamar|call)"
              rf"\s+(?:\w+\s+){{0,2}}?(?:por|pelo|pela|via|on|over|al|en|no|na|by)\s+(?:o\s+|el\s+|la\s+|the\s+)?"
              rf"{lx.PERSONAL_CHANNEL}\b"), True),
    (_compile(rf"\b{lx.MINE}\s+{lx.OWN_CHANNEL}\b"), True),
    (_compile(rf"\b{lx.MINE}\s+{lx.OWN_PAYMENT}\b"), True),
    (_compile(rf"\b{lx.ALT_PAYMENT}\b"), True),
    (_compile(r"\b(?:transferencia|deposito|pix|pagamento|pago|payment|transfer)\s+(?:bancari[ao]\s+)?(?:direct[ao]|"
              r"diret[ao]|directamente|diretamente|directly|a\s+nosotros|a\s+mi|pra\s+mim|para\s+mim|pra\s+gente|"
              r"para\s+nos|pra\s+nos|to\s+us|to\s+me)\b"), True),
    (_compile(r"\b(?:ahorr\w*|econom\w*|evit\w*|sin|sem|save|avoid|pular|skip|pagar\s+menos|no\s+pagar|nao\s+pagar|"
              r"no\s+pagamos|nao\s+pagamos)\s+(?:\w+\s+){0,3}(?:comision|comissao|taxa|tarifa|fees?|commission)\b"),
     False),
    (_compile(rf"\b{lx.PAY_VERB}\b(?:\s+\w+){{0,4}}?\s+{lx.CASH}\b"), True),
    (_compile(r"\b(?:faz|faca|fazer|faria|manda|mande|envia|envie|me\s+faz|me\s+manda|paga|pague|me\s+pagar|"
              r"transfere|transfira)\s+(?:um\s+|o\s+|a\s+|uma\s+|no\s+|via\s+|por\s+|pelo\s+|com\s+)?pix\b"), True),
    (_compile(r"\bpix\s+(?:pra|para|pro)\s+(?:mim|nos|a\s+gente|minha|nossa|meu|nosso|esse|este|o\s+numero|a\s+chave|"
              r"o\s+cnpj|o\s+cpf|o\s+email|o\s+e-mail|o\s+celular|o\s+telefone|\d)"), True),
    (_compile(r"\b(?:segue|anota|te\s+passo|te\s+mando|vou\s+te\s+passar|aqui\s+(?:esta|vai))\s+(?:a\s+|o\s+|minha\s+|"
              r"nossa\s+)?(?:chave(?:\s+d[oe])?\s+pix|pix|dados\s+(?:bancarios|da\s+conta)|conta)\b|"
              r"\bchave(?:\s+d[oe])?\s+pix\s*(?:e|eh|:|=)"), True),
    (_compile(r"\b(?:transferime|transferinos|transferile|depositame|depositanos|pagame|paganos|pay\s+me|pay\s+us|"
              r"send\s+(?:me|us)\s+the\s+(?:money|payment)|wire\s+(?:me|us)|te\s+paso\s+(?:mi|el|la|nuestro|nuestra)\s+"
              r"(?:cbu|cvu|alias|cuenta|clabe|numero\s+de\s+cuenta|datos|link)|a\s+(?:mi|nuestra)\s+cuenta|"
              r"(?:en|a)\s+mi\s+(?:cbu|cvu|alias|clabe)|(?:para|pra)\s+(?:minha|nossa)\s+conta|to\s+(?:my|our)\s+"
              r"(?:account|bank|paypal))\b"), True),
    (_compile(r"\b(?:te|le|vos|lhe)\s+(?:genero|gero|mando|paso|passo|envio|armo|hago|faco|mandamos|enviamos|"
              r"generamos|geramos)\s+(?:un|uma|um|el|o|otro|outro|novo|nuevo)?\s*(?:link|enlace|qr|boleto|cobro|"
              r"cobranca)(?:\s+(?:de|do|para|pra)\s+(?:pago|pagamento|pagar|mercado\s*pago|pix|cobro))?\b"), True),
    (_compile(rf"\b{lx.BUY_VERB}\b(?:\s+[\w']+){{0,4}}?\s+{lx.OWN_STORE}\b(?!\s*(?:{lx.HERE}))"), True),
    (_compile(rf"\b{lx.CHEAPER}\b(?:\s+[\w']+){{0,6}}?\s+(?:{lx.OWN_STORE}|por\s+fora|por\s+fuera|no\s+pix|"
              rf"via\s+pix|(?:por|con|com|via|en|no|pelo)\s+(?:transferencia|deposito|efectivo|dinheiro|pix|whats\w*|"
              rf"zap|wpp)|outside|fora|fuera|site|web)\b"), True),
    (_compile(rf"\b(?:{lx.OWN_STORE}|por\s+fora|por\s+fuera|outside)\b(?:\s+[\w']+){{0,6}}?\s+{lx.CHEAPER}\b"), True),
    (_compile(rf"\b(?:cancela|cancele|cancelar|cancel|anula|desiste|desista)\b(?:\s+[\w']+){{0,4}}?\s+"
              rf"(?:e|y|and|que|pra|para)\s+(?:\w+\s+){{0,2}}(?:{lx.BUY_VERB}|te\s+vendo|te\s+mando|"
              rf"te\s+envio)\b"), True),
    (_compile(rf"\b(?:{lx.NEGATION}|no)\s+(?:\w+\s+){{0,3}}?{lx.OPEN_CLAIM}\s+(?:\w+\s+){{0,3}}?{lx.CLAIM}"), False),
    (_compile(rf"\b{lx.CLOSE_CLAIM}\s+(?:\w+\s+){{0,3}}?{lx.CLAIM}"), True),
    (_compile(r"\b(?:nos\s+segue|nos\s+siga|siga\s+(?:a\s+gente|nossa|nosso|a\s+loja)|segue\s+a\s+gente|sigam|"
              r"siganos|siguenos|seguinos|follow\s+(?:us|me|our)|me\s+segue|me\s+sigue|seguime|(?:procura|procure|"
              r"busca|busque|buscanos|search(?:\s+for)?|google)\s+(?:\w+\s+){0,3}(?:a\s+gente|nossa\s+loja|nosso\s+"
              r"(?:nome|perfil)|nuestra\s+tienda|nuestro\s+(?:nombre|perfil)|our\s+(?:store|name|page)|us|"
              r"(?:a|la)\s+(?:loja|tienda))\s+(?:no|na|en|on)\s+(?:\w+))\b"), True),
    (_compile(r"\b(?:te|lhe)\s+(?:ligar|ligo|llamar|llamo|telefonar|telefono)\b|\bllamarte\b|\bcall\s+you\b|"
              r"\bligar\s+(?:pra|para)\s+(?:voce|vc|o\s+senhor|a\s+senhora)\b"), True),
    (_compile(r"\b(?:(?:me|nos)\s+(?:procura|procure|busca|busque|acha|ache|encontra|encontre)|buscanos|procuranos|"
              r"search\s+us|find\s+us|look\s+us\s+up|encontranos)\s+(?:\w+\s+){0,2}(?:no|na|en|on)\s+"
              r"(?:" + lx.SOCIAL + "|" + lx.MESSENGERS + r"|google)\b"), True),
    (_compile(r"\b(?:acesse|acessa|visite|visita|entra|entre|ingresa|ingrese|visit|check\s+out|conhe[cç]a|mira|"
              r"olha|confira)\s+(?:o\s+|a\s+|el\s+|la\s+)?(?:nosso|nossa|nuestro|nuestra|our|meu|minha|mi)\s+"
              r"(?:site|sitio|web|pagina|loja|tienda|website|store|shop|catalogo|instagram|insta)\b"),
     True),
    (_compile(r"\b(?:grupo|group|canal|channel|lista\s+de\s+transmissao|lista\s+de\s+difusion)\s+(?:d[oe]l?\s+|no\s+|"
              r"en\s+|on\s+)?(?:whats\w*|zap|wpp|telegram)\b"), True),
]
THIRD_PARTY = _compile(
    r"\b(?:mercado\s*li[bv]re|meli|ml|correios?|transportadora|carrier|courier|o\s+app|la\s+app|the\s+app|"
    r"impressora|impresora|printer|relogio|reloj|smartwatch|watch|aparelho|equipo|dispositivo|device|banco|bank|"
    r"golpistas?|estafadores?|scammers?|alguem|alguien|someone|anyone|nadie|ninguem|entregador|repartidor|motoboy|"
    r"driver|cartero|carteiro|fabricante|manufacturer|suporte\s+tecnico|soporte\s+tecnico)\b|"
    r"\b(?:si|se|if|caso|cuando|quando)\s+(?:\w+\s+)?(?:te|lhe|you|le|vos)\s+(?:contactan|escriben|llaman|piden|"
    r"mandan|envian|hablan|chamarem|ligarem|pedirem|mandarem|escreverem|contatarem|procurarem|contacts?|calls?|"
    r"messages?|asks?|texts?|writes?|reaches)\b")


WARNING = _compile(r"\b(?:golpe\w*|golpista\w*|estafa\w*|scam\w*|fraud\w*|phishing|cuidado\s+com|cuidado\s+con|"
                   r"beware|se\s+passando|haciendose\s+pasar|pretending|claiming\s+to\s+be|em\s+nosso\s+nome|"
                   r"en\s+nuestro\s+nombre|a\s+nombre\s+nuestro|in\s+our\s+name|em\s+nome\s+da\s+loja)\b")


def _off_platform(t: str) -> Iterator[Hit]:
    for pattern, negatable in OFF_PLATFORM:
        for m in pattern.finditer(t):
            segment = _segment_start(t, m.start())
            if negatable and _negated(t, segment, m.start() + len(m.group().split()[0])):
                continue
            if THIRD_PARTY.search(" ".join(WORD.findall(t[segment:m.start()]))) or WARNING.search(t):
                continue  # "o Mercado Livre te manda um e-mail", "se alguem te chamar no whats, e golpe"
            if re.search(rf"^(?:\s+\w+){{0,6}}?\s*(?:{lx.HERE}|(?:no|na|pelo|pela|en|en\s+el|por|on|in)\s+"
                         rf"(?:carrinho\s+"
                         rf"d[oe]\s+|carrito\s+de\s+)?(?:mercado\s*li[bv]re|meli|ml)\b)", t[m.end():m.end() + 60]) \
                    and "pix" not in m.group():
                continue
            yield "off_platform", m.start(), m.end()


# --- the verdict ------------------------------------------------------------------------------------
def check_outgoing(text: str) -> Verdict:
    """Whether `text` may be sent to a buyer; when not, which rule it breaks and where."""
    if not text or not text.strip():
        return ALLOWED
    t, origin = fold(text)
    for detector in (_contact_data, _links):
        for kind, start, end in detector(t, text, origin):
            if kind:
                return _verdict(kind, start, end, origin)
    for kind, start, end in _requests(t):
        return _verdict(kind, start, end, origin)
    for kind, start, end in _off_platform(t):
        return _verdict(kind, start, end, origin)
    return ALLOWED


def _verdict(kind: str, start: int, end: int, origin: Sequence[int]) -> Verdict:
    if not origin:
        return Verdict(False, kind, None)
    end = max(end, start + 1)
    return Verdict(False, kind, (origin[start], origin[min(end, len(origin)) - 1] + 1))
