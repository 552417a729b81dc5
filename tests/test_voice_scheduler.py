"""Spoken reminders and phone-free endings: due, late, dropped, after a restart, cancelled."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from intents.store.repository import Reminder, Store, Timer
from local_voice.scheduler import Occurrence, Scheduler, reminder_due, timer_speaks

HOME = "local:home"


def scheduler_for(companion, clock) -> Scheduler:
    return Scheduler(companion.engine, HOME, clock)


def test_a_reminder_is_spoken_at_its_time_once(companion, clock):
    # 18:00 UTC is 18:00 in London in November.
    companion.reply_to_text(HOME, "remind us to put our phones away at nine")
    scheduler = scheduler_for(companion, clock)
    clock.advance(hours=2, minutes=59)
    assert scheduler.due() == []
    clock.advance(minutes=1)
    assert [a.key for a in scheduler.due()] == ["reminder_announcement"]
    clock.advance(minutes=1)
    assert scheduler.due() == []


def test_it_comes_again_the_next_evening(companion, clock):
    companion.reply_to_text(HOME, "remind us to put our phones away at nine")
    scheduler = scheduler_for(companion, clock)
    clock.advance(hours=3)
    assert len(scheduler.due()) == 1
    clock.advance(days=1)
    assert len(scheduler.due()) == 1


def test_a_reminder_missed_while_stopped_is_spoken_late_once_within_the_hour(companion, clock):
    companion.reply_to_text(HOME, "remind us to put our phones away at nine")
    clock.advance(hours=3, minutes=40)  # the program was down at nine; back at 21:40
    restarted = scheduler_for(companion, clock)
    assert [a.key for a in restarted.due()] == ["reminder_announcement"]
    assert restarted.due() == []


def test_a_reminder_more_than_an_hour_late_is_dropped(companion, clock):
    companion.reply_to_text(HOME, "remind us to put our phones away at nine")
    clock.advance(hours=4, minutes=30)  # 22:30
    scheduler = scheduler_for(companion, clock)
    assert scheduler.due() == []
    clock.advance(days=1, minutes=-90)  # 21:00 the next day: on time again
    assert len(scheduler.due()) == 1


def test_a_reminder_set_after_its_time_starts_tomorrow(companion, clock):
    clock.advance(hours=3, minutes=30)  # 21:30
    companion.reply_to_text(HOME, "remind us to put our phones away at nine")
    scheduler = scheduler_for(companion, clock)
    assert scheduler.due() == []
    clock.advance(hours=23, minutes=30)
    assert len(scheduler.due()) == 1


def test_a_cancelled_reminder_is_not_spoken(companion, clock):
    companion.reply_to_text(HOME, "remind us to put our phones away at nine")
    companion.reply_to_text(HOME, "cancel the nine o'clock reminder")
    clock.advance(hours=3)
    assert scheduler_for(companion, clock).due() == []


def test_the_end_of_phone_free_time_is_announced_once(companion, clock):
    companion.reply_to_text(HOME, "start twenty minutes of phone free time")
    scheduler = scheduler_for(companion, clock)
    clock.advance(minutes=19)
    assert scheduler.due() == []
    clock.advance(minutes=1)
    assert [a.key for a in scheduler.due()] == ["phone_free_end"]
    assert scheduler.due() == []


def test_a_stopped_timer_is_not_announced(companion, clock):
    companion.reply_to_text(HOME, "start twenty minutes of phone free time")
    companion.reply_to_text(HOME, "stop phone free time")
    clock.advance(minutes=30)
    assert scheduler_for(companion, clock).due() == []


def test_a_timer_that_ended_long_ago_is_dropped_after_a_restart(companion, clock):
    companion.reply_to_text(HOME, "start twenty minutes of phone free time")
    clock.advance(hours=2)
    assert scheduler_for(companion, clock).due() == []


def test_another_households_reminders_are_not_spoken_here(companion, clock):
    companion.reply_to_text("local:neighbours", "remind us to put our phones away at nine")
    companion.reply_to_text(HOME, "what's tonight's question")
    clock.advance(hours=3)
    assert scheduler_for(companion, clock).due() == []


def test_two_processes_never_both_speak_the_same_reminder(companion, clock):
    companion.reply_to_text(HOME, "remind us to put our phones away at nine")
    clock.advance(hours=3)
    first, second = scheduler_for(companion, clock), scheduler_for(companion, clock)
    assert len(first.due()) + len(second.due()) == 1


@pytest.mark.parametrize(("late_minutes", "spoken"), [(45, 1), (60, 1), (61, 0)])
def test_the_late_rule_speaks_up_to_an_hour_late_and_not_a_minute_more(
    companion, clock, late_minutes, spoken
):
    companion.reply_to_text(HOME, "remind us to put our phones away at nine")
    clock.advance(hours=3, minutes=late_minutes)  # the program was down at nine
    assert len(scheduler_for(companion, clock).due()) == spoken


@pytest.mark.parametrize(("late_minutes", "spoken"), [(45, 1), (60, 1), (61, 0)])
def test_the_end_of_phone_free_time_follows_the_same_late_rule(
    companion, clock, late_minutes, spoken
):
    companion.reply_to_text(HOME, "start twenty minutes of phone free time")
    clock.advance(minutes=20 + late_minutes)
    assert len(scheduler_for(companion, clock).due()) == spoken


def test_quarter_past_nine_rings_at_a_quarter_past_nine(companion, clock):
    companion.reply_to_text(HOME, "remind us to put our phones away at quarter past nine")
    scheduler = scheduler_for(companion, clock)
    clock.advance(hours=3, minutes=14)
    assert scheduler.due() == []
    clock.advance(minutes=1)
    assert [a.key for a in scheduler.due()] == ["reminder_announcement"]


# reminder_due on its own: the occurrence it picks, in the household's own time zone ----------
TOKYO = ZoneInfo("Asia/Tokyo")
LONDON = ZoneInfo("Europe/London")


def daily(at: str, created_at: datetime, delivered: date | None = None) -> Reminder:
    return Reminder(1, 1, at, None, delivered, created_at)


def test_a_reminder_follows_the_households_time_zone_not_the_servers():
    # One at night in Tokyo is 16:00 UTC the day before.
    reminder = daily("01:00", datetime(2026, 11, 1, tzinfo=UTC))
    now = datetime(2026, 11, 24, 16, 5, tzinfo=UTC)
    occurrence = reminder_due(reminder, TOKYO, now)
    assert occurrence == Occurrence(reminder, date(2026, 11, 25), speak=True)


def test_before_tonights_time_the_open_occurrence_is_yesterdays_and_too_late_to_say():
    reminder = daily("21:00", datetime(2026, 11, 1, tzinfo=UTC))
    occurrence = reminder_due(reminder, LONDON, datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    assert occurrence == Occurrence(reminder, date(2026, 11, 23), speak=False)


def test_a_reminder_delivered_today_has_nothing_open_until_tomorrow():
    reminder = daily("21:00", datetime(2026, 11, 1, tzinfo=UTC), delivered=date(2026, 11, 24))
    assert reminder_due(reminder, LONDON, datetime(2026, 11, 24, 21, 30, tzinfo=UTC)) is None
    tomorrow = reminder_due(reminder, LONDON, datetime(2026, 11, 25, 21, 0, tzinfo=UTC))
    assert tomorrow == Occurrence(reminder, date(2026, 11, 25), speak=True)


def test_a_reminder_set_at_the_very_minute_it_names_is_due_at_once():
    nine = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    reminder = daily("21:00", nine)
    assert reminder_due(reminder, LONDON, nine) == Occurrence(reminder, date(2026, 11, 24), True)


def plan(at: str, on: date, delivered: date | None = None) -> Reminder:
    return Reminder(2, 1, at, None, delivered, datetime(2026, 11, 1, tzinfo=UTC), on_date=on)


def test_a_plan_is_due_once_on_its_day_at_its_time():
    day = date(2026, 11, 26)
    reminder = plan("20:00", day)
    before = datetime(2026, 11, 26, 19, 59, tzinfo=UTC)
    assert reminder_due(reminder, LONDON, before) is None
    at_time = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    assert reminder_due(reminder, LONDON, at_time) == Occurrence(reminder, day, speak=True)
    an_hour_late = at_time + timedelta(hours=1)
    assert reminder_due(reminder, LONDON, an_hour_late) == Occurrence(reminder, day, speak=True)
    too_late = an_hour_late + timedelta(minutes=1)
    assert reminder_due(reminder, LONDON, too_late) == Occurrence(reminder, day, speak=False)
    delivered = plan("20:00", day, delivered=day)
    assert reminder_due(delivered, LONDON, at_time + timedelta(days=1)) is None


def test_a_timer_speaks_up_to_an_hour_after_it_ended():
    ended = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    timer = Timer(1, 1, ended - timedelta(minutes=20), ended, None)
    assert timer_speaks(timer, ended + timedelta(hours=1))
    assert not timer_speaks(timer, ended + timedelta(hours=1, seconds=1))


def test_plans_and_practice_timers_are_announced_with_their_own_words(engine, clock):
    with engine.begin() as conn:
        store = Store(conn)
        household = store.household(HOME, "Europe/London", clock.now).id
        store.add_reminder(household, "18:30", clock.now, on_date=clock.now.date())
        store.start_timer(household, clock.now, clock.now + timedelta(minutes=2), "listening")
        store.start_timer(household, clock.now, clock.now + timedelta(minutes=3), "closing")
        store.start_timer(household, clock.now, clock.now + timedelta(minutes=4))
    scheduler = Scheduler(engine, HOME, clock)
    clock.advance(minutes=30)
    assert sorted(a.key for a in scheduler.due()) == [
        "dive_minute_up",
        "listening_time_up",
        "phone_free_end",
        "plan_announcement",
    ]
    assert scheduler.due() == []


def test_a_household_not_yet_known_has_nothing_due(engine, clock):
    assert Scheduler(engine, "local:nobody-yet", clock).due() == []
