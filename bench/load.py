"""Two gunicorn instances sharing one PostgreSQL, 50 concurrent clients sending signed check-ins,
one instance SIGKILLed in the middle. Prints one table: requests/s, p50/p99, acknowledged vs stored.

Bounded: a fixed number of requests, loopback only, everything stopped at the end.
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from postgres import throwaway_postgres  # noqa: E402

from intents.store.schema import check_ins  # noqa: E402
from tests.alexa.gunicorn import instance_env, start  # noqa: E402
from tests.alexa.load import question_from, run_load  # noqa: E402
from tests.alexa.pki import make_authority  # noqa: E402

REQUESTS = int(os.environ.get("LOAD_REQUESTS", "3000"))
CLIENTS = 50
HOUSEHOLDS = 25
KILL_AFTER = 0.4


def main() -> None:
    authority = make_authority(datetime.now(UTC))
    with throwaway_postgres() as db_url, tempfile.TemporaryDirectory() as folder:
        env = instance_env(Path(folder), authority, db_url)
        first, first_url = start("alexa_apps:create_bench_app()", env, new_session=True)
        second, second_url = start("alexa_apps:create_bench_app()", env, new_session=True)
        try:
            same_question = question_from(first_url, authority) == question_from(
                second_url, authority
            )
            killed = threading.Event()

            def progress(n: int) -> None:
                if n >= REQUESTS * KILL_AFTER and not killed.is_set():
                    killed.set()
                    os.killpg(first.pid, signal.SIGKILL)

            result = run_load(
                [first_url, second_url], authority, progress, REQUESTS, CLIENTS, HOUSEHOLDS
            )
            engine = create_engine(db_url)
            with engine.connect() as conn:
                stored_ids = {r for (r,) in conn.execute(select(check_ins.c.request_id))}
                rows = conn.execute(select(func.count()).select_from(check_ins)).scalar_one()
            engine.dispose()
        finally:
            for process in (first, second):
                if process.poll() is None:
                    process.terminate()
                    process.wait(timeout=10)
    latencies = result["latencies"]
    acknowledged = result["acknowledged"]
    lost = acknowledged - stored_ids
    print(
        f"2 gunicorn instances x 2 workers, one PostgreSQL, {CLIENTS} clients, {REQUESTS} signed "
        f"check-ins, instance 1 SIGKILLed after {int(KILL_AFTER * 100)}%"
    )
    print(
        f"| {'requests/s':>10} | {'p50 ms':>7} | {'p99 ms':>7} | {'acknowledged':>12} | "
        f"{'stored':>6} | {'lost':>4} | {'duplicates':>10} | {'failed':>6} | same question |"
    )
    print(
        f"| {len(acknowledged) / result['elapsed']:>10.0f} | "
        f"{statistics.median(latencies) * 1000:>7.1f} | "
        f"{latencies[int(len(latencies) * 0.99) - 1] * 1000:>7.1f} | {len(acknowledged):>12} | "
        f"{rows:>6} | {len(lost):>4} | {rows - len(stored_ids):>10} | {result['errors']:>6} | "
        f"{'yes' if same_question else 'NO':>13} |"
    )
    sys.exit(1 if lost or rows != len(stored_ids) or not same_question else 0)


if __name__ == "__main__":
    main()
