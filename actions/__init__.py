"""Custom actions of the post-sale bot (run with `python -m actions`: actions/__main__.py).

Importing the package checks the settings (a bad variable stops the action server at start with
one line naming it) and masks personal data in every log record of the action server.
"""

import sys

from postsale import masking, settings

masking.install()
try:
    settings.current()
except settings.SettingsError as problem:
    print(f"configuration error: {problem}", file=sys.stderr)
    raise SystemExit(2) from None
