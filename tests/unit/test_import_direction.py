"""Imports flow one way: the domain core ← the API client ← the action server, the Rasa server's
channels and the trainers' tools; the simulator stands alone; test helpers serve tests only.

Every import in every file counts, the ones inside functions too: a lazy upward import is still
an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = {"postsale", "meli", "actions", "connectors", "training", "nlu_components", "simulator", "testkit",
           "scripts", "tests", "bench"}
# Which of the project's top-level packages each one may import (itself always).
ALLOWED = {
    "postsale": set(),
    "meli": {"postsale"},
    "actions": {"postsale", "meli"},
    "connectors": {"postsale", "meli"},
    "training": {"postsale", "meli"},
    "nlu_components": set(),
    "simulator": set(),
    "scripts": {"postsale", "meli", "training"},
    "testkit": {"postsale", "meli", "actions", "connectors", "training", "simulator"},
    "tests": PRODUCT,
    "bench": PRODUCT - {"tests"},
}
# Third-party packages a layer must not use: the core and the API client run in every process,
# the action server is not a Rasa server.
FORBIDDEN = {
    "postsale": {"rasa", "rasa_sdk", "sanic", "httpx", "tensorflow"},
    "meli": {"rasa", "rasa_sdk", "sanic"},
    "actions": {"rasa", "sanic"},
    "simulator": {"rasa", "rasa_sdk", "sanic"},
}


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, top-level name) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = path.relative_to(root).parts[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                name = node.module or ""
            found.append((node.lineno, name.split(".")[0]))
    return found


def violations(root: Path = ROOT) -> list[str]:
    problems = []
    for layer, allowed in ALLOWED.items():
        for path in sorted((root / layer).rglob("*.py")):
            for line, name in imports_of(path, root):
                where = f"{path.relative_to(root)}:{line}"
                if name in PRODUCT and name != layer and name not in allowed:
                    problems.append(f"{where}: {layer} must not import {name} "
                                    f"(allowed: {', '.join(sorted(allowed)) or 'nothing of the product'})")
                if name in FORBIDDEN.get(layer, set()):
                    problems.append(f"{where}: {layer} must not import {name}")
    return problems


def test_imports_flow_one_way() -> None:
    assert violations() == []


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    """The walk itself works: a core module importing the action server fails it."""
    core = tmp_path / "postsale"
    core.mkdir()
    (core / "bad.py").write_text("def f():\n    from actions.help import HANDLERS\n    return HANDLERS\n")
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "ok.py").write_text("from ..postsale import bad\nimport rasa_sdk\n")
    found = violations(tmp_path)
    assert found == ["postsale/bad.py:2: postsale must not import actions (allowed: nothing of the product)"]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_every_layer_exists(layer: str) -> None:
    assert (ROOT / layer).is_dir(), f"{layer}/ is listed in ALLOWED but does not exist"
