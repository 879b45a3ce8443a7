"""The trainers' validate command (scripts/validate_data.py, rules in training/validate.py).

A tiny project that passes every rule, then one small breakage per rule: the message must name
the right file and line, since that is what a trainer acts on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from training.validate import Problem, check

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "validate_data.py"

DOMAIN = """\
version: "3.1"

intents:
  - greet
  - thanks
  - system_handoff

responses:
  utter_greet:
    - condition: [{type: slot, name: language, value: es}]
      text: "¡Hola! ¿En qué te ayudo con la compra {order_number}?"
    - condition: [{type: slot, name: language, value: pt}]
      text: "Oi! Como posso ajudar com o pedido {order_number}?"
  utter_thanks:
    - condition: [{type: slot, name: language, value: es}]
      text: "¡De nada! La entrega de {items} está prevista para el {promised_date}."
    - condition: [{type: slot, name: language, value: pt}]
      text: "Por nada! A entrega de {items} está prevista para {promised_date}, valor {amount}."
"""

# The fixture project's own intent catalogue: small talk and one channel intent, no Help topics.
CATALOGUE = """\
LANGUAGES = ("pt", "es")
HELP_TOPICS = ()
HELP_INTENTS = ()
COMPLAINT_INTENTS = ()
REQUEST_HUMAN = "request_human"
CONVERSATION_INTENTS = ("greet", "thanks")
CHANNEL_PREFIX = "system_"
CHANNEL_INTENTS = ("system_handoff",)
ALL_INTENTS = HELP_INTENTS + COMPLAINT_INTENTS + CONVERSATION_INTENTS + CHANNEL_INTENTS
"""

NLU = {
    "pt": {
        "greet": ["oi", "ola, tudo bem?", "bom dia", "boa tarde", "boa noite", "oi, tudo bom?", "e ai",
                  "opa, bom dia", "oi pessoal da loja", "ola, boa tarde", "oi, alguem ai?", "bom dia, tudo certo?",
                  "oie", "salve", "oi oi"],
        "thanks": ["obrigado", "obrigada", "muito obrigado", "valeu", "valeu demais", "obrigado pela ajuda",
                   "brigadao", "agradeco a atencao", "muito obrigada pela resposta", "valeu pela forca",
                   "obrigado, ajudou muito", "show, obrigado", "perfeito, valeu", "obrigadao", "grato pela ajuda"],
    },
    "es": {
        "greet": ["hola", "buenas", "buen dia", "buenas tardes", "buenas noches", "hola, que tal?",
                  "hola, como estas?", "holis", "hola, hay alguien?", "buen dia, como va?",
                  "hola que tal, buenas tardes", "buenas, como andan?", "hola gente de la tienda", "saludos", "holaa"],
        "thanks": ["gracias", "muchas gracias", "mil gracias", "gracias por la ayuda", "te agradezco",
                   "gracias, me sirvio", "genial, gracias", "muchisimas gracias", "gracias por responder",
                   "barbaro, gracias", "gracias por todo", "re amable, gracias", "gracias che",
                   "perfecto, muchas gracias", "buenisimo, gracias"],
    },
}


def nlu_file(blocks: dict[str, list[str]]) -> str:
    lines = ['version: "3.1"', "", "nlu:"]
    for intent, examples in blocks.items():
        lines += [f"- intent: {intent}", "  examples: |"] + [f"    - {text}" for text in examples] + [""]
    return "\n".join(lines)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with three intents and two responses that passes every rule."""
    (tmp_path / "domain.yml").write_text(DOMAIN, encoding="utf-8")
    (tmp_path / "postsale").mkdir()
    (tmp_path / "postsale" / "catalogue.py").write_text(CATALOGUE, encoding="utf-8")
    for lang, blocks in NLU.items():
        folder = tmp_path / "data" / "nlu" / lang
        folder.mkdir(parents=True)
        (folder / "x.yml").write_text(nlu_file(blocks), encoding="utf-8")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_example(path: Path, after: str, example: str) -> None:
    edit(path, f"    - {after}\n", f"    - {after}\n    - {example}\n")


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of `path` containing `needle`: the truth messages must match."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def errors(root: Path, rule: str) -> list[Problem]:
    return [p for p in check(root) if p.rule == rule and not p.warning]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_fixture_passes_every_rule(project: Path) -> None:
    assert check(project) == []
    proc = run("--skip-rasa", "--root", str(project))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "our rules: clean" in proc.stdout


def test_too_few_examples_names_the_block_and_how_many_are_missing(project: Path) -> None:
    es = project / "data" / "nlu" / "es" / "x.yml"
    for text in ("holis", "saludos", "holaa"):
        edit(es, f"    - {text}\n", "")
    [problem] = errors(project, "examples")
    assert (problem.path, problem.line) == ("data/nlu/es/x.yml", line_of(es, "- intent: greet"))
    assert "intent greet has 12 es example(s)" in problem.message and "add 3 more" in problem.message


def test_help_intent_without_examples_needs_30_in_each_language(project: Path) -> None:
    edit(project / "domain.yml", "  - greet\n", "  - greet\n  - order_status\n")
    edit(project / "postsale" / "catalogue.py", "HELP_INTENTS = ()", 'HELP_INTENTS = ("order_status",)')
    found = errors(project, "examples")
    line = line_of(project / "domain.yml", "- order_status")
    assert [(p.path, p.line) for p in found] == [("domain.yml", line)] * 2
    assert "no examples in data/nlu/pt/" in found[0].message and "30" in found[0].message
    assert "no examples in data/nlu/es/" in found[1].message
    proc = run("--skip-rasa", "--root", str(project))
    assert proc.returncode == 1
    assert f"domain.yml:{line}: intent order_status has no examples in data/nlu/pt/" in proc.stdout


