"""The product's Rasa server: `python -m connectors run ...` is `rasa run ...` plus our start-up.

Before Rasa parses its arguments: the settings are read and checked, and so are the product's
channels named in the credentials file (a bad variable or a stale credentials.yml stops the
start with one line naming it, instead of a traceback from inside Rasa's channel loading);
personal data is masked in every log record; the Rasa patches are applied, whatever channels
credentials.yml configures. Every other argument is Rasa's own (`run`, `shell`, `-m`, ...).

Rasa sets the level of its own `rasa` logger only; the product's loggers follow the same choice
(`-v`, `-vv`/`--debug`, `--quiet`, else LOG_LEVEL), so what the channel and the patches report
reaches the server's log.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import yaml

from postsale import masking, settings

PRODUCT_LOGGERS = ("connectors", "postsale", "meli")
DEFAULT_CREDENTIALS = "credentials.yml"  # Rasa's default for `rasa run`


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    masking.install()
    try:
        current = settings.current()
        if args[:1] == ["run"]:
            check_channels(credentials_of(args))
    except settings.SettingsError as problem:
        print(f"configuration error: {problem}", file=sys.stderr)
        return 2
    for name in PRODUCT_LOGGERS:
        logging.getLogger(name).setLevel(log_level(args, current.log_level))
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


def credentials_of(args: list[str]) -> dict[str, Any]:
    path = DEFAULT_CREDENTIALS
    for index, arg in enumerate(args):
        if arg == "--credentials" and index + 1 < len(args):
            path = args[index + 1]
        elif arg.startswith("--credentials="):
            path = arg.split("=", 1)[1]
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

    for channel in (MercadoLibreInput, InboxInput):
        key = f"{channel.__module__.rsplit('.', 1)[0]}.{channel.__name__}"
        if key in credentials:
            channel.check_settings(credentials[key])


if __name__ == "__main__":
    sys.exit(main())
