"""Many clients sending signed check-ins to several instances, failing over when one dies."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import requests

from tests.alexa.envelopes import CERT_URL, body, envelope, intent
from tests.alexa.pki import Authority


def run_load(
    urls: list[str],
    authority: Authority,
    on_progress: Callable[[int], None],
    count: int,
    clients: int,
    households: int,
) -> dict[str, Any]:
    acknowledged: set[str] = set()
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    local = threading.local()

    def one(n: int) -> None:
        nonlocal errors
        request = intent("CheckInIntent", rating=str(1 + n % 5))
        data = body(
            envelope(
                request, datetime.now(UTC), user_id=f"load-user-{n % households}", api_token=None
            )
        )
        request_id = json.loads(data)["request"]["requestId"]
        headers = {
            "Content-Type": "application/json",
            "SignatureCertChainUrl": CERT_URL,
            "Signature-256": authority.sign(data),
        }
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        for attempt in range(4):  # a dead instance: the same signed request goes to the other
            url = urls[(n + attempt) % len(urls)]
            t0 = time.perf_counter()
            try:
                response = session.post(url + "/alexa", data=data, headers=headers, timeout=10)
            except requests.RequestException:
                continue
            if response.status_code == 200:
                with lock:
                    acknowledged.add(request_id)
                    latencies.append(time.perf_counter() - t0)
                break
        else:
            with lock:
                errors += 1
        on_progress(n)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - started
    return {
        "acknowledged": acknowledged,
        "latencies": sorted(latencies),
        "errors": errors,
        "elapsed": elapsed,
    }


def question_from(url: str, authority: Authority) -> str:
    data = body(
        envelope(
            intent("TonightQuestionIntent"),
            datetime.now(UTC),
            user_id="load-user-0",
            api_token=None,
        )
    )
    response = requests.post(
        url + "/alexa",
        data=data,
        timeout=10,
        headers={
            "Content-Type": "application/json",
            "SignatureCertChainUrl": CERT_URL,
            "Signature-256": authority.sign(data),
        },
    )
    return response.json()["response"]["card"]["content"]
