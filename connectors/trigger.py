"""The channel's own messages to the dialogue, on a path no buyer can reach.

Rasa reads any text that starts with `/` as `/intent{"entity": ...}`, so a buyer who types
`/restart` or `/system_handoff{...}` would speak to the dialogue as the channel does. The product
closes that door in one place (connectors/rasa_patches.py): only a `ChannelTrigger`, an object
our code creates in the process, is read as an intent; every other message is read as the
words it is, whichever channel brought it. A trigger's intent must be one of the catalogue's
channel intents, so nothing else can be sent this way either.
"""

from __future__ import annotations

import json
import re
from copy import copy
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from postsale.catalogue import CHANNEL_INTENTS

# What a buyer's text loses before the model reads it: the leading slashes (and the blanks
# around them) that would make Rasa unpack it as an intent. The tracker keeps the text as typed.
_COMMAND_PREFIX = re.compile(r"^[\s/]+")


class ChannelTrigger(UserMessage):
    """A `system_*` intent sent by the channel, with the buyer's context in the metadata."""

    def __init__(self, intent: str, output_channel: OutputChannel, sender_id: str, *,
                 entities: dict[str, Any] | None = None, input_channel: str | None = None,
                 metadata: dict[str, Any] | None = None, message_id: str | None = None) -> None:
        if intent not in CHANNEL_INTENTS:
            raise ValueError(f"{intent!r} is not a channel intent ({', '.join(CHANNEL_INTENTS)})")
        text = "/" + intent + (json.dumps(entities, ensure_ascii=False) if entities else "")
        super().__init__(text, output_channel, sender_id, input_channel=input_channel,
                         message_id=message_id, metadata=metadata)
        self.intent = intent


def as_read(message: UserMessage) -> UserMessage:
    """The message the model reads: a trigger as it is; anyone else's text never as a command."""
    if isinstance(message, ChannelTrigger) or not message.text:
        return message
    text = message.text
    if not text.lstrip().startswith("/"):
        return message
    read = copy(message)
    read.text = _COMMAND_PREFIX.sub("", text) or "?"
    return read
