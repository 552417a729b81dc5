"""Two instances under gunicorn share one database; one is SIGKILLed mid-load. Every
acknowledged check-in is stored exactly once, and the other instance keeps serving.
(A bounded version of bench/load.py, on SQLite and on PostgreSQL.)"""

from __future__ import annotations

import os
import signal
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select

from intents.store.database import open_engine
from intents.store.schema import check_ins
from tests.alexa.gunicorn import instance_env, start
from tests.alexa.load import question_from, run_load
from tests.alexa.pki import make_authority

REQUESTS = 240
CLIENTS = 16


def test_killing_an_instance_mid_load_loses_no_acknowledged_check_in(db_url, tmp_path: Path):
    open_engine(db_url).dispose()  # migrate once, before the instances start
    authority = make_authority(datetime.now(UTC))
    env = instance_env(tmp_path, authority, db_url)
    first, first_url = start("alexa_apps:create_bench_app()", env, new_session=True)
    second, second_url = start("alexa_apps:create_bench_app()", env, new_session=True)
    try:
        assert question_from(first_url, authority) == question_from(second_url, authority)
        killed = threading.Event()

        def kill_midway(n: int) -> None:
            if n >= REQUESTS * 0.4 and not killed.is_set():
                killed.set()
                os.killpg(first.pid, signal.SIGKILL)

        result = run_load([first_url, second_url], authority, kill_midway, REQUESTS, CLIENTS, 5)
        assert killed.is_set() and first.wait(timeout=10) != 0
        assert second.poll() is None  # the other instance is still serving
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        stored = [r for (r,) in conn.execute(select(check_ins.c.request_id))]
        total = conn.execute(select(func.count()).select_from(check_ins)).scalar_one()
    engine.dispose()
    assert result["errors"] == 0
    assert len(result["acknowledged"]) == REQUESTS
    assert result["acknowledged"] <= set(stored)  # nothing acknowledged was lost
    assert total == len(set(stored)) == len(stored)  # and nothing was stored twice
