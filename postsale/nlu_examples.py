"""Reading the NLU examples trainers write in data/nlu/<lang>/, with where each one is.

The language guesser learns from them, the evaluation splits them, the validator checks them
and the review queue adds to them: all read them here, so "an example" means the same thing
to all four (the `- text` lines of an intent's `examples:` block, annotations as written).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from postsale.catalogue import LANGUAGES
from postsale.text import fold

# `[2000010000000201](order_number)` or `[x]{"entity": ...}`: the buyer typed only `x`.
ANNOTATION = re.compile(r"\[([^\]\n]+)\](?:\([^)\n]*\)|\{[^}\n]*\})")


def plain_text(text: str) -> str:
    """The example as the buyer would type it: annotations reduced to their text."""
    return ANNOTATION.sub(r"\1", text)


def normalise(text: str) -> str:
    """What makes two examples "the same" to the model: case, accents, spacing and annotations ignored."""
    return " ".join(fold(plain_text(text)).split())


@dataclass(frozen=True)
class Example:
    """An NLU example where the trainer wrote it: `text` as written, annotations included."""

    text: str
    intent: str
    lang: str
    path: str
    line: int

    @property
    def plain(self) -> str:
        return plain_text(self.text)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Block:
    """An `- intent: X` item of an NLU file, with the line of that item."""

    intent: str
    lang: str
    path: str
    line: int
    examples: tuple[Example, ...]


def nlu_files(data_dir: Path, lang: str) -> list[Path]:
    folder = Path(data_dir) / lang
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def example_lines(block: str) -> list[str]:
    """The examples of a literal `examples: |` value."""
    return [line.strip()[2:].strip() for line in str(block).splitlines() if line.strip().startswith("- ")]


def read_blocks(data_dir: Path, languages: Iterable[str] = LANGUAGES, root: Path | None = None) -> list[Block]:
    """Every intent block of data_dir/<lang>/, in file order, languages in the order given.

    Paths are shown relative to `root` (default: the parent of data/), as trainers open them.
    """
    data_dir = Path(data_dir)
    root = root or data_dir.parent.parent
    blocks: list[Block] = []
    for lang in languages:
        for path in nlu_files(data_dir, lang):
            try:
                relative = path.relative_to(root).as_posix()
            except ValueError:
                relative = path.as_posix()
            items = node_mapping(compose(path)).get("nlu", (None, None))[1]
            if not isinstance(items, SequenceNode):
                continue
            for item in items.value:
                fields = node_mapping(item)
                if "intent" not in fields:
                    continue
                key, name = fields["intent"]
                intent = str(name.value)
                examples = tuple(
                    Example(text, intent, lang, relative, line)
                    for text, line in (_example_lines(fields["examples"][1]) if "examples" in fields else ())
                )
                blocks.append(Block(intent, lang, relative, key.start_mark.line + 1, examples))
    return blocks


def read_examples(data_dir: Path, lang: str) -> list[Example]:
    return [e for block in read_blocks(data_dir, (lang,)) for e in block.examples]


def compose(path: Path) -> Node | None:
    """A YAML file as nodes, which keep the line each value starts on (for `file:line` messages)."""
    return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def node_mapping(node: Node | None) -> dict[str, tuple[Node, Node]]:
    if not isinstance(node, MappingNode):
        return {}
    return {key.value: (key, value) for key, value in node.value if isinstance(key, ScalarNode)}


def _example_lines(node: Node) -> Iterator[tuple[str, int]]:
    """(text, 1-based line) of each example of an `examples:` value.

    In a literal block (`examples: |`) the n-th line of the value is the n-th line after the `|`;
    other scalar styles lose that, so their examples all get the line of the value.
    """
    if isinstance(node, ScalarNode):
        literal = node.style == "|"
        for index, raw in enumerate(str(node.value).splitlines()):
            stripped = raw.strip()
            if stripped.startswith("- "):
                line = node.start_mark.line + 2 + index if literal else node.start_mark.line + 1
                yield stripped[2:].strip(), line
    elif isinstance(node, SequenceNode):  # `examples: [- text: ..., metadata: ...]`
        for item in node.value:
            text_node = node_mapping(item).get("text", (None, item))[1]
            if isinstance(text_node, ScalarNode) and str(text_node.value).strip():
                yield str(text_node.value).strip(), text_node.start_mark.line + 1
