"""Custom Rasa input/output channels (credentials.yml refers to them by module path).

Importing the package masks personal data in every log record of the process (the Rasa
server loads these channels at start-up, so this covers Rasa's own loggers too).
"""

from connectors import log_masking

log_masking.install()
