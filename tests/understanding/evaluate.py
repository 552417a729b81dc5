"""The held-out evaluation sets (tests/understanding/en/*.yaml) and how they are scored.

Shared by tests/test_understanding.py (thresholds as assertions) and bench/understanding.py
(the figures, per intent). The sets are written apart from the templates and the training
phrasings, and a test checks that none of their sentences is trained on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from intents.matcher import FALLBACK, HARD_MOMENTS, IntentRequest
from intents.slots import parse_minutes, parse_rating, parse_time

SETS = Path(__file__).parent / "en"
KINDS = {
    "distress": "Distress",
    "conflict": "Conflict",
    "unsafe": "Unsafe",
    "self_harm": "SelfHarm",
}


@dataclass(frozen=True)
class Utterance:
    text: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict)


def _load(name: str) -> dict:
    return yaml.safe_load((SETS / f"{name}.yaml").read_text(encoding="utf-8"))


def in_scope() -> list[Utterance]:
    return [
        Utterance(
            str(u["text"]), str(u["intent"]), {k: str(v) for k, v in (u.get("slots") or {}).items()}
        )
        for u in _load("in_scope")["utterances"]
    ]


def out_of_scope() -> list[str]:
    return [str(u) for u in _load("out_of_scope")["utterances"]]


def disclosures() -> list[Utterance]:
    return [
        Utterance(str(d["text"]), KINDS[d["kind"]]) for d in _load("hard_moments")["disclosures"]
    ]


def look_alikes() -> list[str]:
    return [str(s) for s in _load("look_alikes")["look_alikes"]]


def canonical(slot: str, value: str) -> str | None:
    """Slot values compared by meaning: "twenty" and "20" minutes, "ten pm" and "22:00"."""
    if slot == "minutes":
        found = parse_minutes(value)
        return str(found) if found is not None else None
    if slot == "rating":
        found = parse_rating(value)
        return str(found) if found is not None else None
    if slot == "time":
        at = parse_time(value)
        return f"{at.hour:02d}:{at.minute:02d}" if at else None
    return value.strip().lower()


@dataclass
class Score:
    intents_right: int = 0
    intents_total: int = 0
    slots_right: int = 0
    slots_total: int = 0
    per_intent: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[str] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intents_right / max(1, self.intents_total)

    @property
    def slot_accuracy(self) -> float:
        return self.slots_right / max(1, self.slots_total)


def score_in_scope(match: Callable[[str], IntentRequest], items: list[Utterance]) -> Score:
    score = Score()
    for item in items:
        got = match(item.text)
        score.intents_total += 1
        counts = score.per_intent[item.intent]
        counts["total"] += 1
        if got.name == item.intent:
            score.intents_right += 1
            counts["right"] += 1
        else:
            score.misses.append(f"{item.text!r}: {item.intent} heard as {got.name}")
        for slot, expected in item.slots.items():
            score.slots_total += 1
            counts["slots"] += 1
            value = got.slots.get(slot)
            if (
                got.name == item.intent
                and value is not None
                and canonical(slot, value) == canonical(slot, expected)
            ):
                score.slots_right += 1
                counts["slots_right"] += 1
            else:
                score.misses.append(f"{item.text!r}: {slot}={expected} heard as {value}")
    return score


def acted_on(match: Callable[[str], IntentRequest], sentences: list[str]) -> list[tuple[str, str]]:
    """Out-of-scope sentences that the companion would act on (anything but Fallback)."""
    return [(s, got.name) for s in sentences if (got := match(s)).name != FALLBACK]


def caught_as_hard(
    match: Callable[[str], IntentRequest], sentences: list[str]
) -> list[tuple[str, str]]:
    return [(s, got.name) for s in sentences if (got := match(s)).name in HARD_MOMENTS]
