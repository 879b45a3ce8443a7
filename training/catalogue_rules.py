"""Everything that lists intents must agree with the intent catalogue (postsale/catalogue.py).

Rasa needs intents written in domain.yml, in the rules that route them and in the NLU data,
and the test stories prove each one end to end; none of those can import Python. So they are
checked against the catalogue instead, and a place forgotten fails here with the file and line
to fix, never silently in a buyer's conversation:

* domain.yml declares exactly the catalogue's intents; `help_topic` is not mapped by hand;
* data/rules.yml starts the order form for exactly the Help intents, and every rule that hands
  complaints over lists every Complaint intent and `request_human`;
* every intent of data/nlu/<lang>/ is in the catalogue (counts per language: validate.py);
* every Help topic's answer function exists (read from actions/answers/, not imported);
* every response the actions utter is in domain.yml;
* tests/test_stories.yml has a `pt ...` and an `es ...` story for every Help and Complaint intent.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from postsale.nlu_examples import Block, compose, node_mapping

CATALOGUE = "postsale/catalogue.py"
RULES = "data/rules.yml"
TEST_STORIES = "tests/test_stories.yml"
ANSWERS = "actions/answers"
RESPONSE_NAME = re.compile(r"utter_[a-z0-9_]+")


def load_catalogue(root: Path) -> ModuleType:
    """The catalogue of the project at `root` (a copy being edited may differ from this one)."""
    path = root / CATALOGUE
    if not path.exists():
        from postsale import catalogue

        return catalogue
    name = "_catalogue_" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


def check(root: Path, cat: Any, domain_intents: dict[str, int], blocks: list[Block]) -> list[Any]:
    from training.validate import Problem

    source = (root / CATALOGUE).read_text(encoding="utf-8") if (root / CATALOGUE).exists() else ""
    where = _Lines(source)
    found: list[tuple[str, int, str]] = []
    found += _domain(root, cat, domain_intents, where)
    found += _rules(root, cat, where)
    found += _nlu(cat, blocks)
    found += _answers(root, cat, where)
    found += _responses(root)
    found += _test_stories(root, cat, where)
    return [Problem(path, line, message, "catalogue") for path, line, message in found]


# --- where things are in the catalogue -----------------------------------------------------------
class _Lines:
    def __init__(self, source: str) -> None:
        self.lines = source.splitlines()

    def of(self, text: str, default: str = "") -> int:
        """First line of the catalogue holding `"text"` (or `default`), 1 if none."""
        for needle in (f'"{text}"', default):
            if needle:
                for index, line in enumerate(self.lines, 1):
                    if needle in line:
                        return index
        return 1


def _group(cat: Any, intent: str) -> str:
    if intent in cat.HELP_INTENTS:
        return "Help intent"
    if intent in cat.COMPLAINT_INTENTS:
        return "Complaint intent"
    return "channel intent" if intent in cat.CHANNEL_INTENTS else "intent"


# --- domain.yml ------------------------------------------------------------------------------------
def _domain(root: Path, cat: Any, declared: dict[str, int], where: _Lines) -> Iterator[tuple[str, int, str]]:
    for intent in cat.ALL_INTENTS:
        if intent not in declared:
            yield (CATALOGUE, where.of(intent), f"{_group(cat, intent)} {intent} is not in domain.yml — add "
                   f"\"- {intent}\" under intents: (and its responses)")
    for intent, line in declared.items():
        if intent not in cat.ALL_INTENTS:
            yield ("domain.yml", line, f"intent {intent} is not in {CATALOGUE} — add it to HELP_TOPICS, "
                   "COMPLAINT_INTENTS, CONVERSATION_INTENTS or CHANNEL_INTENTS, or remove it here")
    document = compose(root / "domain.yml")
    slots = node_mapping(node_mapping(document).get("slots", (None, None))[1])
    if "help_topic" in slots:
        key, slot = slots["help_topic"]
        mappings = node_mapping(slot).get("mappings", (None, None))[1]
        for mapping in mappings.value if isinstance(mappings, SequenceNode) else []:
            kind = node_mapping(mapping).get("type", (None, None))[1]
            if isinstance(kind, ScalarNode) and kind.value == "from_intent":
                yield ("domain.yml", mapping.start_mark.line + 1, "help_topic is filled from the catalogue by "
                       "action_validate_slot_mappings — remove this from_intent mapping")


# --- data/rules.yml --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Rule:
    name: str
    path: str
    line: int
    intents: tuple[str, ...]  # the intents the rule starts with (an `intent:` or an `or:` of them)
    actions: tuple[str, ...]  # the actions it runs, in order


def read_rules(root: Path) -> list[_Rule]:
    """The rules of every training data file outside data/nlu/."""
    rules = []
    data = root / "data"
    for path in sorted(p for p in data.rglob("*.yml") if "nlu" not in p.relative_to(data).parts):
        document = compose(path)
        items = node_mapping(document).get("rules", (None, None))[1]
        for item in items.value if isinstance(items, SequenceNode) else []:
            fields = node_mapping(item)
            name = fields.get("rule", (None, None))[1]
            steps = fields.get("steps", (None, None))[1]
            intents: list[str] = []
            actions: list[str] = []
            for step in steps.value if isinstance(steps, SequenceNode) else []:
                step_fields = node_mapping(step)
                if "action" in step_fields:
                    actions.append(str(step_fields["action"][1].value))
                elif not actions and "intent" in step_fields:
                    intents.append(str(step_fields["intent"][1].value))
                elif not actions and "or" in step_fields:
                    branches = step_fields["or"][1]
                    for branch in branches.value if isinstance(branches, SequenceNode) else []:
                        if "intent" in node_mapping(branch):
                            intents.append(str(node_mapping(branch)["intent"][1].value))
            rules.append(_Rule(str(getattr(name, "value", "")), path.relative_to(root).as_posix(),
                               item.start_mark.line + 1, tuple(intents), tuple(actions)))
    return rules


def _rules(root: Path, cat: Any, where: _Lines) -> Iterator[tuple[str, int, str]]:
    rules = read_rules(root)
    handed = tuple(cat.COMPLAINT_INTENTS) + ((cat.REQUEST_HUMAN,) if cat.REQUEST_HUMAN in cat.ALL_INTENTS else ())
    form_rules = [r for r in rules if r.actions[:1] == ("order_form",) and r.intents]
    handoff_rules = [r for r in rules if "action_handoff" in r.actions and set(r.intents) & set(handed)]
    yield from _every_intent_in(form_rules, cat.HELP_INTENTS, cat, where, "starts no order form",
                                "'- action: order_form'")
    yield from _every_intent_in(handoff_rules, handed, cat, where, "is handed to a person by no rule",
                                "'- action: action_handoff'")
    for rule in form_rules:
        for intent in set(rule.intents) - set(cat.HELP_INTENTS):
            yield (rule.path, rule.line, f"rule \"{rule.name}\" starts the order form for {intent}, which is not "
                   f"a Help topic in {CATALOGUE}")
    for rule in handoff_rules:
        for intent in set(rule.intents) & set(cat.HELP_INTENTS):
            yield (rule.path, rule.line, f"rule \"{rule.name}\" hands the Help intent {intent} to a person; "
                   "Help is answered from the order data")


def _every_intent_in(rules: list[_Rule], intents: tuple[str, ...], cat: Any, where: _Lines, none: str,
                     action: str) -> Iterator[tuple[str, int, str]]:
    """Each of `intents` is listed in each of `rules` (the rules that route that group)."""
    for intent in intents:
        if not rules:
            yield (CATALOGUE, where.of(intent), f"{_group(cat, intent)} {intent} {none}: {RULES} has no rule "
                   f"'- or: [- intent: ...]' followed by {action}")
        for rule in rules:
            if intent not in rule.intents:
                yield (rule.path, rule.line, f"{_group(cat, intent)} {intent} is missing from rule \"{rule.name}\" "
                       f"— add \"- intent: {intent}\" to its or: list")


# --- data/nlu --------------------------------------------------------------------------------------
def _nlu(cat: Any, blocks: list[Block]) -> Iterator[tuple[str, int, str]]:
    reported: set[tuple[str, str]] = set()
    for block in blocks:
        if block.intent not in cat.ALL_INTENTS and (block.intent, block.lang) not in reported:
            reported.add((block.intent, block.lang))
            yield (block.path, block.line, f"intent {block.intent} is not in {CATALOGUE} — add it there, or move "
                   "these examples to an intent that is")


# --- answer functions ------------------------------------------------------------------------------
def _answers(root: Path, cat: Any, where: _Lines) -> Iterator[tuple[str, int, str]]:
    for topic in cat.HELP_TOPICS:
        module, _, function = topic.answer.partition(".")
        path = root / ANSWERS / f"{module}.py"
        line = where.of(topic.answer, topic.intent)
        if not path.exists():
            yield (CATALOGUE, line, f"Help topic {topic.intent}: {ANSWERS}/{module}.py does not exist — write "
                   f"async def {function}(client, ctx, lang) -> Answer there")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        if function not in defined:
            yield (CATALOGUE, line, f"Help topic {topic.intent}: {ANSWERS}/{module}.py has no answer function "
                   f"{function} — write async def {function}(client, ctx, lang) -> Answer")
        elif not isinstance(defined[function], ast.AsyncFunctionDef):
            yield (f"{ANSWERS}/{module}.py", defined[function].lineno, f"{function} answers Help topic "
                   f"{topic.intent} and must be async (it awaits the API)")


def _responses(root: Path) -> Iterator[tuple[str, int, str]]:
    """Responses the actions utter by name must exist, or the buyer gets nothing."""
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8")) or {}
    known = set(domain.get("responses") or {})
    for path in sorted((root / "actions").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and RESPONSE_NAME.fullmatch(node.value):
                if node.value not in known:
                    yield (path.relative_to(root).as_posix(), node.lineno, f"response {node.value} is not in "
                           "domain.yml — add it under responses: with a pt and an es variation")


# --- test stories ----------------------------------------------------------------------------------
def read_test_stories(root: Path) -> list[tuple[str, int, set[str]]]:
    """(story name, line, intents of its user steps) of tests/test_stories.yml."""
    path = root / TEST_STORIES
    if not path.exists():
        return []
    items = node_mapping(compose(path)).get("stories", (None, None))[1]
    stories = []
    for item in items.value if isinstance(items, SequenceNode) else []:
        fields = node_mapping(item)
        name = str(getattr(fields.get("story", (None, None))[1], "value", ""))
        steps = fields.get("steps", (None, None))[1]
        intents = {str(node_mapping(step)["intent"][1].value) for step in
                   (steps.value if isinstance(steps, SequenceNode) else []) if "intent" in node_mapping(step)}
        stories.append((name, item.start_mark.line + 1, intents))
    return stories


def _test_stories(root: Path, cat: Any, where: _Lines) -> Iterator[tuple[str, int, str]]:
    stories = read_test_stories(root)
    for intent in tuple(cat.HELP_INTENTS) + tuple(cat.COMPLAINT_INTENTS):
        for lang in cat.LANGUAGES:
            mine = [s for s in stories if s[0].split(" ", 1)[0] == lang]
            if any(intent in s[2] for s in mine):
                continue
            group = cat.HELP_INTENTS if intent in cat.HELP_INTENTS else cat.COMPLAINT_INTENTS
            like = next((s for s in mine if s[2] & set(group)), None)
            path, line = (TEST_STORIES, like[1]) if like else (CATALOGUE, where.of(intent))
            yield (path, line, f"{_group(cat, intent)} {intent} has no {lang} test story in {TEST_STORIES} — add "
                   f"one named \"{lang} {intent} ...\"" + (f", like \"{like[0]}\"" if like else ""))
