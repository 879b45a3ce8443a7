"""The intent catalogue is the one list: the project agrees with it, and adding a Help intent
while forgetting any one place fails `scripts/validate_data.py` with the file and line to fix.

The walk-through of TRAINING.md ("Adding a Help intent"), done on a copy of the project.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from postsale import catalogue
from training.validate import check

ROOT = Path(__file__).resolve().parents[2]
COPIED = ["domain.yml", "data", "tests/test_stories.yml", "actions", "postsale/catalogue.py"]
PT = [f"quero cancelar {what}" for what in (
    "o pedido", "minha compra", "a compra", "o pedido q fiz", "essa compra", "o pedido pfv", "tudo", "a encomenda",
    "o pedido de ontem", "a compra de hj", "meu pedido urgente", "o pedido ainda nao saiu", "a compra sem frete",
    "o pedido errado", "a compra duplicada", "o pedido repetido", "a compra q fiz errado", "o pedido do tenis",
    "a compra do celular", "o pedido da capinha", "a compra da blusa", "o pedido do fone", "a compra do relogio",
    "o pedido da bolsa", "a compra da mochila", "o pedido do notebook", "a compra da cadeira", "o pedido do sofa",
    "a compra da mesa", "o pedido da cama")]
ES = [f"quiero cancelar {what}" for what in (
    "la compra", "mi pedido", "el pedido", "la compra q hice", "esta compra", "el pedido porfa", "todo", "el envio",
    "la compra de ayer", "el pedido de hoy", "mi compra urgente", "la compra que no salio", "el pedido sin envio",
    "la compra equivocada", "el pedido duplicado", "la compra repetida", "el pedido que hice mal",
    "la compra de las zapatillas", "el pedido del celular", "la compra de la funda", "el pedido de la remera",
    "la compra de los auriculares", "el pedido del reloj", "la compra de la cartera", "el pedido de la mochila",
    "la compra de la notebook", "el pedido de la silla", "la compra del sillon", "el pedido de la mesa",
    "la compra de la cama")]
ANSWER = '''"""Cancelling an order: how, in the buyer's language."""

from __future__ import annotations

from actions.answers.answer import Answer
from meli import MeliClient
from postsale.order import OrderContext


async def answer_cancel_order(client: MeliClient, ctx: OrderContext, lang: str) -> Answer:
    return Answer().say("utter_cancel_order_how", order_ref=ctx.ref)
'''
RESPONSE = '''  utter_cancel_order_how:
    - condition: [{type: slot, name: language, value: es}]
      text: "Podés cancelar la compra {order_ref} en Mis compras, mientras no haya sido despachada."
    - condition: [{type: slot, name: language, value: pt}]
      text: "Você pode cancelar a compra {order_ref} em Minhas compras, enquanto ela não foi enviada."
