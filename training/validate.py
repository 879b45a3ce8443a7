"""The rules trainers' changes to NLU examples and responses must pass before they are committed.

`rasa data validate` checks that the files fit together (intents declared, stories consistent),
not what hurts this bot in particular: an intent with too few examples in one language (the
model then understands that language worse), a response without its es variation (a Spanish
speaker gets Portuguese), the same message taught under two intents or pasted into the wrong
language folder (the model cannot learn both), personal data copied from a real conversation
into the repository, or a response that Mercado Libre's moderation would flag. Every problem
names a file and a line, so the trainer can jump straight to it.

`scripts/validate_data.py` is the command line; `check(root)` runs our rules and
`rasa_problems(root)` runs Rasa's validator strictly.
"""

from __future__ import annotations

import math
import re
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode, SequenceNode

from postsale.nlu_examples import Block, Example, compose, node_mapping, normalise, plain_text, read_blocks

REPO = Path(__file__).resolve().parents[1]
MIN_HELP_AND_COMPLAINT = 30  # the intents that answer with order data or hand a complaint over
MIN_OTHER = 15
# A language guess is only trusted on examples of at least LANGUAGE_MIN_WORDS words and with a
# log-odds of at least LANGUAGE_MARGIN: greetings and interjections ("hello", "chau", "nada mas")
# are written in both countries and the guesser gets them wrong, and a false alarm costs a trainer's
# time. Measured on data/nlu (3,855 examples): 2 warnings, while 6 of 6 sentences pasted into the
# wrong folder ("cade meu pedido" in es, "no me llego" in pt) are caught.
LANGUAGE_MIN_WORDS = 3
LANGUAGE_MARGIN = 8.0
# Harmless values for response placeholders, shaped like what the actions really fill in, so
# the outgoing-text guard sees realistic sentences (an order number must not look like a phone).
# tests/unit/test_guard_responses.py renders the domain with this same table.
SAMPLES = {
    "amount": "R$ 1.299,90", "carrier": "Correios", "cost_text": "grátis", "extended_date": "05/12/2026",
    "installments": "10", "invoice_date": "28/11/2026", "items": "Tênis Corrida Pro 42",
    "limit_date": "04/12/2026", "method": "Pix", "mode_text": "Mercado Envios Full", "opens_at": "30/11 às 09:00",
    "order_number": "2000010000000101", "order_ref": "pedido 2000010000000101", "pack_id": "2000010000000101",
    "payment_status_text": "aprovado", "promised_date": "02/12/2026", "refunded": "R$ 89,90",
    "request_kind": "devolução", "return_status_text": "a caminho do vendedor", "status_text": "a caminho",
    "tracking_number": "BR123456789BR",
}
DEFAULT_SAMPLE = "exemplo"
PLACEHOLDER = re.compile(r"\{(\w+)\}")

__all__ = ["Block", "Example", "Problem", "check", "normalise", "plain_text", "rasa_problems"]


