"""Signed IntentRequests against the skill under gunicorn (2 workers, verification on), side by
side with a bare ask-sdk-core hello skill served and signed the same way.

The request mix goes beyond the cheapest path: tonight's question, check-ins (a database write),
how-are-we-doing (a read of two weeks), listing reminders. The load client runs on the same
machine, so it is pinned to one core and the servers to the other (when there are two), and its
own CPU use is printed: near 100 % of its core means the client, not the server, is the limit and
the ratio understates the servers. Prints requests/s, p50/p99 latency and the throughput ratio.
Targets: >= 0.8 of the bare skill's throughput, p99 <= 25 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.alexa.envelopes import CERT_URL, body, envelope, intent  # noqa: E402
from tests.alexa.gunicorn import instance_env, start  # noqa: E402
from tests.alexa.pki import make_authority  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1500"))
CONCURRENCY = 8
ROUNDS = 3


MIX = [
    intent("TonightQuestionIntent"),
    intent("CheckInIntent", rating="4"),
    intent("HowAreWeDoingIntent"),
    intent("ReminderListIntent"),
]


def signed_requests(authority, count: int) -> list[tuple[bytes, dict[str, str]]]:
    out = []
    for n in range(count):
        request = MIX[n % len(MIX)]
        data = body(envelope(request, datetime.now(UTC), api_token=None, user_id=f"user-{n % 50}"))
        out.append(
            (
                data,
                {
                    "Content-Type": "application/json",
                    "SignatureCertChainUrl": CERT_URL,
                    "Signature-256": authority.sign(data),
                },
            )
        )
    return out


def run(url: str, batch: list[tuple[bytes, dict[str, str]]]) -> tuple[float, list[float]]:
    session_per_thread: dict[int, requests.Session] = {}

    def one(item: tuple[bytes, dict[str, str]]) -> float:
        import threading

        session = session_per_thread.setdefault(threading.get_ident(), requests.Session())
        t0 = time.perf_counter()
        response = session.post(url + "/alexa", data=item[0], headers=item[1], timeout=10)
        elapsed = time.perf_counter() - t0
        if response.status_code != 200:
            raise SystemExit(f"{url}: status {response.status_code}")
        return elapsed

    start_time, cpu_start = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        latencies = list(pool.map(one, batch))
    wall = time.perf_counter() - start_time
    CLIENT_CPU.append((time.process_time() - cpu_start) / wall)
    return len(batch) / wall, latencies


CLIENT_CPU: list[float] = []
"""The client's CPU seconds per wall second in each run (1.0 = one core saturated)."""


def pin(pid: int, cores: set[int]) -> None:
    """Pin a process and its children (gunicorn's workers) to `cores`."""
    os.sched_setaffinity(pid, cores)
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            pin(int(child), cores)


def main() -> None:
    authority = make_authority(datetime.now(UTC))
    with tempfile.TemporaryDirectory() as folder:
        env = instance_env(Path(folder), authority, f"sqlite:///{folder}/bench.db")
        ours, ours_url = start("alexa_apps:create_bench_app()", env)
        hello, hello_url = start("alexa_apps:create_hello_app()", env)
        pinned = len(os.sched_getaffinity(0)) >= 2
        if pinned:
            os.sched_setaffinity(0, {0})
            for process in (ours, hello):
                pin(process.pid, {1})
        try:
            results: dict[str, list[tuple[float, list[float]]]] = {
                "heart to heart": [],
                "bare hello": [],
            }
            run(ours_url, signed_requests(authority, 50))  # warm both
            run(hello_url, signed_requests(authority, 50))
            for _ in range(ROUNDS):  # alternate so both see the same machine noise
                results["heart to heart"].append(
                    run(ours_url, signed_requests(authority, REQUESTS))
                )
                results["bare hello"].append(run(hello_url, signed_requests(authority, REQUESTS)))
        finally:
            for process in (ours, hello):
                process.terminate()
                process.wait(timeout=10)
    print(
        f"{REQUESTS} signed IntentRequests x {ROUNDS} rounds, {CONCURRENCY} clients, "
        "gunicorn -w 2, verification on; mix: question, check-in, how-are-we-doing, reminders"
    )
    where = "client on core 0, servers on core 1" if pinned else "not pinned (one core)"
    print(
        f"{where}; client CPU per wall second: median {statistics.median(CLIENT_CPU):.2f}, "
        f"max {max(CLIENT_CPU):.2f} (1.00 = its core saturated)"
    )
    print(f"{'skill':<16}{'req/s (median)':>16}{'p50 ms':>10}{'p99 ms':>10}")
    medians = {}
    for name, rounds in results.items():
        rates = [r for r, _ in rounds]
        latencies = sorted(x for _, lat in rounds for x in lat)
        medians[name] = statistics.median(rates)
        p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
        print(
            f"{name:<16}{medians[name]:>16.0f}{statistics.median(latencies) * 1000:>10.2f}"
            f"{p99:>10.2f}"
        )
    print(
        f"throughput ratio (ours / bare): {medians['heart to heart'] / medians['bare hello']:.2f}"
    )


if __name__ == "__main__":
    main()
