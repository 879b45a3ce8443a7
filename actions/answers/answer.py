"""What a Help handler returns: domain responses to utter and, when needed, a handoff.

Handlers stay pure functions of API data so they can be tested against the simulator without
a tracker; the Rasa action turns an Answer into dispatcher messages and events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from postsale.catalogue import COMPLAINT, HELP
from postsale.handoff import HandoffRequest

__all__ = ["COMPLAINT", "HELP", "Answer", "HandoffRequest", "Reply"]


@dataclass
class Reply:
    response: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Answer:
    replies: list[Reply] = field(default_factory=list)
    handoff: HandoffRequest | None = None

    def say(self, response: str, **values: Any) -> Answer:
        self.replies.append(Reply(response, values))
        return self

    @property
    def responses(self) -> list[str]:
        return [r.response for r in self.replies]