'''


def story(lang: str, text: str) -> str:
    return (f"- story: {lang} cancel_order, order known from the channel\n  steps:\n  - slot_was_set:\n"
            f"    - order_id: '2000010000000201'\n  - user: {text}\n    intent: cancel_order\n  - slot_was_set:\n"
            "    - help_topic: cancel_order\n  - action: order_form\n  - active_loop: order_form\n"
            "  - active_loop: null\n  - slot_was_set:\n    - requested_slot: null\n  - action: action_answer_help\n")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_block(path: Path, examples: list[str]) -> None:
    block = "\n- intent: cancel_order\n  examples: |\n" + "".join(f"    - {text}\n" for text in examples)
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + block, encoding="utf-8")


SHIPPING_TOPIC = '    HelpTopic("shipping_question", "shipment.answer_shipping"),\n'
CANCEL_TOPIC = '    HelpTopic("cancel_order", "cancellation.answer_cancel_order"),\n'
STEPS = {
    "catalogue": lambda p: edit(p / "postsale/catalogue.py", SHIPPING_TOPIC, SHIPPING_TOPIC + CANCEL_TOPIC),
    "answer function": lambda p: (p / "actions/answers/cancellation.py").write_text(ANSWER, encoding="utf-8"),
    "domain intent": lambda p: edit(p / "domain.yml", "  - shipping_question\n",
                                    "  - shipping_question\n  - cancel_order\n"),
    "domain responses": lambda p: edit(p / "domain.yml", "responses:\n", "responses:\n" + RESPONSE),
    "rules": lambda p: edit(p / "data/rules.yml", "          - intent: shipping_question\n      - action: order_form\n",
                            "          - intent: shipping_question\n          - intent: cancel_order\n"
                            "      - action: order_form\n"),
    "pt examples": lambda p: append_block(p / "data/nlu/pt/help.yml", PT),
    "es examples": lambda p: append_block(p / "data/nlu/es/help.yml", ES),
    "test stories": lambda p: (p / "tests/test_stories.yml").write_text(
        (p / "tests/test_stories.yml").read_text(encoding="utf-8") + story("pt", PT[0]) + story("es", ES[0]),
        encoding="utf-8"),
}
# What each forgotten step is reported as: (file, a line holding this text, words of the message).
REPORTED = {
    "catalogue": ("domain.yml", "- cancel_order", "is not in postsale/catalogue.py"),
    "answer function": ("postsale/catalogue.py", '"cancel_order"', "actions/answers/cancellation.py does not exist"),
    "domain intent": ("postsale/catalogue.py", '"cancel_order"', "is not in domain.yml"),
    "domain responses": ("actions/answers/cancellation.py", "utter_cancel_order_how",
                         "response utter_cancel_order_how is not in domain.yml"),
    "rules": ("data/rules.yml", "- rule: Help question starts the order form", "is missing from rule"),
    "pt examples": ("domain.yml", "- cancel_order", "has no examples in data/nlu/pt/"),
    "es examples": ("domain.yml", "- cancel_order", "has no examples in data/nlu/es/"),
    "test stories": ("tests/test_stories.yml", "- story: pt order_status", "has no pt test story"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in COPIED:
        source, target = ROOT / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    return tmp_path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def failures(root: Path) -> list:
    return [p for p in check(root, language_guess=False) if not p.warning]


def test_the_project_agrees_with_its_catalogue() -> None:
    assert [str(p) for p in check(ROOT, language_guess=False) if p.rule == "catalogue"] == []


def test_adding_a_help_intent_everywhere_passes(project: Path) -> None:
    for step in STEPS.values():
        step(project)
    assert failures(project) == []


@pytest.mark.parametrize("forgotten", sorted(STEPS))
def test_forgetting_one_place_names_the_file_and_line(project: Path, forgotten: str) -> None:
    for name, step in STEPS.items():
        if name != forgotten:
            step(project)
    found = failures(project)
    path, needle, words = REPORTED[forgotten]
    line = line_of(project / path, needle)
    assert any((p.path, p.line) == (path, line) and words in p.message for p in found), "\n".join(map(str, found))


def test_the_command_line_prints_file_and_line(project: Path) -> None:
    for name, step in STEPS.items():
        if name != "rules":
            step(project)
    proc = subprocess.run([sys.executable, str(ROOT / "scripts/validate_data.py"), "--skip-rasa", "--root",
                           str(project)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    line = line_of(project / "data/rules.yml", "- rule: Help question starts the order form")
    assert f"data/rules.yml:{line}: Help intent cancel_order is missing from rule" in proc.stdout


def test_an_answer_module_without_the_function_is_reported(project: Path) -> None:
    for step in STEPS.values():
        step(project)
    edit(project / "actions/answers/cancellation.py", "async def answer_cancel_order", "async def answer_cancel")
    found = [str(p) for p in failures(project)]
    line = line_of(project / "postsale/catalogue.py", '"cancel_order"')
    assert f"postsale/catalogue.py:{line}: Help topic cancel_order: actions/answers/cancellation.py has no answer " \
           "function answer_cancel_order — write async def answer_cancel_order(client, ctx, lang) -> Answer" in found


def test_every_help_topic_has_its_answer_at_start() -> None:
    from actions.help import HANDLERS

    assert sorted(HANDLERS) == sorted(catalogue.HELP_INTENTS)
    assert all(callable(handler) for handler in HANDLERS.values())


def test_routing_groups_cover_what_buyers_type() -> None:
    assert {catalogue.routing_group(i) for i in catalogue.HELP_INTENTS} == {"help"}
    assert {catalogue.routing_group(i) for i in catalogue.COMPLAINT_INTENTS} == {"complaint"}
    assert catalogue.routing_group("greet") == "other"
    assert set(catalogue.TYPED_INTENTS) == {i for _, names in catalogue.INTENT_GROUPS for i in names}
