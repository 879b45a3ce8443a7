"""Unit tests: no servers, no model; the whole folder runs in about a minute."""
