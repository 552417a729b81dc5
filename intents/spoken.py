"""Times, lists and days as a voice says them; the words themselves come from responses."""

from __future__ import annotations

from datetime import date, time

from intents.responses import Responses


def say_time(t: time) -> str:
    """21:30 -> "9:30 PM"; 21:00 -> "9 PM" (both Alexa and espeak read these naturally)."""
    hour = t.hour % 12 or 12
    suffix = "AM" if t.hour < 12 else "PM"
    return f"{hour} {suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d} {suffix}"


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
