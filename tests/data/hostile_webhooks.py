"""Malformed and hostile Mercado Libre webhook deliveries, with the answer each must get.

Used by tests/live/test_reliability.py against the live Rasa server. Every case is posted to
`/webhooks/mercadolibre/webhook?<query>` with its own body and content type. Expected answers:

* 4xx with `{"error": <reason>, "detail": ...}` for everything that is not a notification of
  ours: 400 (not JSON, wrong shape, missing or mistyped field, a resource that is not a message
  id or a claim path), 401 (secret missing or wrong), 403 (another application: checked before
  the topic), 413 (body over 64 KB), 415 (a body declared as form, text
  or XML; an absent content type is tolerated). Nothing is stored, nothing reaches the API.
* 200 `{"status": "ignored"}` for a well-formed notification of our application for a seller that
  is no store of this deployment (one application serves every seller who authorised it: the
  marketplace must not retry it), and of our application and store on a topic the bot does not
  handle (`questions`, `orders_v2`, `items`, `payments`, ...). Mercado
  Libre's contract (reference §1.4) counts anything but a 200 as undelivered, retries it for an
  hour and can deactivate the topic subscription, so a valid-but-irrelevant notification must be
  acknowledged. It is not stored either, and nothing reaches the API.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SECRET = "test-secret"  # testkit/stack.py
APP = 5551234
SELLER = 123456789
GOOD_QUERY = f"secret={SECRET}"
JSON = "application/json"
_DROP = object()


@dataclass(frozen=True)
class Hostile:
    name: str
    body: bytes
    status: int
    reason: str  # the JSON "error", or "ignored" for a 200
    content_type: str | None = JSON
    query: str = GOOD_QUERY


def note(**over: Any) -> dict[str, Any]:
    """A well-formed `messages` notification of our app and seller; `_DROP` removes a key."""
    body: dict[str, Any] = {
        "_id": "5e2827f2-99b7-474e-b68b-6a86e934cc7e", "resource": "3f6da1e35ac84f70a24af7360d24c7bc",
        "user_id": SELLER, "topic": "messages", "actions": ["created"], "application_id": APP,
        "attempts": 1, "sent": "2026-11-29T12:00:00.000Z", "received": "2026-11-29T12:00:00.000Z"}
    body.update(over)
    return {k: v for k, v in body.items() if v is not _DROP}


def claim_note(resource: str) -> dict[str, Any]:
    return note(topic="post_purchase", resource=resource, actions=["claims"])


def js(obj: Any, ascii_only: bool = True) -> bytes:
    """JSON bytes; escaped (\\uXXXX) by default, which is how lone surrogates and NUL can travel."""
    return json.dumps(obj, ensure_ascii=ascii_only).encode()


def _nested_arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _nested_objects(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


VALID = js(note())

CASES: list[Hostile] = [
    # --- not JSON, or not a JSON object -------------------------------------------------------
    Hostile("empty body", b"", 400, "invalid_json"),
    Hostile("whitespace only", b"  \n\t ", 400, "invalid_json"),
    Hostile("broken JSON", b"{not json", 400, "invalid_json"),
    Hostile("truncated JSON", VALID[:-7], 400, "invalid_json"),
    Hostile("trailing garbage", VALID + b"}}", 400, "invalid_json"),
    Hostile("single-quoted keys", b"{'topic': 'messages', 'resource': 'abc'}", 400, "invalid_json"),
    Hostile("UTF-8 BOM before the JSON", b"\xef\xbb\xbf" + VALID, 400, "invalid_json"),
    Hostile("invalid UTF-8 bytes", b"\xff\xfe\x00", 400, "invalid_json"),
    Hostile("UTF-16 encoded body", json.dumps(note()).encode("utf-16"), 400, "invalid_json"),
    Hostile("latin-1 bytes declared as latin-1", json.dumps(note(_id="pedido-não-lido"), ensure_ascii=False)
            .encode("latin-1"), 400, "invalid_json", content_type="application/json; charset=iso-8859-1"),
    Hostile("raw NUL byte inside a string", VALID.replace(b'"messages"', b'"mess\x00ages"'), 400, "invalid_json"),
    Hostile("5000-digit number", VALID.replace(str(SELLER).encode(), b"1" * 5000), 400, "invalid_json"),
    Hostile("30 000 nested arrays", _nested_arrays(30_000), 400, "invalid_json"),
    Hostile("10 000 nested objects", _nested_objects(10_000), 400, "invalid_json"),
    Hostile("valid notification carrying a 20 000-deep extra field",
            VALID[:-1] + b', "extra": ' + _nested_arrays(20_000) + b"}", 400, "invalid_json"),
    Hostile("JSON null", b"null", 400, "invalid_shape"),
    Hostile("JSON array of notifications", b"[" + VALID + b"]", 400, "invalid_shape"),
    Hostile("JSON string", b'"messages"', 400, "invalid_shape"),
    Hostile("JSON number", b"42", 400, "invalid_shape"),
    # --- missing fields -----------------------------------------------------------------------
    Hostile("empty object", b"{}", 400, "missing_field"),
    Hostile("no topic", js(note(topic=_DROP)), 400, "missing_field"),
    Hostile("no resource", js(note(resource=_DROP)), 400, "missing_field"),
    Hostile("no user_id", js(note(user_id=_DROP)), 400, "missing_field"),
    Hostile("no application_id", js(note(application_id=_DROP)), 400, "missing_field"),
    Hostile("empty topic", js(note(topic="")), 400, "missing_field"),
    Hostile("null user_id", js(note(user_id=None)), 400, "missing_field"),
    # --- wrong types --------------------------------------------------------------------------
    Hostile("topic is a number", js(note(topic=123)), 400, "invalid_field"),
    Hostile("topic is a list", js(note(topic=["messages"])), 400, "invalid_field"),
    Hostile("resource is an object", js(note(resource={"id": "3f6da1e35ac84f70a24af7360d24c7bc"})), 400,
            "invalid_field"),
    Hostile("resource is a number", js(note(resource=123456)), 400, "invalid_field"),
    Hostile("user_id is a boolean", js(note(user_id=True)), 400, "invalid_field"),
    Hostile("user_id is a float", js(note(user_id=123456789.0)), 400, "invalid_field"),
    Hostile("user_id is NaN", VALID.replace(str(SELLER).encode(), b"NaN"), 400, "invalid_field"),
    Hostile("user_id is 1e400 (infinity)", VALID.replace(str(SELLER).encode(), b"1e400"), 400, "invalid_field"),
    Hostile("user_id with letters", js(note(user_id="123456789abc")), 400, "invalid_field"),
    Hostile("application_id is a list", js(note(application_id=[APP])), 400, "invalid_field"),
    Hostile("_id is a number", js(note(_id=12345)), 400, "invalid_field"),
    Hostile("_id over 100 characters", js(note(_id="a" * 101)), 400, "invalid_field"),
    # --- unicode edge cases in the fields that decide anything ----------------------------------
    Hostile("user_id in superscript digits", js(note(user_id="¹²³⁴⁵⁶⁷⁸⁹")), 400, "invalid_field"),
    Hostile("user_id in full-width digits", js(note(user_id="１２３４５６７８９")), 400, "invalid_field"),
    Hostile("user_id in Arabic-Indic digits", js(note(user_id="١٢٣٤٥٦٧٨٩")), 400, "invalid_field"),
    Hostile("resource with an escaped NUL", js(note(resource="3f6da1e3\u0000aaaa")), 400, "invalid_field"),
    Hostile("resource with an escaped lone surrogate", js(note(resource="3f6da1e3\ud800")), 400, "invalid_field"),
    Hostile("topic with an escaped lone surrogate", js(note(topic="messages\udfff")), 400, "invalid_field"),
    Hostile("topic with an RTL override", js(note(topic="\u202emessages")), 400, "invalid_field"),
    Hostile("resource with an RTL override", js(note(resource="3f6da1e3\u202ecb42"), ascii_only=False), 400,
            "invalid_field"),
    Hostile("topic with an emoji", js(note(topic="messages🔥"), ascii_only=False), 400, "invalid_field"),
    Hostile("resource with an emoji", js(note(resource="3f6da1e3📦"), ascii_only=False), 400, "invalid_field"),
    Hostile("resource with a zero-width space", js(note(resource="3f6da1e3\u200b35ac")), 400, "invalid_field"),
    Hostile("topic with a Cyrillic homoglyph", js(note(topic="m\u0435ssages")), 400, "invalid_field"),
    Hostile("resource in full-width letters", js(note(resource="ａｂｃ１２３")), 400, "invalid_field"),
    Hostile("resource with a trailing newline", js(note(resource="3f6da1e35ac84f70a24af7360d24c7bc\n")), 400,
            "invalid_field"),
    Hostile("topic with a trailing newline", js(note(topic="messages\n")), 400, "invalid_field"),
    Hostile("claim id in Arabic-Indic digits", js(claim_note("/post-purchase/v1/claims/٥١٠٨٦٨٤٤٩٩")), 400,
            "invalid_field"),
    Hostile("claim path with a trailing newline", js(claim_note("/post-purchase/v1/claims/5108684499\n")), 400,
            "invalid_field"),
    # --- path tricks in resource ----------------------------------------------------------------
    Hostile("resource ../../etc/passwd", js(note(resource="../../etc/passwd")), 400, "invalid_field"),
    Hostile("resource %2e%2e%2f", js(note(resource="%2e%2e%2fadmin")), 400, "invalid_field"),
    Hostile("resource climbing out of /messages", js(note(resource="/messages/abc/../../orders/1")), 400,
            "invalid_field"),
    Hostile("resource is an absolute URL", js(note(resource="https://evil.example/messages/abc")), 400,
            "invalid_field"),
    Hostile("resource is a scheme-relative URL", js(note(resource="//evil.example/abc")), 400, "invalid_field"),
    Hostile("resource with backslashes", js(note(resource="..\\..\\windows\\win.ini")), 400, "invalid_field"),
    Hostile("message id of 65 characters", js(note(resource="a" * 65)), 400, "invalid_field"),
    Hostile("resource of 300 characters", js(note(resource="b" * 300)), 400, "invalid_field"),
    Hostile("claim path climbing out", js(claim_note("/post-purchase/v1/claims/../../../users/me")), 400,
            "invalid_field"),
    Hostile("claim path with a query", js(claim_note("/post-purchase/v1/claims/5108684499?caller.id=1")), 400,
            "invalid_field"),
    Hostile("claim as an absolute URL", js(claim_note("https://api.mercadolibre.com/post-purchase/v1/claims/1")),
            400, "invalid_field"),
    Hostile("claim id percent-encoded", js(claim_note("/post-purchase/v1/claims/%35%31%30%38")), 400,
            "invalid_field"),
    Hostile("claim id of 21 digits", js(claim_note("/post-purchase/v1/claims/" + "1" * 21)), 400,
            "invalid_field"),
    Hostile("claims topic with a message id", js(claim_note("3f6da1e35ac84f70a24af7360d24c7bc")), 400,
            "invalid_field"),
    # --- SQL-ish strings ------------------------------------------------------------------------
    Hostile("resource 1' OR '1'='1", js(note(resource="1' OR '1'='1")), 400, "invalid_field"),
    Hostile("topic with DROP TABLE", js(note(topic="messages'; DROP TABLE meli_notifications;--")), 400,
            "invalid_field"),
    Hostile("user_id with OR 1=1", js(note(user_id="123456789 OR 1=1")), 400, "invalid_field"),
    Hostile("application_id with DELETE", js(note(application_id="5551234; DELETE FROM meli_replies")), 400,
            "invalid_field"),
    Hostile("uppercase topic", js(note(topic="MESSAGES")), 400, "invalid_field"),
    # --- spoofed or out-of-range ids ------------------------------------------------------------
    Hostile("another application", js(note(application_id=999)), 403, "foreign_application"),
    Hostile("another application as a string", js(note(application_id="999")), 403, "foreign_application"),
    Hostile("application_id 0", js(note(application_id=0)), 403, "foreign_application"),
    Hostile("a seller that is no store here", js(note(user_id=42)), 200, "ignored"),
    Hostile("negative seller id", js(note(user_id=-SELLER)), 200, "ignored"),
    Hostile("huge seller id", js(note(user_id=10**30)), 200, "ignored"),
    Hostile("negative seller id as a string", js(note(user_id=f"-{SELLER}")), 400, "invalid_field"),
    Hostile("23-digit seller id as a string", js(note(user_id="9" * 23)), 400, "invalid_field"),
    Hostile("another seller on an ignored topic", js(note(user_id=42, topic="questions",
                                                          resource="/questions/5036111111")), 200, "ignored"),
    # --- too big --------------------------------------------------------------------------------
    Hostile("70 KB body", js(note(padding="x" * 70_000)), 413, "body_too_large"),
    Hostile("1 MB body", b"{" + b" " * 1_000_000 + b"}", 413, "body_too_large"),
    Hostile("5 MB body", b"x" * 5_000_000, 413, "body_too_large"),
    # --- content type ---------------------------------------------------------------------------
    Hostile("valid body as text/plain", VALID, 415, "unsupported_media_type", content_type="text/plain"),
    Hostile("form-encoded body", b"topic=messages&resource=3f6da1e35ac84f70a24af7360d24c7bc&user_id=123456789",
            415, "unsupported_media_type", content_type="application/x-www-form-urlencoded"),
    Hostile("multipart body", b"--x\r\nContent-Disposition: form-data; name=topic\r\n\r\nmessages\r\n--x--\r\n",
            415, "unsupported_media_type", content_type="multipart/form-data; boundary=x"),
    Hostile("XML body", b"<notification><topic>messages</topic></notification>", 415, "unsupported_media_type",
            content_type="application/xml"),
    Hostile("valid body as text/html", VALID, 415, "unsupported_media_type", content_type="text/html"),
    # --- the callback secret --------------------------------------------------------------------
    Hostile("no secret", VALID, 401, "bad_secret", query=""),
    Hostile("wrong secret", VALID, 401, "bad_secret", query="secret=guess"),
    Hostile("empty secret", VALID, 401, "bad_secret", query="secret="),
    Hostile("secret prefix", VALID, 401, "bad_secret", query=f"secret={SECRET[:-1]}"),
    Hostile("secret with a suffix", VALID, 401, "bad_secret", query=f"secret={SECRET}x"),
    Hostile("secret under another key case", VALID, 401, "bad_secret", query=f"SECRET={SECRET}"),
    Hostile("secret as invalid UTF-8", VALID, 401, "bad_secret", query="secret=%ff%fe"),
    Hostile("secret with an SQL tail", VALID, 401, "bad_secret", query=f"secret={SECRET}'%20OR%20'1'='1"),
    # --- valid shape, our ids, a topic the bot does not handle: acknowledged, not stored ---------
    Hostile("pre-sale questions topic", js(note(topic="questions", resource="/questions/5036111111")), 200,
            "ignored"),
    Hostile("orders_v2 topic", js(note(topic="orders_v2", resource="/orders/2195160686")), 200, "ignored"),
    Hostile("orders feedback topic", js(note(topic="orders feedback", resource="/orders/2195160686/feedback")), 200,
            "ignored"),
    Hostile("invoices topic", js(note(topic="invoices", resource="/users/123456789/invoices/1")), 200, "ignored"),
    Hostile("items topic", js(note(topic="items", resource="/items/MLA686791111")), 200, "ignored"),
    Hostile("payments topic", js(note(topic="payments", resource="/collections/3043111111")), 200, "ignored"),
    Hostile("shipments topic", js(note(topic="shipments", resource="/shipments/40546549876")), 200, "ignored"),
    Hostile("made-up topic that looks like SQL", js(note(topic="drop table meli notifications")), 200, "ignored"),
]
