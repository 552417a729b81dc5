"""Our skill under gunicorn on 127.0.0.1, as production runs it (for load tests and benches)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.alexa.envelopes import SKILL_ID
from tests.alexa.pki import Authority

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(
    factory: str, env: dict[str, str], new_session: bool = False
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT / "bench"),
            "--log-level",
            "warning",
            factory,
        ],
        env=env,
        cwd=ROOT,
        start_new_session=new_session,  # its own process group, so it can be killed whole
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(url + "/healthz", timeout=0.5)
            return process, url
        except requests.RequestException:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{factory} did not start")


def instance_env(folder: Path, authority: Authority, db_url: str) -> dict[str, str]:
    """The environment bench/alexa_apps.py reads: a trusted test authority and a database."""
    (folder / "root.pem").write_bytes(authority.root_pem)
    (folder / "chain.pem").write_bytes(authority.chain_pem)
    return os.environ | {
        "BENCH_ROOT_PEM": str(folder / "root.pem"),
        "BENCH_CHAIN_PEM": str(folder / "chain.pem"),
        "BENCH_SKILL_ID": SKILL_ID,
        "HEART_TO_HEART_DB": db_url,
        "PYTHONPATH": str(ROOT),
    }
