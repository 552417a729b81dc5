"""A throwaway PostgreSQL cluster on 127.0.0.1 for benchmarks (the tests get theirs from ./dev)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Yields an SQLAlchemy URL; the cluster and its files are gone afterwards."""
    given = os.environ.get("HEART_TO_HEART_TEST_DB")
    if given:
        yield given
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    folder = tempfile.mkdtemp(prefix="h2h-pg-")
    data, port = os.path.join(folder, "data"), _free_port()
    run: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        run = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*run, f"{bins[-1]}/initdb", "-D", data, "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k /tmp -c max_connections=300"
    subprocess.run(
        [
            *run,
            f"{bins[-1]}/pg_ctl",
            "-D",
            data,
            "-l",
            os.path.join(folder, "log"),
            "-w",
            "-o",
            options,
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run, f"{bins[-1]}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
