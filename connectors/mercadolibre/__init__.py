"""The Mercado Libre channel: post-sale messages in, the bot's replies out, nothing lost.

`channel.py` is what credentials.yml names; the webhook only validates (`notification.py`) and
stores (`intake.py`, `intake_writer.py`), a worker (`worker.py`) runs each stored notification
(`processing.py`) and replies go out through `output.py`.
"""

from connectors.mercadolibre.channel import MercadoLibreInput

__all__ = ["MercadoLibreInput"]
