"""Times, minutes and ratings as people and Alexa say them."""

from __future__ import annotations

from datetime import time

import pytest

from intents.slots import number_words, parse_minutes, parse_number, parse_rating, parse_time


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("21:00", time(21, 0)),
        ("09:00", time(21, 0)),  # AMAZON.TIME for "nine" as much as "nine am": the evening
        ("10:30", time(22, 30)),
        ("00:30", time(0, 30)),
        ("12:15", time(12, 15)),
        ("11:00 am", time(11, 0)),
        ("nine", time(21, 0)),
        ("nine pm", time(21, 0)),
        ("nine thirty pm", time(21, 30)),
        ("9 30 pm", time(21, 30)),
        ("9:30", time(21, 30)),
        ("half past nine", time(21, 30)),
        ("quarter to ten", time(21, 45)),
        ("ten fifteen", time(22, 15)),
        ("nine o'clock", time(21, 0)),
        ("9 p.m.", time(21, 0)),
        ("eight thirty in the evening", time(20, 30)),
        ("seven in the morning", time(7, 0)),
        ("ten oh five", time(22, 5)),
        ("eleven forty five", time(23, 45)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("twelve thirty am", time(0, 30)),
    ],
)
def test_times_are_understood_as_evening_unless_said_otherwise(said, expected):
    assert parse_time(said) == expected


@pytest.mark.parametrize("said", ["banana", "", "25:00", "nine banana", "thirteen pm", "99"])
def test_nonsense_is_not_a_time(said):
    assert parse_time(said) is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("20", 20),
        ("twenty", 20),
        ("twenty five", 25),
        ("a hundred and twenty", 120),
        ("PT20M", 20),
        ("PT1H30M", 90),
        ("half an hour", 30),
        ("an hour", 60),
        ("5 minutes", 5),
    ],
)
def test_minutes_in_words_digits_and_iso_durations(said, expected):
    assert parse_minutes(said) == expected


@pytest.mark.parametrize("said", ["0", "100000", "PT0M", "soon", "-5"])
def test_minutes_out_of_range_are_refused(said):
    assert parse_minutes(said) is None


def test_ratings_are_one_to_five_only():
    assert [parse_rating(s) for s in ["one", "4", "five", "six", "0", "a", ""]] == [
        1,
        4,
        5,
        None,
        None,
        None,
        None,
    ]


def test_numbers_in_words():
    assert parse_number("three thousand two hundred and one") == 3201
    assert parse_number("nineteen") == 19
    assert parse_number("many") is None


@pytest.mark.parametrize("said", ["-1", " -3", "minus one", "negative two"])
def test_negative_numbers_are_never_read_as_positive_ones(said):
    assert parse_number(said) is None and parse_rating(said) is None


@pytest.mark.parametrize(
    ("clock", "said"),
    [
        (time(21, 30), "nine thirty at night"),
        (time(21, 0), "nine at night"),
        (time(7, 5), "seven oh five in the morning"),
        (time(12, 0), "noon"),
        (time(0, 0), "midnight"),
        (time(0, 30), "twelve thirty at night"),
        (time(12, 45), "twelve forty five in the afternoon"),
        (time(17, 10), "five ten in the evening"),
        (time(4, 59), "four fifty nine at night"),
        (time(5, 0), "five in the morning"),
    ],
)
def test_clock_times_are_said_in_words_with_the_part_of_the_day(clock, said):
    from intents.responses import Responses
    from intents.spoken import say_time

    assert say_time(clock, Responses.load()) == said


def test_every_time_said_in_words_is_read_back_as_the_same_time():
    from intents.responses import Responses
    from intents.spoken import say_time

    responses = Responses.load()
    for hour in range(24):
        for minute in range(0, 60, 1):
            said = say_time(time(hour, minute), responses)
            assert parse_time(said) == time(hour, minute), said


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("half nine", time(21, 30)),
        ("half ten at night", time(22, 30)),
        ("half seven in the morning", time(7, 30)),
    ],
)
def test_british_half_past_is_understood(said, expected):
    assert parse_time(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("23:00", time(23, 0)),
        ("23:59", time(23, 59)),
        ("one", time(13, 0)),
        ("1:00", time(13, 0)),
        ("midday", time(12, 0)),
        ("at nine", time(21, 0)),
        ("around nine", time(21, 0)),
        ("every night at half past nine", time(21, 30)),
        ("nine oclock", time(21, 0)),
        ("quarter past nine", time(21, 15)),
        ("quarter after nine", time(21, 15)),
        ("quarter till ten", time(21, 45)),
        ("quarter of ten", time(21, 45)),
        ("quarter to one", time(0, 45)),
        ("twenty one thirty", time(21, 30)),
        ("twenty three fifteen", time(23, 15)),
        ("nine oh oh", time(21, 0)),
        ("eleven at night", time(23, 0)),
        ("one at night", time(1, 0)),
    ],
)
def test_more_ways_of_saying_a_time(said, expected):
    assert parse_time(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "24:00",
        "9:60",
        "thirteen am",
        "thirteen at night",
        "half past banana",
        "quarter to banana",
        "9 30 15",
    ],
)
def test_impossible_or_unfinished_times_are_refused(said):
    assert parse_time(said) is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("1", 1),
        ("one minute", 1),
        ("half hour", 30),
        ("a half hour", 30),
        ("one hour", 60),
        ("a hour", 60),
        ("PT24H", 24 * 60),
        ("PT20M29S", 20),
        ("PT20M30S", 21),
    ],
)
def test_minutes_from_one_to_a_whole_day_and_seconds_rounded(said, expected):
    assert parse_minutes(said) == expected


def test_more_than_a_day_of_minutes_is_refused():
    assert parse_minutes("PT24H1M") is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("about twenty", 20),
        ("around 5", 5),
        ("like ten", 10),
        ("hundred", 100),
        ("thousand", 1000),
        ("1,000", 1000),
        ("10000", 10_000),
        ("ten thousand", 10_000),
    ],
)
def test_numbers_with_filler_words_thousands_and_commas(said, expected):
    assert parse_number(said) == expected


@pytest.mark.parametrize("said", ["", "and", "10001", "twenty thousand"])
def test_nothing_or_too_large_is_not_a_number(said):
    assert parse_number(said) is None


def test_numbers_up_to_ninety_nine_are_said_in_words():
    assert [number_words(n) for n in (0, 7, 20, 45, 99)] == [
        "zero",
        "seven",
        "twenty",
        "forty five",
        "ninety nine",
    ]
    with pytest.raises(ValueError):
        number_words(100)
    with pytest.raises(ValueError):
        number_words(-1)


@pytest.mark.parametrize(
    ("said", "expected"),
    [("a quarter past nine", time(21, 15)), ("a quarter to ten", time(21, 45))],
)
def test_a_quarter_with_its_article_is_understood(said, expected):
    assert parse_time(said) == expected
