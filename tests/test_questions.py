"""Choosing questions, as pure functions over a bank and what was already asked."""

from __future__ import annotations

import random
from collections import Counter

from intents.content import DEPTHS, KINDS, ROMANCE, Question
from intents.questions import DEPTH_WEIGHTS, choose_question, heard_by, shift_depth

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


def test_a_deeper_wish_from_the_deepest_end_and_a_lighter_one_move_a_single_step():
    assert shift_depth("deepest", "lighter") == "deeper"


def test_tonight_leans_light_when_nobody_asks_for_a_depth():
    rng = random.Random(11)
    depths = Counter(choose_question(BANK, [], rng)[0].depth for _ in range(3000))
    share = {depth: depths[depth] / 3000 for depth in DEPTHS}
    total_weight = sum(DEPTH_WEIGHTS.values())
    for depth in DEPTHS:  # 50 %, 30 %, 20 %, not a third each
        assert abs(share[depth] - DEPTH_WEIGHTS[depth] / total_weight) < 0.04, share


def test_a_household_hears_only_questions_made_for_its_audience_and_romance_when_asked():
    couple = Question("q-1", KINDS[0], DEPTHS[0], "For a couple?", audiences=("couple",))
    friends = Question("q-2", KINDS[0], DEPTHS[0], "For friends?", audiences=("friends",))
    romantic = Question(
        "q-3", KINDS[0], DEPTHS[0], "Romantic?", audiences=("couple",), theme=ROMANCE
    )
    bank = [couple, friends, romantic]
    assert heard_by(bank, "couple") == [couple]
    assert heard_by(bank, "couple", romance=True) == [couple, romantic]
    assert heard_by(bank, "friends") == [friends]
