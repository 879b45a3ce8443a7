"""The product's Rasa server: `python -m connectors run ...` is `rasa run ...` plus our start-up.

Before Rasa parses its arguments: the settings are read and checked (a bad variable stops the
start with one line naming it), personal data is masked in every log record, and the Rasa
patches are applied, whatever channels credentials.yml configures. Every other argument is
Rasa's own (`run`, `shell`, `-m`, `--endpoints`, ...).

Rasa sets the level of its own `rasa` logger only; the product's loggers get the same default
(`LOG_LEVEL`, INFO), so what the channel and the patches report reaches the server's log.
"""

from __future__ import annotations

import logging
import sys

from postsale import masking, settings

PRODUCT_LOGGERS = ("connectors", "postsale", "meli")


def main(argv: list[str] | None = None) -> int:
    masking.install()
    try:
        current = settings.current()
    except settings.SettingsError as problem:
        print(f"configuration error: {problem}", file=sys.stderr)
        return 2
    for name in PRODUCT_LOGGERS:
        logging.getLogger(name).setLevel(current.log_level)
    from connectors import rasa_patches

    rasa_patches.apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
