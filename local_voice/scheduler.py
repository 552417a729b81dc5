"""Spoken phones-away reminders and phone-free endings, from the shared database.

The rule for time the program was not running: a reminder or timer that fell due while it was down
is spoken once, late, if it is at most an hour late; more than an hour late, it is dropped
silently (a nine o'clock "phones away" at half past eleven would only be noise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine

from intents.store.database import in_transaction
from intents.store.repository import Reminder, Store, Timer

LATE_LIMIT = timedelta(hours=1)
TIMER_ANNOUNCEMENTS = {"listening": "listening_time_up", "closing": "dive_minute_up"}
"""What a guided practice's timer says when it ends; phone-free time (no kind) says its own."""


@dataclass(frozen=True)
class Occurrence:
    reminder: Reminder
    day: date
    """The local day whose reminder this is."""
    speak: bool
    """False when it is more than an hour late: marked delivered without a word."""


def reminder_due(reminder: Reminder, zone: ZoneInfo, now: datetime) -> Occurrence | None:
    """The latest occurrence at or before `now` that has not been delivered, if any."""
    local_now = now.astimezone(zone)
    at = time.fromisoformat(reminder.at_time)
    if reminder.on_date is not None:
        return _once_due(
            reminder, reminder.on_date, datetime.combine(reminder.on_date, at, zone), local_now
        )
    day = local_now.date()
    scheduled = datetime.combine(day, at, zone)
    if scheduled > local_now:
        day -= timedelta(days=1)
        scheduled = datetime.combine(day, at, zone)
    if reminder.last_delivered_on is not None and reminder.last_delivered_on >= day:
        return None
    if reminder.created_at is not None and scheduled < reminder.created_at:
        return None  # set after that evening's time had passed: the first one is tomorrow
    return Occurrence(reminder, day, speak=local_now - scheduled <= LATE_LIMIT)


def _once_due(
    reminder: Reminder, day: date, scheduled: datetime, local_now: datetime
) -> Occurrence | None:
    """A one-off reminder (a plan) is due once, at its day and time, and never again."""
    if scheduled > local_now or reminder.last_delivered_on is not None:
        return None
    return Occurrence(reminder, day, speak=local_now - scheduled <= LATE_LIMIT)


def timer_speaks(timer: Timer, now: datetime) -> bool:
    return now - timer.ends_at <= LATE_LIMIT


@dataclass(frozen=True)
class Announcement:
    key: str
    """The response to say: a reminder, a plan, the end of phone-free time or of a practice."""


class Scheduler:
    """Checks the database for one household's due reminders and timers."""

    def __init__(self, engine: Engine, household_key: str, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.household_key = household_key
        self.clock = clock

    def due(self) -> list[Announcement]:
        """Claim what is due now (safely across processes) and return what to say."""
        return in_transaction(self.engine, self._claim)

    def _claim(self, conn: Connection) -> list[Announcement]:
        store = Store(conn)
        household = store.find_household(self.household_key)
        if household is None:
            return []
        now = self.clock()
        zone = ZoneInfo(household.timezone)
        out: list[Announcement] = []
        for reminder in store.reminders(household.id):
            occurrence = reminder_due(reminder, zone, now)
            claimed = occurrence and store.mark_reminder_delivered(reminder.id, occurrence.day)
            if claimed and occurrence.speak:
                once = reminder.on_date is not None
                out.append(Announcement("plan_announcement" if once else "reminder_announcement"))
        for timer in store.due_timers(now):
            ours = timer.household_id == household.id
            if ours and store.mark_timer_announced(timer.id) and timer_speaks(timer, now):
                out.append(Announcement(TIMER_ANNOUNCEMENTS.get(timer.kind, "phone_free_end")))
        return out
