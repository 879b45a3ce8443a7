"""Custom Rasa input/output channels (credentials.yml refers to them by module path)."""
