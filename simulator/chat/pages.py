"""HTML of the buyer chat pages: an index of the seeded sales and one page per conversation.

Labels follow the sale's site (Portuguese for MLB, Spanish elsewhere) so a tester sees the
conversation as that marketplace's buyer would. Every value interpolated here goes through
`html.escape` (or a JSON blob that cannot close its <script>), because titles and ids are data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from typing import Any

from simulator.chat.script import CHAT_JS

POLL_MS = 1000

LABELS: dict[str, dict[str, str]] = {
    "pt": {"lang": "pt-BR", "title": "Conversa com o vendedor", "you": "Você (comprador)", "seller": "Vendedor",
           "send": "Enviar", "placeholder": "Escreva sua mensagem para o vendedor", "order": "Pedido",
           "moderated": "Mensagem moderada pelo Mercado Livre (não entregue ao comprador)",
           "status": "Conversa", "active": "ativa", "blocked": "bloqueada", "empty": "Nenhuma mensagem ainda.",
           "back": "Todas as conversas", "offline": "Simulador indisponível", "send_failed": "Não foi possível enviar",
           "photo": "Foto ou arquivo"},
    "es": {"lang": "es", "title": "Conversación con el vendedor", "you": "Tú (comprador)", "seller": "Vendedor",
           "send": "Enviar", "placeholder": "Escribe tu mensaje para el vendedor", "order": "Compra",
           "moderated": "Mensaje moderado por Mercado Libre (no entregado al comprador)",
           "status": "Conversación", "active": "activa", "blocked": "bloqueada", "empty": "Todavía no hay mensajes.",
           "back": "Todas las conversaciones", "offline": "Simulador no disponible",
           "send_failed": "No se pudo enviar", "photo": "Foto o archivo"},
}

CSS = """
body{font-family:system-ui,sans-serif;margin:0;background:#ededed;color:#333}
header{background:#fff159;padding:12px 20px}header h1{font-size:18px;margin:0}
main{max-width:760px;margin:0 auto;padding:16px}a{color:#3483fa}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{padding:6px 8px;border-bottom:1px solid #ddd;text-align:left}
#thread{list-style:none;padding:8px;margin:0;background:#fff;height:60vh;overflow-y:auto;border-radius:6px}
.msg{max-width:75%;margin:8px 0;padding:8px 12px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}
.buyer{margin-left:auto;background:#d9ecff}.seller{margin-right:auto;background:#f5f5f5}
.moderated{background:#ffe0e0;border:1px dashed #c00}.moderated .text{text-decoration:line-through}
.who{font-size:11px;color:#777;margin-bottom:2px}.note{font-size:12px;color:#c00;margin-top:4px}
.empty{color:#777;text-align:center}.status{font-size:13px;margin:8px 0}.blocked{color:#c00}
form{display:flex;gap:8px;margin-top:10px}textarea{flex:1;min-height:48px;font:inherit;padding:6px}
button{background:#3483fa;color:#fff;border:0;border-radius:6px;padding:0 18px;font:inherit}
#chat-error{color:#c00;font-size:13px;min-height:1em}
"""


@dataclass(frozen=True)
class ChatRow:
    """One seeded sale in the index."""

    name: str
    conversation_id: int
    title: str
    site_id: str
    order_status: str
    conversation_status: str


def language(site_id: str) -> str:
    return "pt" if site_id == "MLB" else "es"


def _page(lang: str, title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>")


def index_page(rows: list[ChatRow]) -> str:
    cells = "".join(
        f'<tr><td><a href="/chat/{r.conversation_id}">{escape(r.title)}</a></td><td>{escape(r.site_id)}</td>'
        f"<td>{escape(r.order_status)}</td><td>{escape(r.conversation_status)}</td>"
        f"<td><code>{escape(r.name)}</code></td><td>{r.conversation_id}</td></tr>" for r in rows)
    body = ("<header><h1>Mercado Libre simulator: buyer chat</h1></header><main>"
            "<p>Pick a sale and write as its buyer; the seller's bot answers through the API.</p>"
            "<table><thead><tr><th>Item</th><th>Site</th><th>Order status</th><th>Conversation</th>"
            f"<th>Scenario</th><th>Pack / order</th></tr></thead><tbody>{cells}</tbody></table></main>")
    return _page("en", "Buyer chat: scenarios", body)


def _config_json(config: dict[str, Any]) -> str:
    """JSON that is safe inside <script>: no `<`, `>` or `&` can end the element early."""
    return json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chat_page(row: ChatRow) -> str:
    labels = LABELS[language(row.site_id)]
    config = {"pack_id": row.conversation_id, "labels": labels, "poll_ms": POLL_MS,
              "post_url": "/_sim/buyer_messages", "thread_url": f"/_sim/conversations/{row.conversation_id}"}
    body = (f'<header><h1>{escape(labels["title"])}</h1></header><main>'
            f'<p><a href="/chat">&larr; {escape(labels["back"])}</a></p>'
            f'<h2>{escape(row.title)}</h2><p>{escape(labels["order"])} {row.conversation_id} &middot; '
            f'{escape(row.site_id)} &middot; {escape(row.order_status)}</p>'
            '<div id="chat-status" class="status"></div><ol id="thread"></ol>'
            '<form id="chat-form" autocomplete="off">'
            f'<textarea id="chat-text" name="text" maxlength="3500" placeholder="{escape(labels["placeholder"])}"'
            f'></textarea><input id="chat-photo" type="file" accept="image/jpeg,image/png,application/pdf"'
            f' title="{escape(labels["photo"])}"><button type="submit">{escape(labels["send"])}</button></form>'
            '<div id="chat-error" role="alert"></div></main>'
            f'<script id="chat-config" type="application/json">{_config_json(config)}</script>'
            f"<script>{CHAT_JS}</script>")
    return _page(labels["lang"], f"{labels['title']}: {row.title}", body)


def not_found_page(pack_id: str) -> str:
    body = (f"<header><h1>Not found</h1></header><main><p>No conversation for {escape(pack_id)}.</p>"
            '<p><a href="/chat">All conversations</a></p></main>')
    return _page("en", "Not found", body)
