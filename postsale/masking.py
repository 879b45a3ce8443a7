"""Logs never carry a buyer's e-mail, phone or document number.

Buyer text reaches log lines in many ways (a MeLi error body, a handoff detail, an exception
message), so masking at each call site would leak sooner or later. Instead every log record
created in the process is masked once, when it is made: `install()` wraps the log-record
factory, which covers every logger and handler (Rasa's, Sanic's, ours) whatever logging
configuration runs later. `PersonalDataFilter` does the same for a single handler, for
processes that prefer to opt in per handler.

Ids we need to debug (16-digit order and pack ids, user ids of 9 digits) stay readable; 7-8
digit runs (a bare DNI or CI) and 10 to 15-digit runs (phones, CPF, CNPJ, CUIT) do not.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Documents in the spellings buyers use (each has a test in tests/unit/test_log_masking.py):
_DOCUMENTS = (
    r"\d{3}[.\s-]?\d{3}[.\s-]?\d{3}[\s-]?\d{2}",  # CPF: 123.456.789-09, 123456789-09, 123 456 789 09
    r"\d{2}\.?\d{3}\.?\d{3}[/\s]?\d{4}[-\s]?\d{2}",  # CNPJ: 12.345.678/0001-95, 12345678000195
    r"(?:20|23|24|27|30|33|34)[-\s]?\d{8}[-\s]?\d",  # CUIT/CUIL: 20-12345678-9, 20123456789
    r"\d{1,2}\.\d{3}\.\d{3}(?:-[\dkK])?",  # DNI/RUT/CI with dots: 30.123.456, 12.345.678-5, 1.234.567-8
    r"\d{6,8}-[\dkK]",  # RUT, CI without dots: 12345678-5, 1234567-8
    r"\d{7,8}",  # a bare DNI or CI: 30123456 (user ids have 9+ digits, order ids 16)
)
DOCUMENT = re.compile(r"(?<![\w.\-/])(?:" + "|".join(_DOCUMENTS) + r")(?![\w\-/]|\.\d)")
# Mexico's RFC (GODE561231GR8, companies: 3 letters) and CURP (GODE561231HDFRRN09).
MEXICAN_ID = re.compile(r"(?<![\w])(?:[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z\d]\d|[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3})(?!\w)",
                        re.IGNORECASE)
PHONE_CANDIDATE = re.compile(r"(?<![\w/.\-])\+?\(?\d[\d\s().\-]{6,}\d(?![\w/]|\.\d)")
_MARKER = "_personal_data_masked"


def mask(text: str) -> str:
    """The text with e-mails, documents and phone-like numbers replaced by placeholders."""
    if not text:
        return text
    text = EMAIL.sub("[email]", text)
    text = MEXICAN_ID.sub("[document]", text)
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
