"""Custom actions of the post-sale bot (run with `rasa run actions --actions actions`).

Importing the package checks the settings (a bad variable stops the action server at start,
naming it) and masks personal data in every log record of the action server.
"""

from postsale import masking, settings

masking.install()
settings.current()
