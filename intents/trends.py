"""Reading check-ins kindly: trends, moods and summaries as plain numbers, no judgement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

from intents.store.repository import CheckIn


@dataclass(frozen=True)
class Trend:
    rating: int
    previous: int | None
    previous_day: date | None

    @property
    def direction(self) -> str:
        if self.previous is None:
            return "first"
        if self.rating > self.previous:
            return "up"
        if self.rating < self.previous:
            return "down"
        return "same"


def trend(new: CheckIn, earlier: list[CheckIn]) -> Trend:
    """Compare a new rating with the last one before it (same person when we know who)."""
    before = [
        c
        for c in earlier
        if c.id != new.id
        and c.day <= new.day
        and (new.person_id is None or c.person_id in (None, new.person_id))
    ]
    if not before:
        return Trend(new.rating, None, None)
    last = before[-1]
    return Trend(new.rating, last.rating, last.day)


def mood(check_ins: list[CheckIn]) -> str:
    """low, middle or high, from the average of recent ratings; middle when there are none."""
    if not check_ins:
        return "middle"
    average = mean(c.rating for c in check_ins)
    if average <= 2.5:
        return "low"
    if average < 3.75:
        return "middle"
    return "high"


@dataclass(frozen=True)
class Summary:
    check_ins: int
    typical: int | None
    """The rounded average rating."""
    nights_talked: int
    """Evenings with a question or a check-in in the last week."""
    direction: str
    """up, down, steady or unknown: first half of the period against the second."""


def summarise(check_ins: list[CheckIn], talked_days: set[date], today: date) -> Summary:
    week_ago = today - timedelta(days=6)
    nights = {d for d in talked_days if d >= week_ago} | {
        c.day for c in check_ins if c.day >= week_ago
    }
    if not check_ins:
        return Summary(0, None, len(nights), "unknown")
    typical = round(mean(c.rating for c in check_ins))
    half = len(check_ins) // 2
    direction = "unknown"
    if half:
        first = mean(c.rating for c in check_ins[:half])
        second = mean(c.rating for c in check_ins[half:])
        direction = "up" if second - first >= 0.5 else "down" if first - second >= 0.5 else "steady"
    return Summary(len(check_ins), typical, len(nights), direction)
