"""The product's Rasa server: `python -m connectors run ...` is `rasa run ...` plus our start-up.

Before Rasa parses its arguments: the settings are read and checked (in production also against
the demo values and Rasa's HTTP API flags: postsale/run_mode.py), and so are the product's
channels named in the credentials file (a bad variable or a stale credentials.yml stops the
start with one line naming it, instead of a traceback from inside Rasa's channel loading);
personal data is masked in every log record; the Rasa patches are applied, whatever channels
credentials.yml configures. Every other argument is Rasa's own (`run`, `shell`, `-m`, ...);
`python -m connectors retention` purges what is older than RETENTION_DAYS (connectors/retention.py).

Rasa sets the level of its own `rasa` logger only; the product's loggers follow the same choice
(`-v`, `-vv`/`--debug`, `--quiet`, else LOG_LEVEL), so what the channel and the patches report
reaches the server's log.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from postsale import masking, run_mode, settings
from postsale.files import PRIVATE_UMASK

PRODUCT_LOGGERS = ("connectors", "postsale", "meli")
API_AUTH_FLAGS = ("--auth-token", "--jwt-secret")  # either protects Rasa's HTTP API
DEFAULT_CREDENTIALS = "credentials.yml"  # Rasa's default for `rasa run`


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.umask(PRIVATE_UMASK)  # the databases, tickets and logs it creates hold buyers' words: 0600
    masking.install()
    try:
        current = settings.current()
        run_mode.check(current)
        if current.production:
            check_rasa_api(args)
        if args[:1] == ["run"]:
            check_channels(credentials_of(args))
    except settings.SettingsError as problem:
        print(f"configuration error: {problem}", file=sys.stderr)
        return 2
    for name in PRODUCT_LOGGERS:
        logging.getLogger(name).setLevel(log_level(args, current.log_level))
    if args[:1] == ["retention"]:
        from connectors import retention

        return retention.main(args[1:])
    from connectors import rasa_patches

    rasa_patches.apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *args]
    rasa_main()
    return 0


def log_level(args: list[str], default: str) -> str:
    """The level Rasa's own verbosity flags choose, else LOG_LEVEL."""
    if "-vv" in args or "--debug" in args:
        return "DEBUG"
    if "-v" in args or "--verbose" in args:
        return "INFO"
    return "WARNING" if "--quiet" in args else default


def check_rasa_api(args: list[str]) -> None:
    """Rasa's HTTP API reads every tracker, injects events and replaces the model: in production
    it is off, or on behind a token that is not a demo value."""
    if "--enable-api" not in args:
        return
    given = {flag: _flag_value(args, flag) for flag in API_AUTH_FLAGS}
    if not any(given.values()):
        raise settings.SettingsError("POSTSALE_MODE=production: Rasa's HTTP API (--enable-api) needs --auth-token "
                                     "or --jwt-secret (or leave --enable-api out)")
    for flag, value in given.items():
        why = run_mode.weakness(value) if value else None
        if why:
            raise settings.SettingsError(f"POSTSALE_MODE=production: {flag} {why}")


def _flag_value(args: list[str], flag: str) -> str | None:
    for index, arg in enumerate(args):
        if arg == flag and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return None


def credentials_of(args: list[str]) -> dict[str, Any]:
    path = _flag_value(args, "--credentials") or DEFAULT_CREDENTIALS
    if not Path(path).exists():
        return {}
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as problem:
        raise settings.SettingsError(f"{path} is not valid YAML: {problem}") from None
    return document if isinstance(document, dict) else {}


def check_channels(credentials: dict[str, Any]) -> None:
    """The product's channels that the credentials name: their settings, before Rasa loads them."""
    from connectors.inbox import InboxInput
    from connectors.mercadolibre import MercadoLibreInput
    from connectors.rest import RestInput

    for channel in (MercadoLibreInput, InboxInput, RestInput):
        package = channel.__module__.rsplit(".", 1)[0] if channel is not RestInput else channel.__module__
        key = f"{package}.{channel.__name__}"
        if key in credentials:
            channel.check_settings(credentials[key])
    if "rest" in credentials and settings.current().production:
        raise settings.SettingsError("credentials.yml: Rasa's own `rest` channel trusts every caller; in production "
                                     "use connectors.rest.RestInput (REST_AUTH_TOKEN)")


if __name__ == "__main__":
    sys.exit(main())
