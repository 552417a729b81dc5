"""Fuzzing at every boundary, 10,000+ cases: the Alexa endpoint (random and signed-but-mutated
requests), the text matcher, and the slot parsers, with arbitrary Unicode.

Prints cases and failures per target; exits non-zero on any failure."""

from __future__ import annotations

import logging
import random
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intents.catalog import Catalog  # noqa: E402
from intents.companion import build_companion  # noqa: E402
from intents.matcher import Matcher  # noqa: E402
from intents.slots import parse_minutes, parse_number, parse_rating, parse_time  # noqa: E402
from intents.store.schema import metadata  # noqa: E402
from tests.alexa.envelopes import CERT_URL  # noqa: E402
from tests.alexa.harness import app_for, make_config  # noqa: E402
from tests.alexa.pki import make_authority  # noqa: E402
from tests.fuzzing.endpoint import HEADERS, RANDOM_BODY, mutated_envelope  # noqa: E402

CASES = Counter()
logging.getLogger("skill").setLevel(logging.ERROR)  # rejections are expected here by the thousand
FAILURES: list[str] = []
MANY = settings(
    max_examples=2500, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock()
        companion = build_companion(
            f"sqlite:///{folder}/fuzz.db", clock=clock, rng=random.Random(3)
        )
        authority = make_authority(clock.now)
        client = app_for(make_config(Path(folder), authority, companion, clock, {})).test_client()
        engine = companion.engine

        def rows() -> int:
            with engine.connect() as conn:
                return sum(
                    conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in metadata.sorted_tables
                    if t.name != "schema_version"
                )

        @MANY
        @given(body=RANDOM_BODY, headers=HEADERS)
        def random_requests(body: bytes, headers: dict[str, str]) -> None:
            CASES["endpoint: random"] += 1
            before = rows()
            status = client.post("/alexa", data=body, headers=headers).status_code
            if status >= 500 or status == 200 or rows() != before:
                FAILURES.append(f"random request gave {status}: {body[:80]!r}")

        @MANY
        @given(data=st.data())
        def mutated_requests(data: st.DataObject) -> None:
            CASES["endpoint: signed, mutated"] += 1
            clock.now = datetime.now(UTC)
            body = data.draw(mutated_envelope(clock.now))
            headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": authority.sign(body)}
            before = rows()
            status = client.post("/alexa", data=body, headers=headers).status_code
            if status >= 500 or (status != 200 and rows() != before):
                FAILURES.append(f"mutated request gave {status}: {body[:120]!r}")

        matcher = Matcher(Catalog.load())

        @MANY
        @given(text=st.text(max_size=400))
        def matcher_text(text: str) -> None:
            CASES["matcher"] += 1
            try:
                matcher.match(text)
            except Exception as error:  # noqa: BLE001 - any exception is the finding
                FAILURES.append(f"matcher raised {error!r} on {text!r}")

        @MANY
        @given(text=st.one_of(st.text(max_size=60), st.from_regex(r"[0-9: apmo'\-]{0,12}")))
        def slot_parsers(text: str) -> None:
            CASES["slot parsers"] += 1
            for parse in (parse_time, parse_minutes, parse_rating, parse_number):
                try:
                    parse(text)
                except Exception as error:  # noqa: BLE001
                    FAILURES.append(f"{parse.__name__} raised {error!r} on {text!r}")

        for run in (random_requests, mutated_requests, matcher_text, slot_parsers):
            run()
        engine.dispose()
    total = sum(CASES.values())
    for name, count in CASES.items():
        print(f"{name:<28}{count:>7} cases")
    print(f"{'total':<28}{total:>7} cases, {len(FAILURES)} failures")
    for failure in FAILURES[:20]:
        print("  " + failure)
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
