"""Test-control API under `/_sim`: reset, request log, faults, conversations and notification push."""
