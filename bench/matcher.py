"""Matcher throughput and latency over every expanded sentence of the catalog.

Prints utterances matched per second on one core and p50/p99 latency.
Target: >= 2,000/s, p99 <= 5 ms.
"""

from __future__ import annotations

import statistics
import time

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


def main() -> None:
    catalog = Catalog.load()
    matcher = Matcher(catalog)
    sentences = utterances(catalog)
    for text in sentences[:200]:  # warm caches the way a running process has them
        matcher.match(text)
    latencies = []
    fallbacks = 0
    start = time.perf_counter()
    for text in sentences:
        t0 = time.perf_counter()
        result = matcher.match(text)
        latencies.append(time.perf_counter() - t0)
        fallbacks += result.name == "Fallback"
    elapsed = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"utterances            {len(sentences)}")
    print(f"matched per second    {len(sentences) / elapsed:,.0f}")
    print(f"p50 latency           {statistics.median(latencies) * 1000:.3f} ms")
    print(f"p99 latency           {p99 * 1000:.3f} ms")
    print(f"max latency           {latencies[-1] * 1000:.3f} ms")
    print(f"not understood        {fallbacks}")


if __name__ == "__main__":
    main()
