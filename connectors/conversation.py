"""Changing a conversation from outside a dialogue turn: pause is set by actions, resume here.

Used by the inbox (an agent resolves) and by the marketplace channel (the buyer says the
problem is solved), always under Rasa's own conversation lock.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ConversationResumed


async def append_events(agent: Any, conversation: str, *events: Any) -> None:
    async with agent.lock_store.lock(conversation):
        tracker = await agent.processor.get_tracker(conversation)
        for event in events:
            tracker.update(event)
        await agent.processor.save_tracker(tracker)


async def resume_bot(agent: Any, conversation: str) -> None:
    # A paused tracker ends without action_listen; adding it makes the next buyer message start
    # a clean turn, so the rules answer it instead of the core fallback.
    await append_events(agent, conversation, ConversationResumed(), ActionExecuted(ACTION_LISTEN_NAME))
