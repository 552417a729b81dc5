"""The household's own picture, read in one turn that answers nothing: what the home page shows.

Tonight's question is claimed exactly as the voice and the chat claim it, so every device shows
the same one. Check-ins appear as ratings and counts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from intents.handlers.questions import tonight
from intents.overview import (
    CalendarDay,
    DailyRating,
    Week,
    calendar,
    daily_ratings,
    evenings_talked,
    first_day,
    talked_days,
    weekly,
)
from intents.turn import Turn

TREND_WEEKS = 8
"""How far back the chart and its table go."""
CALENDAR_WEEKS = 4
COUNTRY_KEY = "country"


@dataclass(frozen=True)
class Picture:
    today: date
    question: str
    question_kind: str
    names: tuple[str, ...]
    timezone: str
    audience: str
    """couple, friends or solo: what the household said, else the setting."""
    country: str | None
    since: date
    """The first day of the trend (a Monday)."""
    ratings: tuple[DailyRating, ...]
    weeks: tuple[Week, ...]
    check_ins: int
    calendar: tuple[tuple[CalendarDay, ...], ...]
    evenings_talked: int
    calendar_weeks: int
    reminders: tuple[str, ...]
    """HH:MM, earliest first, in the household's time zone."""
    phone_free_ends: datetime | None
    """When the running phone-free time ends, in the household's time zone."""


def picture(
    turn: Turn, trend_weeks: int = TREND_WEEKS, calendar_weeks: int = CALENDAR_WEEKS
) -> Picture:
    """Everything the page shows about the household of `turn`."""
    household, store, today = turn.household, turn.store, turn.today
    question = tonight(turn)
    since = first_day(today, max(trend_weeks, calendar_weeks))
    check_ins = [c for c in store.check_ins(household.id, since) if c.day <= today]
    talked = talked_days(check_ins, store.days_with_questions(household.id, since))
    trend_since = first_day(today, trend_weeks)
    in_trend = [c for c in check_ins if c.day >= trend_since]
    timer = store.active_timer(household.id, turn.now)
    return Picture(
        today=today,
        question=question.rendered(turn.audience),
        question_kind=question.kind,
        names=tuple(p.name for p in store.people(household.id) if p.name),
        timezone=household.timezone,
        audience=turn.audience,
        country=_text(turn.state.get(COUNTRY_KEY)),
        since=trend_since,
        ratings=tuple(daily_ratings(in_trend)),
        weeks=tuple(weekly(in_trend, talked, today, trend_weeks)),
        check_ins=len(in_trend),
        calendar=tuple(tuple(row) for row in calendar(talked, today, calendar_weeks)),
        evenings_talked=evenings_talked(talked, today, calendar_weeks),
        calendar_weeks=calendar_weeks,
        reminders=tuple(r.at_time for r in store.reminders(household.id)),
        phone_free_ends=timer.ends_at.astimezone(turn.tz) if timer else None,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
