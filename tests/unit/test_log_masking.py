"""No buyer e-mail, phone or document number in any log line of connectors and actions."""

from __future__ import annotations

import io
import logging

import pytest

import actions  # noqa: F401 - importing the packages installs the masking
import connectors  # noqa: F401
from postsale.masking import PersonalDataFilter, mask

PERSONAL = ["ana.souza@gmail.com", "(11) 98765-4321", "11987654321", "+54 9 11 4567-8910",
            "123.456.789-09", "12.345.678/0001-95", "30.123.456"]


@pytest.mark.parametrize("value", PERSONAL)
def test_personal_values_are_masked(value: str) -> None:
    masked = mask(f"buyer wrote: {value} ok")
    assert value not in masked and masked.startswith("buyer wrote: [") and masked.endswith("] ok")


def test_ids_we_debug_with_stay_readable() -> None:
    line = "pack 2000007000000201 order 2000010000000101 seller 123456789 at 2026-11-29 12:00:01"
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
