"""Matcher throughput and latency, with the two paths reported apart.

Template sentences are mostly answered by an exact lookup (a dict), which says nothing about
understanding; so the figures are printed separately for (a) every expanded template sentence,
split into those the exact lookup answered and those that went through hassil and the
classifier, and (b) the held-out phrasings (tests/understanding/en/in_scope.yaml), none of which
is a template sentence: the path real people take. Target: p99 <= 5 ms on the real path.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from intents.catalog import Catalog
from intents.matcher import Matcher


def utterances(catalog: Catalog) -> list[str]:
    """Every expanded sentence; open slots get their spoken samples, numbers a few values."""
    out: list[str] = []
    for name in catalog.intent_names:
        for template in catalog.sentences(name, expand_lists=False):
            text = template
            for slot in catalog.slots_of(name):
                kind = catalog.slot_types[slot]
                if kind.samples:
                    value = kind.samples[len(out) % len(kind.samples)]
                elif kind.values:
                    value = kind.values[len(out) % len(kind.values)].value
                else:
                    value = "twenty" if slot == "minutes" else "four"
                text = text.replace("{" + slot + "}", value)
            out.append(text)
    return out


def held_out() -> list[str]:
    path = Path(__file__).resolve().parent.parent / "tests/understanding/en/in_scope.yaml"
    return [u["text"] for u in yaml.safe_load(path.read_text())["utterances"]]


def timed(matcher: Matcher, sentences: list[str]) -> tuple[list[float], int]:
    latencies, fallbacks = [], 0
    for text in sentences:
        t0 = time.perf_counter()
        result = matcher.match(text)
        latencies.append(time.perf_counter() - t0)
        fallbacks += result.name == "Fallback"
    return sorted(latencies), fallbacks


def report(label: str, latencies: list[float], fallbacks: int) -> None:
    if not latencies:
        print(f"{label:<34} none")
        return
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(
        f"{label:<34} {len(latencies):>5}  p50 {statistics.median(latencies) * 1000:6.3f} ms  "
        f"p99 {p99 * 1000:6.3f} ms  max {latencies[-1] * 1000:6.3f} ms  "
        f"{len(latencies) / sum(latencies):>9,.0f}/s  not understood {fallbacks}"
    )


def main() -> None:
    catalog = Catalog.load()
    matcher = Matcher(catalog)
    sentences = utterances(catalog)
    for text in sentences[:200]:  # warm caches the way a running process has them
        matcher.match(text)
    exact = [t for t in sentences if matcher.exact_intent(t) is not None]
    parsed = [t for t in sentences if matcher.exact_intent(t) is None]
    unseen = held_out()
    print(
        f"template sentences answered by the exact lookup: {len(exact)}/{len(sentences)} "
        f"({len(exact) / len(sentences):.0%})"
    )
    print(f"{'path':<34} {'n':>5}")
    report("templates, exact lookup", *timed(matcher, exact))
    report("templates, hassil + classifier", *timed(matcher, parsed))
    report("held-out phrasings (real path)", *timed(matcher, unseen))
    print(
        f"held-out phrasings answered by the exact lookup: "
        f"{sum(matcher.exact_intent(t) is not None for t in unseen)}/{len(unseen)}"
    )


if __name__ == "__main__":
    main()
