"""The Rasa server's side of the product: its channels, and how the server is started.

* `mercadolibre/`: the marketplace channel (webhook, durable intake, worker, replies);
* `inbox/`: the agents' inbox (page and JSON API), served by the same server;
* `rasa_patches.py`: our two changes to Rasa's server, applied by `python -m connectors`;
* `conversation.py`: changing a conversation outside a dialogue turn (resume the bot).

credentials.yml names the channels (`connectors.mercadolibre.MercadoLibreInput`, ...). Importing
the package masks personal data in every log record of the process.
"""

from postsale import masking

masking.install()
