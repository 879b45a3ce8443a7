"""The agent inbox: where handoffs arrive and from which agents answer (`/webhooks/inbox/`)."""

from connectors.inbox.channel import InboxInput

__all__ = ["InboxInput"]
