"""Helpers for tests/ and bench/ only: the whole product as processes, trackers, the simulator.

Nothing of the product imports this package (tests/unit/test_import_direction.py).
"""
