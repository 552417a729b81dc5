"""Understanding on the held-out sets: intent and slot accuracy per intent, out-of-scope false
accepts, hard moments and their look-alikes, latency per sentence on one core, and start-up.

Run: ./dev bench understanding
Targets (issue 8): intents and slots >= 95 %, out of scope acted on <= 3 %, hard moments
recognised >= 95 % with <= 2 % of look-alikes caught, p99 <= 5 ms a sentence, start-up < 1 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

from intents.catalog import Catalog  # noqa: E402
from intents.matcher import HARD_MOMENTS, Matcher  # noqa: E402
from tests.understanding import evaluate  # noqa: E402


def main() -> None:
    catalog = Catalog.load()
    matcher = Matcher(catalog)
    items = evaluate.in_scope()
    score = evaluate.score_in_scope(matcher.match, items)
    print(f"in scope: {len(items)} held-out utterances")
    print(f"{'intent':<20} {'n':>4} {'intent acc':>10} {'slots':>6} {'slot acc':>9}")
    for intent, counts in sorted(score.per_intent.items()):
        slot_acc = f"{counts['slots_right'] / counts['slots']:.1%}" if counts["slots"] else "-"
        print(
            f"{intent:<20} {counts['total']:>4} {counts['right'] / counts['total']:>10.1%}"
            f" {counts['slots']:>6} {slot_acc:>9}"
        )
    print(
        f"{'all':<20} {score.intents_total:>4} {score.intent_accuracy:>10.1%}"
        f" {score.slots_total:>6} {score.slot_accuracy:>9.1%}"
    )
    for miss in score.misses:
        print("  miss:", miss)

    outside = evaluate.out_of_scope()
    acted = evaluate.acted_on(matcher.match, outside)
    print(f"\nout of scope: {len(acted)}/{len(outside)} acted on = {len(acted) / len(outside):.1%}")
    for sentence, name in acted:
        print(f"  acted on: {sentence!r} as {name}")

    hard = evaluate.disclosures()
    heard = [(d, matcher.match(d.text).name) for d in hard]
    recognised = sum(name in HARD_MOMENTS for _, name in heard)
    right_kind = sum(name == d.intent for d, name in heard)
    print(
        f"\nhard moments: {recognised}/{len(hard)} recognised = {recognised / len(hard):.1%}"
        f", right kind {right_kind / len(hard):.1%}"
    )
    for d, name in heard:
        if name not in HARD_MOMENTS:
            print(f"  missed: {d.text!r} ({d.intent}) as {name}")
    looks = evaluate.look_alikes()
    caught = evaluate.caught_as_hard(matcher.match, looks)
    print(f"look-alikes caught: {len(caught)}/{len(looks)} = {len(caught) / len(looks):.1%}")
    for sentence, name in caught:
        print(f"  caught: {sentence!r} as {name}")

    sentences = [i.text for i in items] + outside + [d.text for d in hard] + looks
    for text in sentences[:50]:
        matcher.match(text)  # warm up
    timings = []
    for _ in range(3):
        for text in sentences:
            start = time.perf_counter()
            matcher.match(text)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99)]
    print(
        f"\nlatency on one core over {len(timings)} sentences: median {p50:.2f} ms,"
        f" p99 {p99:.2f} ms, max {timings[-1]:.2f} ms"
    )

    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from intents.companion import build_companion;"
                "build_companion('sqlite://').reply_to_text('h', 'hello')",
            ],
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        runs.append(time.perf_counter() - start)
    print(
        f"start-up to first reply (cached model): median {statistics.median(runs):.2f} s,"
        f" max {max(runs):.2f} s"
    )


if __name__ == "__main__":
    main()
