"""The household's evenings over weeks, as plain numbers: daily ratings for a chart, a week-by-week
summary for reading instead, and a calendar of the evenings the household talked.

Pure functions of check-ins and days. Nothing here counts runs of days or what was missed: an
evening without talking is simply an evening.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

from intents.store.repository import CheckIn


@dataclass(frozen=True)
class DailyRating:
    day: date
    rating: float
    """The mean of that day's check-ins (everyone's), one to five."""
    check_ins: int


@dataclass(frozen=True)
class Week:
    start: date
    """The Monday the week begins on."""
    check_ins: int
    typical: float | None
    """The mean rating of the week's check-ins, to one decimal; None without any."""
    evenings: int
    """Evenings with tonight's question or a check-in."""


@dataclass(frozen=True)
class CalendarDay:
    day: date
    talked: bool
    later: bool
    """After today: not yet an evening at all."""


def week_start(day: date) -> date:
    """The Monday on or before `day`."""
    return day - timedelta(days=day.weekday())


def first_day(today: date, weeks: int) -> date:
    """The Monday that begins the last `weeks` weeks, this week included."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    return week_start(today) - timedelta(weeks=weeks - 1)


def daily_ratings(check_ins: Iterable[CheckIn]) -> list[DailyRating]:
    """One point a day with check-ins, oldest first."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for check_in in check_ins:
        by_day[check_in.day].append(check_in.rating)
    return [
        DailyRating(day, round(mean(ratings), 2), len(ratings))
        for day, ratings in sorted(by_day.items())
    ]


def talked_days(check_ins: Iterable[CheckIn], question_days: Iterable[date]) -> set[date]:
    """Evenings with tonight's question or a check-in."""
    return set(question_days) | {c.day for c in check_ins}


def weekly(check_ins: Iterable[CheckIn], talked: set[date], today: date, weeks: int) -> list[Week]:
    """The last `weeks` weeks (Monday to Sunday), oldest first, this week included."""
    start = first_day(today, weeks)
    ratings: dict[date, list[int]] = defaultdict(list)
    for check_in in check_ins:
        if start <= check_in.day <= today:
            ratings[week_start(check_in.day)].append(check_in.rating)
    evenings: dict[date, int] = defaultdict(int)
    for day in talked:
        if start <= day <= today:
            evenings[week_start(day)] += 1
    result = []
    for index in range(weeks):
        monday = start + timedelta(weeks=index)
        week_ratings = ratings.get(monday, [])
        typical = round(mean(week_ratings), 1) if week_ratings else None
        result.append(Week(monday, len(week_ratings), typical, evenings.get(monday, 0)))
    return result


def calendar(talked: set[date], today: date, weeks: int) -> list[list[CalendarDay]]:
    """Rows of seven days, Monday first, for the last `weeks` weeks, this week included."""
    start = first_day(today, weeks)
    rows = []
    for index in range(weeks):
        monday = start + timedelta(weeks=index)
        days = [monday + timedelta(days=offset) for offset in range(7)]
        rows.append([CalendarDay(day, day in talked and day <= today, day > today) for day in days])
    return rows


def evenings_talked(talked: set[date], today: date, weeks: int) -> int:
    """How many evenings of the last `weeks` weeks the household talked."""
    start = first_day(today, weeks)
    return sum(1 for day in talked if start <= day <= today)
