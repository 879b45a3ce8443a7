"""Whitespace tokens plus the buyer's question and exclamation marks.

Rasa's WhitespaceTokenizer drops punctuation, but here "?" is information: "chegou o pedido?" is
a Help question, "chegou o pedido quebrado!" a Complaint. Keeping "?" and "!" as tokens (the
character n-gram featurizer then sees them) was worth 1.1 points of macro-F1 and 1.1 points of
Help/Complaint routing in Portuguese on the held-out split (docs/nlu.md). The tokens carry
their position in the text, so entity extraction is unaffected.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

MARKS = re.compile(r"[?!¿¡]")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class QuestionMarkTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer that keeps ?, !, ¿ and ¡ as tokens of their own."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        text = message.get(attribute) or ""
        marks = [Token(m.group(), m.start()) for m in MARKS.finditer(text)]
        return sorted(tokens + marks, key=lambda t: t.start) if marks else tokens
