"""Test data: labelled guard messages, hostile webhooks, saved trackers."""
