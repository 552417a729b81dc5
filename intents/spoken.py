"""Times, lists and days as a voice says them; the words themselves come from responses."""

from __future__ import annotations

from datetime import date, time

from intents.responses import Responses
from intents.slots import number_words

_PERIODS = ((5, "time_morning"), (12, "time_afternoon"), (17, "time_evening"), (21, "time_night"))


def say_time(t: time, responses: Responses) -> str:
    """21:30 -> "nine thirty at night"; 7:05 -> "seven oh five in the morning"; 12:00 -> "noon".

    In words, so that every voice reads it the same way (Alexa's say-as "time" is documented as
    a duration, and "9:30 PM" read by a speech engine depends on the engine).
    """
    if t.minute == 0 and t.hour in (0, 12):
        return responses.text("time_midnight" if t.hour == 0 else "time_noon")
    hour = number_words(t.hour % 12 or 12)
    if t.minute == 0:
        clock = hour
    elif t.minute < 10:
        clock = f"{hour} oh {number_words(t.minute)}"
    else:
        clock = f"{hour} {number_words(t.minute)}"
    period = "time_night"
    for start, key in _PERIODS:
        if t.hour >= start:
            period = key
    return responses.text(period, clock=clock)


def say_list(items: list[str], responses: Responses) -> str:
    if len(items) <= 1:
        return "".join(items)
    return responses.text("list_join", first=", ".join(items[:-1]), last=items[-1])


def say_when(day: date, today: date, responses: Responses) -> str:
    """How long ago a day was, the way friends say it."""
    days = (today - day).days
    if days <= 0:
        return responses.text("when_today")
    if days == 1:
        return responses.text("when_yesterday")
    if days < 6:
        return responses.text("when_weekday", weekday=day.strftime("%A"))
    if days < 14:
        return responses.text("when_last_week")
    return responses.text("when_earlier")


def say_count(n: int, unit: str, responses: Responses) -> str:
    """ "1 minute", "20 minutes", "1 time", "3 times": `unit` names a pair of responses."""
    return responses.text(f"{unit}_one" if n == 1 else f"{unit}_many", n=n)
