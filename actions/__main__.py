"""The action server: `python -m actions [-p PORT]` is `rasa run actions` bound where it must be.

rasa-sdk's own command listens on every interface (SANIC_HOST, default 0.0.0.0) and allows any
CORS origin. Whoever reaches the action server can post a forged tracker and read any order's
data or plant tickets, and only the Rasa server needs it, so it listens on ACTIONS_HOST
(127.0.0.1 unless the deployment says otherwise: docker-compose puts it on a private network),
sends no CORS headers, and in production refuses to start with demo or missing secrets.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app

from postsale import run_mode, settings
from postsale.files import PRIVATE_UMASK

DEFAULT_PORT = 5055


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions", description=__doc__.splitlines()[0])
    parser.add_argument("-p", "--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    os.umask(PRIVATE_UMASK)  # whatever it creates (the JSON-lines tickets, SQLite) is 0600
    try:
        current = settings.current()
        run_mode.check(current)
    except settings.SettingsError as problem:
        print(f"configuration error: {problem}", file=sys.stderr)
        return 2
    utils.configure_colored_logging(current.log_level)
    utils.update_sanic_log_level()
    for name in ("actions", "postsale", "meli"):
        logging.getLogger(name).setLevel(current.log_level)
    app = create_app("actions", cors_origins=None)
    logging.getLogger(__name__).info("action server on http://%s:%s (%s mode)", current.actions_host, args.port,
                                     current.mode)
    app.run(current.actions_host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
