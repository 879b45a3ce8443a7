"""The buyer chat page's script, kept apart from the HTML so both stay readable.

Vanilla JS without external assets (the simulator must work offline). It posts through the same
`/_sim/buyer_messages` endpoint as the tests, so a person typing exercises exactly the path the
automated tests cover (including the `messages` notification), and it renders every text with
`textContent`, never as HTML, so a message cannot inject markup into the page.
"""

from __future__ import annotations

CHAT_JS = """
"use strict";
(function () {
  const cfg = JSON.parse(document.getElementById("chat-config").textContent);
  const L = cfg.labels;
  const thread = document.getElementById("thread");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-text");
  const errorBox = document.getElementById("chat-error");
  const statusBox = document.getElementById("chat-status");
  let lastSeen = "";

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bubble(msg, buyerId) {
    const fromBuyer = msg.from.user_id === buyerId;
    const moderated = msg.status === "moderated";
    const item = el("li", "msg " + (fromBuyer ? "buyer" : "seller") + (moderated ? " moderated" : ""));
    const when = new Date(msg.message_date.created).toLocaleString();
    item.appendChild(el("div", "who", (fromBuyer ? L.you : L.seller) + " \\u00b7 " + when));
    item.appendChild(el("div", "text", msg.text));
    for (const file of msg.message_attachments || []) {
      item.appendChild(el("div", "note", "📎 " + file.original_filename));
    }
    if (moderated) {
      const reason = msg.message_moderation && msg.message_moderation.reason;
      item.appendChild(el("div", "note", L.moderated + (reason ? " (" + reason + ")" : "")));
    }
    return item;
  }

  function render(data) {
    const status = data.conversation_status || {};
    const blocked = status.status === "blocked";
    statusBox.textContent = L.status + ": " + (blocked ? L.blocked + " (" + status.substatus + ")" : L.active);
    statusBox.className = blocked ? "status blocked" : "status";
    const key = JSON.stringify(data.messages);
    if (key === lastSeen) return;
    lastSeen = key;
    thread.replaceChildren(...data.messages.map((m) => bubble(m, data.buyer_id)));
    if (!data.messages.length) thread.appendChild(el("li", "empty", L.empty));
    thread.scrollTop = thread.scrollHeight;
  }

  async function poll() {
    try {
      const resp = await fetch(cfg.thread_url, {cache: "no-store"});
      if (resp.ok) render(await resp.json());
    } catch (err) {
      statusBox.textContent = L.offline;
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    const photo = document.getElementById("chat-photo");
    const file = photo.files[0];
    if (!text && !file) return;
    errorBox.textContent = "";
    try {
      const body = {pack_id: cfg.pack_id, text: text};
      if (file) {
        const data = await new Promise((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(String(reader.result).split(",", 2)[1]);
          reader.onerror = reject;
          reader.readAsDataURL(file);
        });
        body.attachment = {name: file.name, data: data};
      }
      const resp = await fetch(cfg.post_url, {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body),
      });
      if (!resp.ok) {
        const body = await resp.json().catch(() => ({}));
        errorBox.textContent = body.message || L.send_failed;
        return;
      }
      input.value = "";
      photo.value = "";
      poll();
    } catch (err) {
      errorBox.textContent = L.send_failed;
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  poll();
  setInterval(poll, cfg.poll_ms);
})();
"""
