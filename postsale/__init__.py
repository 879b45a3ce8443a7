"""The post-sale domain core: what the bot knows about buyers, orders, handoffs and its own texts.

No Rasa here (and no Mercado Libre client): the action server, the Rasa server's channels and
the trainers' tools all build on this package, so a fact written here is the same fact for all
three. `tests/unit/test_import_direction.py` keeps it that way.
"""
