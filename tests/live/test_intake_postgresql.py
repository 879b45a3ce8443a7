"""The intake and conversation-guard tests of tests/unit/test_intake_guard.py, on PostgreSQL.

Skipped when no server answers on 127.0.0.1:5432 (MELI_TEST_PG_ADMIN to point elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from postsale.db import get_engine
from testkit.postgres import create_pg_database, drop_pg_database, pg_available
from tests.unit.test_intake_guard import (  # noqa: F401 - collected here with this module's db_url
    test_batch_insert_tells_stored_from_duplicate_and_warm_up_leaves_nothing,
    test_blockers_follow_the_conversation_and_release_keeps_the_turn,
    test_concurrent_claims_never_share_a_row,
    test_every_channel_table_works_on_the_database,
    test_two_workers_keep_each_conversation_in_arrival_order,
)


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("MELI_CONVERSATION_GUARD", "on")
    if not pg_available():
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    url = create_pg_database()
    try:
        yield url
    finally:
        get_engine(url).dispose()
        drop_pg_database(url)
