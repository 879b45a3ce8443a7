"""No buyer e-mail, phone or document number in any log line of connectors and actions."""

from __future__ import annotations

import io
import logging

import pytest

import actions  # noqa: F401 - importing the packages installs the masking
import connectors  # noqa: F401
from postsale.masking import PersonalDataFilter, mask

PERSONAL = ["ana.souza@gmail.com", "(11) 98765-4321", "11987654321", "+54 9 11 4567-8910",
            # CPF in every spelling buyers use
            "123.456.789-09", "123456789-09", "123 456 789 09", "123-456-789-09", "12345678909",
            # CNPJ
            "12.345.678/0001-95", "12345678000195", "12.345.678 0001 95",
            # CUIT / CUIL (Argentina)
            "20-12345678-9", "27-12345678-4", "20123456789", "20 12345678 9",
            # DNI (Argentina, Peru), dotted and bare
            "30.123.456", "30123456", "4.123.456",
            # RUT (Chile) and CI (Uruguay)
            "12.345.678-5", "12345678-K", "1.234.567-8", "1234567-8", "1234567",
            # RFC and CURP (Mexico)
            "GODE561231GR8", "GODE561231HDFRRN09", "gode561231hdfrrn09", "ABC680524P76"]


@pytest.mark.parametrize("value", PERSONAL)
def test_personal_values_are_masked(value: str) -> None:
    masked = mask(f"buyer wrote: {value} ok")
    assert value not in masked and masked.startswith("buyer wrote: [") and masked.endswith("] ok")


def test_ids_we_debug_with_stay_readable() -> None:
    line = "pack 2000007000000201 order 2000010000000101 seller 123456789 at 2026-11-29 12:00:01"
    assert mask(line) == line


@pytest.mark.parametrize("line", [
    "item MLB1234567890 costs R$ 1.234,56 (2x R$ 617,28) since 29/11/2026 12:00",
    "GET /orders/2000010000000101 took 12.5 ms; retry 3 of 5; status 404",
    "message a7ac8b521bb04ec5b8192b318cb0ec16 from user 123456789",
    "notice n-2000010000000201-1 at 2026-11-29T12:00:00.000Z, app 1234567890123456",
])
def test_what_is_not_personal_stays_readable(line: str) -> None:
    assert mask(line) == line


@pytest.mark.parametrize("name", ["connectors.mercadolibre.processing", "actions.handoff", "meli.client", "rasa.core"])
def test_every_logger_is_masked_args_and_exceptions_included(name: str) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        logger.info("buyer %s said call me at %s", "ana.souza@gmail.com", "(11) 98765-4321")
        try:
            raise ValueError("bad CPF 123.456.789-09 in body")
        except ValueError:
            logger.exception("failed for %s", "ana.souza@gmail.com")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    written = stream.getvalue()
    assert "gmail.com" not in written and "98765" not in written and "123.456.789" not in written
    assert "buyer [email] said call me at [phone]" in written
    assert "ValueError: bad CPF [document] in body" in written


def test_filter_masks_records_made_before_install() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "mail %s", ("ana@x.com.br",), None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "mail [email]"
