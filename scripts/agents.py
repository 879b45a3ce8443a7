"""Manage the agents of the inbox (stored hashed in MELI_DB_URL; no restart needed).

    python scripts/agents.py add NAME [--role lead|admin] [--store SELLER_ID]... [--expires-days N]
                                                                         prints the new token once
    python scripts/agents.py list                                        names, roles, stores, status (never tokens)
    python scripts/agents.py rotate NAME [--expires-days N]              a new token; the old one stops at once
    python scripts/agents.py revoke NAME                                 the token stops working at once

Exit code 0 on success, 1 on a usage error or an unknown agent, 2 on bad settings.
"""

from __future__ import annotations

import argparse
import sys

from postsale import agents, masking, settings, stores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/agents.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an agent and print their token")
    add.add_argument("name")
    add.add_argument("--role", choices=agents.ROLES, default=agents.AGENT)
    add.add_argument("--expires-days", type=float)
    add.add_argument("--store", type=int, action="append", default=[],
                     help="a store (seller id) whose tickets they work; repeat for several (admins see all)")
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
            unknown = [seller for seller in args.store if stores.get(seller) is None]
            if unknown:
                raise stores.StoreError(f"no store {unknown[0]} (connect it in the admin page first)")
            token = agents.add(args.name, args.role, args.expires_days)
            for seller in args.store:
                stores.assign(args.name, seller)
            print(token)
        elif args.command == "rotate":
            print(agents.rotate(args.name, args.expires_days))
        elif args.command == "revoke":
            agents.revoke(args.name)
            print(f"{args.name}: revoked")
        else:
            for agent in agents.listing():
                owned = ",".join(str(s) for s in sorted(stores.stores_of(str(agent["name"])))) or "-"
                print(f"{agent['name']}\t{agent['role']}\t{owned}\t{agent['status']}")
    except (agents.AgentError, stores.StoreError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
