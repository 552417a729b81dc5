"""Choosing questions, as pure functions over a bank and what was already asked."""

from __future__ import annotations

import random
from collections import Counter

from intents.content import DEPTHS, KINDS, Question
from intents.questions import choose_question, shift_depth

BANK = tuple(
    Question(f"{kind}-{depth}-{n:03d}", kind, depth, f"{kind} {depth} {n}?")
    for kind in KINDS
    for depth in DEPTHS
    for n in range(4)
)


def test_no_question_repeats_until_the_bank_is_exhausted():
    rng = random.Random(3)
    asked: list[str] = []
    for _ in BANK:
        question, new_cycle = choose_question(BANK, asked, rng)
        assert not new_cycle
        asked.append(question.id)
    assert len(set(asked)) == len(BANK)
    _, new_cycle = choose_question(BANK, asked, rng)
    assert new_cycle


def test_kinds_take_turns_so_none_is_neglected():
    rng = random.Random(5)
    asked: list[str] = []
    for _ in range(8):
        asked.append(choose_question(BANK, asked, rng)[0].id)
    kinds = Counter(i.split("-")[0] for i in asked)
    assert kinds == {kind: 2 for kind in KINDS}


def test_a_wish_for_a_kind_and_depth_is_granted():
    question, _ = choose_question(BANK, [], random.Random(1), kind="spiritual", depth="deepest")
    assert (question.kind, question.depth) == ("spiritual", "deepest")


def test_a_wish_gives_way_rather_than_repeating_a_question():
    asked = [q.id for q in BANK if q.kind == "spiritual"]
    question, new_cycle = choose_question(BANK, asked, random.Random(1), kind="spiritual")
    assert question.id not in asked
    assert not new_cycle


def test_depth_moves_one_step_and_stays_on_the_scale():
    assert shift_depth("light", "deeper") == "deeper"
    assert shift_depth("deeper", "deeper") == "deepest"
    assert shift_depth("deepest", "deeper") == "deepest"
    assert shift_depth("deeper", "lighter") == "light"
    assert shift_depth("light", "lighter") == "light"
