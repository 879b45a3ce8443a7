"""Custom actions of the post-sale bot (run with `rasa run actions`)."""
