"""Reading check-ins: which earlier check-in a new one is compared with, moods and summaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from intents.store.repository import CheckIn
from intents.trends import mood, summarise, trend

TODAY = date(2026, 11, 24)


def c(id_: int, days_ago: int, rating: int, person: int | None = None) -> CheckIn:
    return CheckIn(id_, TODAY - timedelta(days=days_ago), rating, person)


def test_a_new_check_in_is_compared_with_the_latest_earlier_one_not_the_first():
    history = [c(1, 14, 2), c(2, 7, 5), c(3, 0, 4)]
    found = trend(history[-1], history)
    assert (found.previous, found.previous_day, found.direction) == (
        5,
        TODAY - timedelta(7),
        "down",
    )


def test_the_new_check_in_itself_and_later_days_are_never_the_comparison():
    new = c(2, 3, 3)
    history = [c(1, 5, 1), new, c(3, 1, 5)]  # a later check-in (read in another order) is ignored
    found = trend(new, history)
    assert (found.previous, found.direction) == (1, "up")


def test_an_earlier_check_in_on_the_same_day_counts():
    history = [c(1, 0, 2), c(2, 0, 2)]
    assert trend(history[1], history).direction == "same"


def test_the_first_check_in_has_nothing_to_compare_with():
    only = c(1, 0, 3)
    found = trend(only, [only])
    assert (found.previous, found.previous_day, found.direction) == (None, None, "first")


def test_each_person_is_compared_with_their_own_last_check_in():
    history = [c(1, 6, 2, person=1), c(2, 3, 5, person=2), c(3, 0, 3, person=1)]
    mine = trend(history[2], history)
    assert (mine.previous, mine.direction) == (2, "up")  # not person 2's 5
    theirs = trend(c(4, 0, 4, person=2), history)
    assert (theirs.previous, theirs.direction) == (5, "down")


def test_a_check_in_without_a_person_counts_for_everyone_and_sees_everyone():
    history = [c(1, 6, 1, person=1), c(2, 3, 4, person=None), c(3, 0, 4, person=1)]
    assert trend(history[2], history).previous == 4
    household = c(4, 0, 2, person=None)
    assert trend(household, [c(5, 2, 5, person=2), household]).previous == 5


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], "middle"),
        ([2, 3], "low"),  # 2.5 is low
        ([2, 3, 3], "middle"),
        ([4, 3, 4, 4], "high"),  # 3.75 is high
        ([4, 3, 4, 3, 4, 4, 4, 3], "middle"),  # 3.625
        ([5], "high"),
        ([1], "low"),
    ],
)
def test_mood_follows_the_average_with_clear_boundaries(ratings, expected):
    assert mood([c(i, i, r) for i, r in enumerate(ratings)]) == expected


def test_a_summary_with_no_check_ins_claims_no_direction_and_no_typical_rating():
    summary = summarise([], {TODAY - timedelta(days=1)}, TODAY)
    assert (summary.check_ins, summary.typical, summary.direction) == (0, None, "unknown")
    assert summary.nights_talked == 1


def test_nights_talked_count_the_last_seven_days_once_each():
    talked = {TODAY, TODAY - timedelta(days=6), TODAY - timedelta(days=7)}
    check_ins = [c(1, 6, 3), c(2, 2, 3), c(3, 2, 4)]
    summary = summarise(check_ins, talked, TODAY)
    assert summary.nights_talked == 3  # today, six days ago (both ways), two days ago


@pytest.mark.parametrize(
    ("ratings", "direction"),
    [
        ([2, 2, 3, 3], "up"),
        ([3, 3, 2, 2], "down"),
        ([3, 3, 3, 4], "up"),  # 3 then 3.5: half a point is a change
        ([3, 4, 3, 3], "down"),
        ([3, 4, 4, 3], "steady"),
        ([3, 3, 3, 3, 4, 3], "steady"),  # 3 then 3.33
        ([2, 2, 2, 3, 5], "up"),  # an odd count: [2, 2] against [2, 3, 5]
        ([4], "unknown"),
        ([1, 5], "up"),
    ],
)
def test_the_direction_compares_the_first_half_with_the_second(ratings, direction):
    check_ins = [c(i, len(ratings) - i, r) for i, r in enumerate(ratings)]
    assert summarise(check_ins, set(), TODAY).direction == direction


def test_the_typical_rating_is_the_rounded_average():
    assert summarise([c(1, 1, 3), c(2, 0, 4), c(3, 0, 4)], set(), TODAY).typical == 4
    assert summarise([c(1, 1, 2), c(2, 0, 3), c(3, 0, 3)], set(), TODAY).typical == 3


def test_the_first_check_in_keeps_its_own_rating():
    assert trend(c(1, 0, 3), [c(1, 0, 3)]).rating == 3


def test_a_night_six_days_ago_counts_whether_it_had_a_question_or_a_check_in():
    six_days_ago = TODAY - timedelta(days=6)
    assert summarise([], {six_days_ago}, TODAY).nights_talked == 1
    assert summarise([c(1, 6, 3)], set(), TODAY).nights_talked == 1
    assert summarise([c(1, 7, 3)], {TODAY - timedelta(days=7)}, TODAY).nights_talked == 0


def test_a_summary_counts_every_check_in_of_the_period():
    assert summarise([c(1, 9, 3), c(2, 1, 4), c(3, 0, 4)], set(), TODAY).check_ins == 3
