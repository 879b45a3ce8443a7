"""Who is calling the inbox: an agent token (Bearer, or Basic with the token as password).

Agents come from INBOX_AGENTS (postsale.settings); tokens are compared in constant time.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Mapping

from sanic.request import Request


def agent_for(request: Request, agents: Mapping[str, str]) -> str | None:
    """The agent's name, or None when the request carries no known token."""
    header = request.headers.get("authorization") or ""
    scheme, _, value = header.partition(" ")
    token = ""
    if scheme.lower() == "bearer":
        token = value.strip()
    elif scheme.lower() == "basic":
        try:
            token = base64.b64decode(value.strip()).decode().partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            return None
    for known, name in agents.items():
        if token and hmac.compare_digest(token.encode(), known.encode()):
            return name
    return None
