"""Manage the agents of the inbox (stored hashed in MELI_DB_URL; no restart needed).

    python scripts/agents.py add NAME [--role lead] [--expires-days N]   prints the new token once
    python scripts/agents.py list                                        names, roles, status (never tokens)
    python scripts/agents.py rotate NAME [--expires-days N]              a new token; the old one stops at once
    python scripts/agents.py revoke NAME                                 the token stops working at once

Exit code 0 on success, 1 on a usage error or an unknown agent, 2 on bad settings.
"""

from __future__ import annotations

import argparse
import sys

from postsale import agents, masking, settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/agents.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an agent and print their token")
    add.add_argument("name")
    add.add_argument("--role", choices=agents.ROLES, default=agents.AGENT)
    add.add_argument("--expires-days", type=float)
    commands.add_parser("list", help="list agents (no tokens)")
    rotate = commands.add_parser("rotate", help="give an agent a new token")
    rotate.add_argument("name")
    rotate.add_argument("--expires-days", type=float)
    revoke = commands.add_parser("revoke", help="stop an agent's token")
    revoke.add_argument("name")
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return 1 if stop.code else 0
    masking.install()
    try:
        settings.current()
    except settings.SettingsError as problem:
        print(f"configuration error: {problem}", file=sys.stderr)
        return 2
    try:
        if args.command == "add":
            print(agents.add(args.name, args.role, args.expires_days))
        elif args.command == "rotate":
            print(agents.rotate(args.name, args.expires_days))
        elif args.command == "revoke":
            agents.revoke(args.name)
            print(f"{args.name}: revoked")
        else:
            for agent in agents.listing():
                print(f"{agent['name']}\t{agent['role']}\t{agent['status']}")
    except agents.AgentError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
