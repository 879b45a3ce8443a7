"""`python -m simulator [--host 127.0.0.1] [--port 8089]`: serve the simulator (port also from SIM_PORT)."""

from __future__ import annotations

import argparse
import os

from aiohttp import web

from simulator.app import create_app

DEFAULT_PORT = 8089


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulator", description="Mercado Libre API simulator")
    parser.add_argument("--host", default=os.environ.get("SIM_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SIM_PORT", DEFAULT_PORT)))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    banner = f"Mercado Libre simulator on http://{args.host}:{args.port}"

    def announce(_aiohttp_banner: str) -> None:
        # run_app calls this once the socket is bound, so the line means "ready".
        print(banner, flush=True)

    web.run_app(create_app(), host=args.host, port=args.port, print=announce, access_log=None)


if __name__ == "__main__":
    main()
