"""Planning an idea: "let's do it on Saturday", "remind us on Friday at seven" sets a one-off
reminder for the idea heard last; "cancel our plan" removes the plans still to come."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from intents.handlers.common import ask, finish, offer_more
from intents.reply import CancelReminder, Reply, ScheduleReminder
from intents.slots import parse_time
from intents.spoken import say_time
from intents.store.repository import Reminder
from intents.turn import Turn

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_PLANS = 10


def plan_day(word: str, local_now: datetime, at: time | None) -> date | None:
    """The day meant by "saturday", "today" or "tomorrow": the soonest such day whose time is
    still ahead (a weekday named on that very day means today if the time has not passed)."""
    today = local_now.date()
    word = word.strip().lower()
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word not in WEEKDAYS:
        return None
    ahead = (WEEKDAYS.index(word) - today.weekday()) % 7
    if ahead == 0 and at is not None and at <= local_now.time():
        ahead = 7
    return today + timedelta(days=ahead)


def plan(turn: Turn) -> Reply:
    word = turn.slot("day") or ""
    local_now = turn.now.astimezone(turn.tz)
    spoken = turn.slot("time")
    at = parse_time(spoken) if spoken else None
    day = plan_day(word, local_now, at)
    if day is None:
        return ask(turn, turn.say("plan_day_unclear"), "plan_day_unclear")
    if at is None:
        turn.state["plan_day"] = word
        key = "plan_ask_time" if not spoken else "plan_time_unclear"
        return ask(
            turn, turn.say(key, day=_say_day(turn, day)), "plan_ask_time_reprompt", "plan_time"
        )
    return _create(turn, day, at)


def time_answer(turn: Turn) -> Reply:
    """The answer to "what time on Saturday?"."""
    word = turn.state.get("plan_day")
    at = parse_time(turn.slot("time") or turn.request.text)
    local_now = turn.now.astimezone(turn.tz)
    day = plan_day(word, local_now, at) if word else None
    if day is None:
        turn.state.pop("plan_day", None)
        return ask(turn, turn.say("plan_day_unclear"), "plan_day_unclear")
    if at is None:
        return ask(
            turn,
            turn.say("plan_time_unclear", day=_say_day(turn, day)),
            "plan_ask_time_reprompt",
            "plan_time",
        )
    return _create(turn, day, at)


def cancel(turn: Turn) -> Reply:
    plans = upcoming(turn)
    if not plans:
        return offer_more(turn, turn.say("plan_none"))
    for reminder in plans:
        turn.store.delete_reminder(turn.household.id, reminder.id)
        turn.effects.append(CancelReminder(reminder.id, reminder.token))
    key = "plan_cancelled_one" if len(plans) == 1 else "plan_cancelled"
    return finish(turn.say(key, count=len(plans)))


def upcoming(turn: Turn) -> list[Reminder]:
    """The household's plans still to come (one-off reminders not yet delivered)."""
    return [
        r
        for r in turn.store.reminders(turn.household.id)
        if r.on_date is not None and r.on_date >= turn.today and r.last_delivered_on is None
    ]


def _create(turn: Turn, day: date, at: time) -> Reply:
    turn.state.pop("plan_day", None)
    if len(upcoming(turn)) >= MAX_PLANS:
        return offer_more(turn, turn.say("plan_too_many", limit=MAX_PLANS))
    local_now = turn.now.astimezone(turn.tz)
    if datetime.combine(day, at, turn.tz) <= local_now:
        return ask(
            turn, turn.say("plan_in_the_past"), "plan_ask_time_reprompt", pending="plan_time"
        )
    values = {"day": _say_day(turn, day), "time": say_time(at, turn.responses)}
    reminder = turn.store.add_reminder(turn.household.id, at.strftime("%H:%M"), turn.now, day)
    if reminder is None:
        return finish(turn.say("plan_exists", **values))
    idea = _last_idea(turn)
    text = (
        turn.say("plan_announcement_idea", idea=idea) if idea else turn.say("plan_announcement")
    ).plain
    turn.effects.append(ScheduleReminder(reminder.id, at, turn.household.timezone, text, on=day))
    key = "plan_created_idea" if idea else "plan_created"
    return finish(turn.say(key, idea=idea or "", **values))


def _last_idea(turn: Turn) -> str | None:
    recent = turn.state.get("recent_ideas") or []
    ideas = {i.id: i.text for i in turn.content.ideas}
    return ideas.get(recent[-1]) if recent else None


def _say_day(turn: Turn, day: date) -> str:
    ahead = (day - turn.today).days
    if ahead == 0:
        return turn.responses.text("plan_day_today")
    if ahead == 1:
        return turn.responses.text("plan_day_tomorrow")
    key = "plan_day_this" if ahead < 7 else "plan_day_next"
    return turn.responses.text(key, weekday=day.strftime("%A"))
