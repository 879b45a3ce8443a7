"""What a Help handler returns: domain responses to utter and, when needed, a handoff.

Handlers stay pure functions of API data so they can be tested against the simulator without
a tracker; the Rasa action turns an Answer into dispatcher messages and events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

HELP = "Help"
COMPLAINT = "Complaint"


@dataclass
class Reply:
    response: str
    values: Dict[str, Any] = field(default_factory=dict)


@dataclass
class HandoffRequest:
    reason: str
    interaction_type: str = HELP
    claim: Optional[Dict[str, Any]] = None
    error: Optional[Dict[str, Any]] = None


@dataclass
class Answer:
    replies: List[Reply] = field(default_factory=list)
    handoff: Optional[HandoffRequest] = None

    def say(self, response: str, **values: Any) -> "Answer":
        self.replies.append(Reply(response, values))
        return self

    @property
    def responses(self) -> List[str]:
        return [r.response for r in self.replies]
