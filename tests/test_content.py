"""The content banks: enough of everything, original wording, safe to speak."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from rapidfuzz import fuzz, utils

from intents.content import DEPTHS, KINDS, MOODS, PRACTICES, SIZES, Content

CONTENT = Content.load()
SPEAKABLE = re.compile(r"[A-Za-z0-9 ,.'?!;:\-]+")
NEAR_DUPLICATE = 85


def _all_items() -> list[tuple[str, str]]:
    items = [(q.id, q.text) for q in CONTENT.questions]
    items += [(e.id, e.text) for e in CONTENT.encouragements]
    items += [(p.id, p.text) for p in CONTENT.practices]
    items += [(i.id, i.text) for i in CONTENT.ideas + CONTENT.touch_rituals]
    items += [(q.id, q.text) for s in CONTENT.deep_dive for q in s.questions]
    return items


def test_there_are_at_least_400_questions_with_80_of_each_kind():
    kinds = Counter(q.kind for q in CONTENT.questions)
    assert len(CONTENT.questions) >= 400
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 80


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_every_depth(kind):
    depths = Counter(q.depth for q in CONTENT.questions if q.kind == kind)
    assert set(depths) == set(DEPTHS)
    assert min(depths.values()) >= 15


def test_other_banks_are_big_enough():
    assert len(CONTENT.encouragements) >= 60
    assert {e.mood for e in CONTENT.encouragements} == set(MOODS)
    assert len(CONTENT.ideas) >= 40
    assert len(CONTENT.touch_rituals) >= 20
    assert len(CONTENT.deep_dive) == 3
    assert sum(len(s.questions) for s in CONTENT.deep_dive) >= 36
    assert all(len(s.questions) >= 12 for s in CONTENT.deep_dive)


def test_every_practice_comes_in_both_sizes():
    pairs = Counter((p.practice, p.size) for p in CONTENT.practices)
    for practice, size in itertools.product(PRACTICES, SIZES):
        assert pairs[(practice, size)] >= 3, (practice, size)


def test_ids_and_texts_are_unique():
    items = _all_items()
    ids = Counter(i for i, _ in items)
    texts = Counter(t.lower() for _, t in items)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in texts.items() if n > 1] == []


def test_no_two_questions_are_near_duplicates():
    questions = [(q.id, q.text) for q in CONTENT.questions]
    questions += [(q.id, q.text) for s in CONTENT.deep_dive for q in s.questions]
    close = [
        (a, b)
        for (a, ta), (b, tb) in itertools.combinations(questions, 2)
        if fuzz.token_set_ratio(ta, tb, processor=utils.default_process) >= NEAR_DUPLICATE
    ]
    assert close == []


def test_questions_are_short_spoken_questions():
    for q in list(CONTENT.questions) + [q for s in CONTENT.deep_dive for q in s.questions]:
        assert len(q.text) <= 200, q.id
        assert q.text.endswith("?"), q.id


def test_nothing_breaks_ssml_or_speech():
    for item_id, text in _all_items():
        assert SPEAKABLE.fullmatch(text), item_id
        assert "<" not in text and "&" not in text


def test_question_ids_carry_their_kind_and_depth():
    for q in CONTENT.questions:
        assert q.kind in KINDS and q.depth in DEPTHS
        assert q.id.startswith(f"{q.kind}-{q.depth}-"), q.id