@dataclass(frozen=True)
class Problem:
    """One finding, printed as `path:line: message` (prefixed with `warning: ` when it does not fail)."""

    path: str
    line: int
    message: str
    rule: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{'warning: ' if self.warning else ''}{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Variation:
    """One variation of a response, with the language its condition selects (None: unconditional)."""

    lang: str | None
    texts: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Response:
    name: str
    line: int
    variations: tuple[Variation, ...]


@dataclass(frozen=True)
class Domain:
    intents: dict[str, int]  # name -> line
    responses: tuple[Response, ...]


# --- reading, with line numbers ----------------------------------------------------------------
Catalogue = Any  # postsale/catalogue.py of the project being checked, loaded by path
def read_nlu(root: Path) -> list[Block]:
    """Every intent block of data/nlu/pt and data/nlu/es, in file order, pt first."""
    return read_blocks(root / "data" / "nlu", root=root)


def _condition_language(condition: Any) -> str | None:
    for item in condition if isinstance(condition, list) else []:
        if isinstance(item, dict) and item.get("type", "slot") == "slot" and item.get("name") == "language":
            return str(item.get("value"))
    return None


def read_domain(root: Path) -> Domain:
    """Intents and responses of domain.yml, with the line each one starts on."""
    document = compose(root / "domain.yml")
    fields = node_mapping(document)
    intents: dict[str, int] = {}
    intent_nodes = fields.get("intents", (None, None))[1]
    for item in intent_nodes.value if isinstance(intent_nodes, SequenceNode) else []:
        name_node = item if isinstance(item, ScalarNode) else next(iter(item.value))[0]
        intents.setdefault(str(name_node.value), name_node.start_mark.line + 1)
    responses = []
    for name, (key, value) in node_mapping(fields.get("responses", (None, None))[1]).items():
        variations = []
        for item in value.value if isinstance(value, SequenceNode) else []:
            data = SafeConstructor().construct_document(item)
            if not isinstance(data, dict):
                continue
            texts = [data.get("text")] + [b.get("title") for b in data.get("buttons") or [] if isinstance(b, dict)]
            text_node = node_mapping(item).get("text", (None, item))[1]
            variations.append(Variation(_condition_language(data.get("condition")),
                                        tuple(str(t) for t in texts if t), text_node.start_mark.line + 1))
        responses.append(Response(name, key.start_mark.line + 1, tuple(variations)))
    return Domain(intents, tuple(responses))


# --- rules -------------------------------------------------------------------------------------
def check_example_counts(domain: Domain, blocks: list[Block], cat: Catalogue) -> list[Problem]:
    """Rule 1: each intent has enough examples in each language; channel-only intents have none."""
    problems = []
    by_intent: dict[tuple[str, str], list[Block]] = defaultdict(list)
    for block in blocks:
        by_intent[block.intent, block.lang].append(block)
    for block in blocks:
        if block.intent not in domain.intents and by_intent[block.intent, block.lang][0] is block:
            problems.append(Problem(block.path, block.line, f"intent {block.intent} is not in domain.yml — add it "
                                    "under intents: or move these examples to an existing intent", "examples"))
    for intent, line in domain.intents.items():
        for lang in cat.LANGUAGES:
            here = by_intent.get((intent, lang), [])
            count = sum(len(b.examples) for b in here)
            if intent.startswith(cat.CHANNEL_PREFIX):
                if count:
                    problems.append(Problem(here[0].path, here[0].line, f"intent {intent} is sent by the Mercado "
                                            f"Libre channel, nobody types it — remove its {count} example(s)",
                                            "examples"))
                continue
            routed = intent in cat.HELP_INTENTS or intent in cat.COMPLAINT_INTENTS
            needed = MIN_HELP_AND_COMPLAINT if routed else MIN_OTHER
            kind = "Help and Complaint intents need" if routed else "every intent needs"
            if not here:
                problems.append(Problem("domain.yml", line, f"intent {intent} has no examples in data/nlu/{lang}/ "
                                        f"({kind} {needed} per language) — add a \"- intent: {intent}\" block with "
                                        f"at least {needed} {lang} examples to a file of data/nlu/{lang}/", "examples"))
            elif count < needed:
                biggest = max(here, key=lambda b: len(b.examples))
                problems.append(Problem(biggest.path, biggest.line, f"intent {intent} has {count} {lang} example(s), "
                                        f"{kind} {needed} — add {needed - count} more under this block", "examples"))
    return problems


def check_response_languages(domain: Domain, cat: Catalogue) -> list[Problem]:
    """Rule 2: every response has a pt and an es variation (the `language` slot picks one)."""
    problems = []
    for response in domain.responses:
        present = {v.lang for v in response.variations}
        missing = [lang for lang in cat.LANGUAGES if lang not in present]
        if missing:
            how = " and ".join(f"condition: [{{type: slot, name: language, value: {lang}}}]" for lang in missing)
            problems.append(Problem("domain.yml", response.line, f"response {response.name} has no "
                                    f"{' and no '.join(missing)} variation — add one with {how}", "responses"))
    return problems


def _conflict(first: Example, other: Example) -> str | None:
    quoted = f'"{other.plain}"'
    if first.intent != other.intent and first.lang != other.lang:
        return (f"{quoted} is under intent {other.intent} here ({other.lang}) and under {first.intent} in "
                f"{first.where} ({first.lang}) — keep it in one intent, in the folder of its language")
    if first.intent != other.intent:
        return (f"{quoted} is under intent {other.intent} here and under {first.intent} in {first.where} — keep it "
                "in one intent")
    if first.lang != other.lang and len(normalise(other.text).split()) > 1:
        return (f"{quoted} is in both language folders: here ({other.lang}) and in {first.where} ({first.lang}) — "
                "keep it only in the folder of its language")
    return None


def check_duplicates(blocks: list[Block]) -> list[Problem]:
    """Rule 3: the same message is never taught as two intents, nor in both language folders.

    A one-word example under the same intent in both folders is fine: "ok", "claro", "nada" or a
    bare order number are typed in both countries, and removing one copy would make the language
    guesser (postsale/language.py) take every Spanish "ok" for Portuguese. A sentence in both
    folders is a paste into the wrong one.
    """
    groups: dict[str, list[Example]] = defaultdict(list)
    for block in blocks:
        for example in block.examples:
            groups[normalise(example.text)].append(example)
    problems = []
    for same in groups.values():
        first = same[0]
        for other in same[1:]:
            message = _conflict(first, other)
            if message:
                problems.append(Problem(other.path, other.line, message, "duplicates"))
    return problems


def check_example_language(blocks: list[Block], cat: Catalogue, margin: float = LANGUAGE_MARGIN) -> list[Problem]:
    """Rule 4 (warnings only): an example the language guesser confidently places in the other language.

    Uses postsale.language's naive Bayes, trained on these folders minus the example itself (left
    in, the example would vote for its own folder), and only on examples of LANGUAGE_MIN_WORDS
    words or more: short messages are ambiguous. A warning does not fail the check.
    """
    from postsale.language import LanguageModel, features

    model = LanguageModel({lang: [e.plain for b in blocks for e in b.examples if b.lang == lang]
                           for lang in cat.LANGUAGES})
    if len(model.counts) < 2:
        return []
    problems = []
    for block in blocks:
        for example in block.examples:
            found = features(example.plain)
            if sum(kind == "w" for kind, _ in found) < LANGUAGE_MIN_WORDS:
                continue
            own = Counter(found)
            scores = {}
            for lang, counts in model.counts.items():
                mine = lang == example.lang
                total = model.totals[lang] - (len(found) if mine else 0) + 0.5 * model.size
                scores[lang] = sum(math.log((counts[f] - (own[f] if mine else 0) + 0.5) / total) for f in found)
            guess = max(scores, key=scores.get)
            if guess != example.lang and scores[guess] - scores[example.lang] >= margin:
                problems.append(Problem(example.path, example.line, f'"{example.plain}" looks {guess}, not '
                                        f"{example.lang} (postsale/language.py) — if it is, move it to "
                                        f"data/nlu/{guess}/", "language", warning=True))
    return problems


def render(template: str) -> str:
    """A response as a buyer would see it, with harmless sample values in its `{placeholders}`."""
    return PLACEHOLDER.sub(lambda m: SAMPLES.get(m.group(1), DEFAULT_SAMPLE), template)


def check_response_guard(domain: Domain) -> list[Problem]:
    """Rule 5: no response is refused by the outgoing-text guard (Mercado Libre would moderate it)."""
    from postsale.guard import EXPLANATIONS, check_outgoing

    problems = []
    for response in domain.responses:
        for variation in response.variations:
            for template in variation.texts:
                text = render(template)
                verdict = check_outgoing(text)
                if not verdict.allowed:
                    problems.append(Problem(
                        "domain.yml", variation.line,
                        f"response {response.name} ({variation.lang or 'no language'}) is refused by the "
                        f"outgoing-text guard: {verdict.kind} at \"{verdict.excerpt(text)}\" "
                        f"({EXPLANATIONS.get(verdict.kind or '', '')}) — rephrase it", "guard"))
    return problems


def check_personal_data(blocks: list[Block]) -> list[Problem]:
    """Rule 6: no e-mail, phone or document number in examples (they stay in git and in the model)."""
    from postsale.masking import mask

    problems = []
    for block in blocks:
        for example in block.examples:
            masked = mask(example.plain)
            if masked != example.plain:
                problems.append(Problem(example.path, example.line, f'"{example.plain}" contains personal data '
                                        f'(masked: "{masked}") — remove it: examples never carry a buyer\'s '
                                        "e-mail, phone or document (order numbers are fine)",
                                        "personal_data"))
    return problems


def check(root: Path = REPO, language_guess: bool = True) -> list[Problem]:
    """All our rules on the project at `root`; problems with `warning=True` do not fail the check."""
    from training import catalogue_rules

    cat = catalogue_rules.load_catalogue(root)
    domain = read_domain(root)
    blocks = read_nlu(root)
    problems = (catalogue_rules.check(root, cat, domain.intents, blocks)
                + check_example_counts(domain, blocks, cat) + check_response_languages(domain, cat)
                + check_duplicates(blocks) + check_response_guard(domain) + check_personal_data(blocks))
    if language_guess:
        problems += check_example_language(blocks, cat)
    return problems


# --- rasa data validate, strictly --------------------------------------------------------------
UNUSED = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
CHANNEL_ONLY = re.compile(r"intent '(system_\w+)'", re.IGNORECASE)
IGNORED = ("DeprecationWarning", "MovedIn20Warning", "pkg_resources", "declare_namespace",
           "jax.xla_computation")


def rasa_problems(root: Path = REPO) -> tuple[list[str], int]:
    """`rasa data validate` where any warning fails, except responses our custom actions utter.

    Rasa's validator only looks at stories and rules, so it reports responses such as
    `utter_order_status` (uttered by action_answer_help) as unused. Those are accepted when the
    response name appears in actions/, or is a form's `utter_ask_<slot>` question; warnings about
    the channel-only `system_*` intents are accepted too. Returns the problem lines and Rasa's
    exit code.
    """
    proc = subprocess.run([str(REPO / ".venv" / "bin" / "rasa"), "data", "validate"],
                          cwd=root, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    actions_source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "actions").rglob("*.py")))
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8")) or {}
    form_questions = {f"utter_ask_{slot}" for form in (domain.get("forms") or {}).values()
                      for slot in form.get("required_slots") or []}
    problems = []
    for line in output.splitlines():
        if not re.search(r"UserWarning|WARNING|ERROR", line) or any(i in line for i in IGNORED):
            continue
        if CHANNEL_ONLY.search(line):
            continue  # system_* intents are sent by the marketplace channel, never typed
        unused = UNUSED.search(line)
        if unused and (f'"{unused.group(1)}"' in actions_source or unused.group(1) in form_questions):
            continue
        problems.append(line.strip())
    return problems, proc.returncode