def test_channel_only_intent_must_have_no_examples(project: Path) -> None:
    pt = project / "data" / "nlu" / "pt" / "x.yml"
    pt.write_text(pt.read_text(encoding="utf-8") + "- intent: system_handoff\n  examples: |\n    - /handoff\n",
                  encoding="utf-8")
    [problem] = errors(project, "examples")
    assert (problem.path, problem.line) == ("data/nlu/pt/x.yml", line_of(pt, "- intent: system_handoff"))
    assert "remove its 1 example(s)" in problem.message


def test_response_missing_a_language(project: Path) -> None:
    domain = project / "domain.yml"
    edit(domain, '    - condition: [{type: slot, name: language, value: pt}]\n      text: "Por nada!',
         '    - text: "Por nada!')
    [problem] = errors(project, "responses")
    assert str(problem).startswith(f"domain.yml:{line_of(domain, 'utter_thanks:')}: response utter_thanks has no pt "
                                   "variation")
    assert "value: pt" in problem.message


def test_unconditional_response_misses_both_languages(project: Path) -> None:
    domain = project / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8") + '  utter_ok:\n    - text: "Ok!"\n', encoding="utf-8")
    [problem] = errors(project, "responses")
    assert (problem.line, "response utter_ok has no pt and no es variation") == (
        line_of(domain, "utter_ok:"), problem.message.split(" — ")[0])


def test_example_under_two_intents_reports_both_places(project: Path) -> None:
    pt = project / "data" / "nlu" / "pt" / "x.yml"
    add_example(pt, "grato pela ajuda", "Olá,  TUDO bem?")  # same as greet's "ola, tudo bem?" once normalised
    [problem] = errors(project, "duplicates")
    here, there = line_of(pt, "Olá,  TUDO bem?"), line_of(pt, "- ola, tudo bem?")
    assert str(problem) == (f'data/nlu/pt/x.yml:{here}: "Olá,  TUDO bem?" is under intent thanks here and under '
                            f"greet in data/nlu/pt/x.yml:{there} — keep it in one intent")


def test_entity_annotations_do_not_hide_a_duplicate_across_languages(project: Path) -> None:
    pt, es = (project / "data" / "nlu" / lang / "x.yml" for lang in ("pt", "es"))
    add_example(pt, "oi oi", "pedido 2000010000000101 chegou")
    add_example(es, "gracias che", "pedido [2000010000000101](order_number) chegou")
    [problem] = errors(project, "duplicates")
    assert (problem.path, problem.line) == ("data/nlu/es/x.yml", line_of(es, "(order_number) chegou"))
    assert "under intent thanks here (es) and under greet in data/nlu/pt/x.yml:" in problem.message
    assert f"x.yml:{line_of(pt, 'pedido 2000010000000101 chegou')} (pt)" in problem.message


def test_sentence_pasted_into_the_other_language_folder(project: Path) -> None:
    es = project / "data" / "nlu" / "es" / "x.yml"
    add_example(es, "holaa", "bom dia, tudo certo?")
    add_example(es, "holaa", "salve")  # one word, same intent: typed in both countries, allowed
    [problem] = errors(project, "duplicates")
    pt_line = line_of(project / "data" / "nlu" / "pt" / "x.yml", "bom dia, tudo certo?")
    assert str(problem) == (f'data/nlu/es/x.yml:{line_of(es, "bom dia, tudo certo?")}: "bom dia, tudo certo?" is in '
                            f"both language folders: here (es) and in data/nlu/pt/x.yml:{pt_line} (pt) — keep it "
                            "only in the folder of its language")


def test_example_in_the_wrong_language_is_a_warning_only(project: Path) -> None:
    es = project / "data" / "nlu" / "es" / "x.yml"
    add_example(es, "buenisimo, gracias", "muito obrigado pela ajuda, valeu demais")
    found = [p for p in check(project) if p.rule == "language"]
    assert [(p.path, p.line, p.warning) for p in found] == [("data/nlu/es/x.yml", line_of(es, "muito obrigado"), True)]
    assert "looks pt, not es" in found[0].message
    proc = run("--skip-rasa", "--root", str(project))
    assert proc.returncode == 0, proc.stdout
    assert f"warning: data/nlu/es/x.yml:{line_of(es, 'muito obrigado')}:" in proc.stdout


def test_response_refused_by_the_outgoing_guard(project: Path) -> None:
    domain = project / "domain.yml"
    edit(domain, "Oi! Como posso ajudar", "Oi! Me passa seu whatsapp para eu ajudar")
    [problem] = errors(project, "guard")
    assert (problem.path, problem.line) == ("domain.yml", line_of(domain, "Me passa seu whatsapp"))
    assert problem.message.startswith("response utter_greet (pt) is refused by the outgoing-text guard: request_phone")
    assert "whatsapp" in problem.message.lower()


def test_personal_data_in_an_example(project: Path) -> None:
    pt = project / "data" / "nlu" / "pt" / "x.yml"
    add_example(pt, "oi oi", "oi, meu email e joao.silva@gmail.com")
    add_example(pt, "oi oi", "oi, me liga no (11) 98765-4321")
    add_example(pt, "oi oi", "oi, sobre o pedido [2000010000000101](order_number)")  # order numbers are fine
    found = {p.line: p for p in errors(project, "personal_data")}
    assert sorted(found) == sorted([line_of(pt, "joao.silva"), line_of(pt, "98765-4321")])
    assert {p.path for p in found.values()} == {"data/nlu/pt/x.yml"}
    assert "[email]" in found[line_of(pt, "joao.silva")].message
    assert "[phone]" in found[line_of(pt, "98765-4321")].message


def test_the_repository_passes_our_rules() -> None:
    proc = run("--skip-rasa")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "our rules: clean" in proc.stdout
