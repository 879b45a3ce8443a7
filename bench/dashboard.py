"""The dashboard on PostgreSQL with a large history: seed, then time every section. Prints
figures; asserts nothing (docs/dashboard.md records a run).

    .venv/bin/python bench/dashboard.py [--conversations 100000] [--days 30] [--repeat 7] [--keep]

Seeds a throwaway database on the machine's PostgreSQL (testkit/postgres.py) with
testkit/dashboard_data.py's history: `--conversations` conversations over `--days` days on three
stores (about six tracker events each in Rasa's own `events` table), handoff tickets for about
30 % of them with claims, replies, guard refusals. Then asks each section for the whole period,
for the deployment and for one store, `--repeat` times (the first run is the cold one), through
the same functions the `/api/dashboard/<section>` route calls.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402

from connectors.inbox import dashboard  # noqa: E402
from postsale import settings  # noqa: E402
from postsale.db import get_engine  # noqa: E402
from testkit import dashboard_data  # noqa: E402
from testkit.postgres import create_pg_database, drop_pg_database  # noqa: E402

ZONE = "America/Sao_Paulo"
STORES = (123456789, 223456789, 323456789)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")
    args = parser.parse_args()

    url = create_pg_database("meli_dashboard_bench")
    print(f"database: {url}")
    try:
        tz = ZoneInfo(ZONE)
        today = datetime.now(tz).date()
        first = today - timedelta(days=args.days - 1)
        start = datetime(first.year, first.month, first.day, tzinfo=tz).timestamp()
        started = time.perf_counter()
        history = dashboard_data.generate(args.conversations, args.days, STORES, start, now=time.time())
        engine, tracker = get_engine(url), create_engine(url)
        dashboard_data.load(history, engine, tracker)
        dashboard.ensure_tracker_index(tracker)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does after a bulk load
        print(f"seeded in {time.perf_counter() - started:.0f} s: {args.conversations:,} conversations, "
              f"{len(history.events):,} tracker events, {len(history.tickets):,} tickets, "
              f"{len(history.audit):,} audit rows, {len(history.replies):,} withheld replies")
        settings.current()  # loaded once when a server starts, as in the Rasa server
        review = history.review
        del history  # a server does not hold the seed's 600,000 rows (nor its garbage collector)
        gc.collect()
        period = dashboard.Period.of(first.isoformat(), today.isoformat(), ZONE)
        print(f"\nperiod {period.first} .. {period.label(period.days - 1)} ({period.days} days), "
              f"{args.repeat} runs each")
        print(f"{'section':<14}{'scope':<8}{'cold ms':>9}{'median ms':>11}{'max ms':>9}")
        worst = 0.0
        for section in dashboard.SECTIONS:
            for label, scope in (("all", dashboard.Scope(None)), ("store", dashboard.Scope(frozenset({STORES[0]})))):
                runs = []
                for _ in range(args.repeat):
                    began = time.perf_counter()
                    call = dashboard.COMPUTE[section]
                    if section == "nlu":
                        call(engine, tracker, period, scope, review_items=review)
                    else:
                        call(engine, tracker, period, scope)
                    runs.append((time.perf_counter() - began) * 1000)
                worst = max(worst, max(runs))
                print(f"{section:<14}{label:<8}{runs[0]:>9.1f}{statistics.median(runs):>11.1f}{max(runs):>9.1f}")
        print(f"\nslowest request: {worst:.1f} ms")
    finally:
        if not args.keep:
            drop_pg_database(url)


if __name__ == "__main__":
    main()
