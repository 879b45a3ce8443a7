"""`python -m simulator [--host 127.0.0.1] [--port 8089] [--callback-url URL]`: serve the simulator.

The port also comes from SIM_PORT and the notification callback from SIM_CALLBACK_URL, so a
compose file or CI job can wire the simulator to the bot's webhook without changing the command.
"""

from __future__ import annotations

import argparse
import os

from aiohttp import web

from simulator.app import create_app
from simulator.notify.config import ConfigError

DEFAULT_PORT = 8089


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulator", description="Mercado Libre API simulator")
    parser.add_argument("--host", default=os.environ.get("SIM_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SIM_PORT", DEFAULT_PORT)))
    parser.add_argument("--callback-url", default=os.environ.get("SIM_CALLBACK_URL") or None,
                        help="where notifications are POSTed (default: none until POST /_sim/config)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        app = create_app(callback_url=args.callback_url)
    except ConfigError as exc:
        raise SystemExit(f"python -m simulator: {exc}") from exc
    base = f"http://{args.host}:{args.port}"
    lines = [f"Mercado Libre simulator on {base}", f"Buyer chat on {base}/chat",
             f"Notifications to {args.callback_url or '(no callback URL; set one with POST /_sim/config)'}"]

    def announce(_aiohttp_banner: str) -> None:
        # run_app calls this once the socket is bound, so the first line means "ready".
        print("\n".join(lines), flush=True)

    web.run_app(app, host=args.host, port=args.port, print=announce, access_log=None)


if __name__ == "__main__":
    main()
