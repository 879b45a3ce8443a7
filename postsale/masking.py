"""Logs never carry a buyer's e-mail, phone or document number.

Buyer text reaches log lines in many ways (a MeLi error body, a handoff detail, an exception
message), so masking at each call site would leak sooner or later. Instead every log record
created in the process is masked once, when it is made: `install()` wraps the log-record
factory, which covers every logger and handler (Rasa's, Sanic's, ours) whatever logging
configuration runs later. `PersonalDataFilter` does the same for a single handler, for
processes that prefer to opt in per handler.

Ids we need to debug (16-digit order and pack ids, user ids up to 9 digits) stay readable;
10 to 15-digit runs (phones, CPF, CNPJ, DNI without dots) do not.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
DOCUMENT = re.compile(
    r"(?<![\d.])(?:\d{3}\.\d{3}\.\d{3}-\d{2}|\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}|\d{1,2}\.\d{3}\.\d{3}(?:-[\dkK])?)(?![\d])"
)
PHONE_CANDIDATE = re.compile(r"(?<![\w/.\-])\+?\(?\d[\d\s().\-]{6,}\d(?![\w/]|\.\d)")
_MARKER = "_personal_data_masked"


def mask(text: str) -> str:
    """The text with e-mails, documents and phone-like numbers replaced by placeholders."""
    if not text:
        return text
    text = EMAIL.sub("[email]", text)
    text = DOCUMENT.sub("[document]", text)
    return PHONE_CANDIDATE.sub(_phone, text)


def _phone(match: re.Match[str]) -> str:
    """Phones, bare 10-15 digit runs (phones, CPF, CNPJ); not dates, times or 16-digit order ids."""
    raw = match.group()
    digits = re.sub(r"\D", "", raw)
    groups = [g for g in re.split(r"[\s().\-]+", raw) if g]
    if not 8 <= len(digits) <= 15:
        return raw
    phone_shaped = raw.startswith(("+", "(")) or len(groups[-1]) >= 4 or (
        len(groups) >= 6 and max(map(len, groups)) <= 2)
    if len(groups) == 1:
        phone_shaped = len(digits) >= 10
    return "[phone]" if phone_shaped else raw


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, _MARKER, False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a broken format string must not lose the log line
        message = f"{record.msg} {record.args}"
    record.msg, record.args = mask(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = mask("".join(traceback.format_exception(*record.exc_info)).rstrip())
    elif record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    setattr(record, _MARKER, True)
    return record


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_installed = False


def install() -> None:
    """Mask every log record this process creates from now on (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True
