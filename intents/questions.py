"""Choosing questions: pure functions over the bank and what a household has already heard."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence

from intents.content import DEPTHS, KINDS, Question

DEPTH_WEIGHTS = {"light": 5, "deeper": 3, "deepest": 2}
"""How often each depth comes up for tonight's question when nobody asked for one."""


def heard_by(bank: Iterable[Question], audience: str, romance: bool = False) -> list[Question]:
    """The questions a household may hear: made for its audience, romance only if asked for."""
    return [q for q in bank if q.suits(audience, romance)]


def shift_depth(depth: str, direction: str) -> str:
    """One step lighter or deeper, staying inside the scale."""
    index = DEPTHS.index(depth) + (1 if direction == "deeper" else -1)
    return DEPTHS[max(0, min(len(DEPTHS) - 1, index))]


def choose_question(
    bank: Sequence[Question],
    asked: Iterable[str],
    rng: random.Random,
    kind: str | None = None,
    depth: str | None = None,
) -> tuple[Question, bool]:
    """A question not yet asked in this cycle, and whether the bank had to start a new cycle.

    A wish for a kind or depth narrows the choice; when everything that fits was already asked,
    the wish gives way (depth first) rather than a question being repeated.
    """
    asked_ids = set(asked)
    fresh = [q for q in bank if q.id not in asked_ids]
    new_cycle = not fresh
    if new_cycle:
        fresh = list(bank)
        asked_ids = set()
    for want_kind, want_depth in ((kind, depth), (kind, None), (None, depth), (None, None)):
        pool = [
            q
            for q in fresh
            if (want_kind is None or q.kind == want_kind)
            and (want_depth is None or q.depth == want_depth)
        ]
        if pool:
            break
    if kind is None:
        pool = _least_heard_kind(pool, bank, asked_ids)
    if depth is None:
        return _weighted_by_depth(pool, rng), new_cycle
    return rng.choice(pool), new_cycle


def _least_heard_kind(
    pool: list[Question], bank: Sequence[Question], asked_ids: set[str]
) -> list[Question]:
    """Keep the four kinds in balance: prefer the kind heard least this cycle."""
    heard = Counter(q.kind for q in bank if q.id in asked_ids)
    present = {q.kind for q in pool}
    fewest = min(heard[k] for k in KINDS if k in present)
    return [q for q in pool if heard[q.kind] == fewest]


def _weighted_by_depth(pool: list[Question], rng: random.Random) -> Question:
    weights = [DEPTH_WEIGHTS[q.depth] for q in pool]
    return rng.choices(pool, weights=weights, k=1)[0]
