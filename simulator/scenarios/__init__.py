"""The seeded sales, declared as facts, and the public index of their ids."""
