"""Daily phones-away reminders: create, list, cancel. Front ends deliver them."""

from __future__ import annotations

from datetime import time

from intents.handlers.common import ask, finish, offer_more
from intents.normalize import normalize
from intents.reply import CancelReminder, Reply, ScheduleReminder
from intents.slots import parse_time
from intents.spoken import say_list, say_time
from intents.store.repository import Reminder
from intents.turn import Turn

MAX_REMINDERS = 10


def create(turn: Turn) -> Reply:
    spoken = turn.slot("time")
    if not spoken:
        return ask(
            turn, turn.say("reminder_ask_time"), "reminder_ask_time", pending="reminder_time"
        )
    at = parse_time(spoken)
    if at is None:
        return ask(
            turn, turn.say("reminder_time_unclear"), "reminder_ask_time", pending="reminder_time"
        )
    return _create_at(turn, at)


def time_answer(turn: Turn) -> Reply:
    """The answer to "what time?": a time said on its own."""
    at = parse_time(turn.slot("time") or turn.request.text)
    if at is None:
        return ask(
            turn, turn.say("reminder_time_unclear"), "reminder_ask_time", pending="reminder_time"
        )
    return _create_at(turn, at)


def _create_at(turn: Turn, at: time) -> Reply:
    existing = _daily(turn)
    if len(existing) >= MAX_REMINDERS:
        return offer_more(turn, turn.say("reminder_too_many", limit=MAX_REMINDERS))
    reminder = turn.store.add_reminder(turn.household.id, at.strftime("%H:%M"), turn.now)
    if reminder is None:
        return finish(turn.say("reminder_exists", time=say_time(at, turn.responses)))
    turn.effects.append(
        ScheduleReminder(
            reminder.id, at, turn.household.timezone, turn.say("reminder_announcement").plain
        )
    )
    return finish(turn.say("reminder_created", time=say_time(at, turn.responses)))


def list_reminders(turn: Turn) -> Reply:
    reminders = _daily(turn)
    if not reminders:
        return offer_more(turn, turn.say("reminder_none"))
    times = [say_time(_at(r), turn.responses) for r in reminders]
    key = "reminder_list_one" if len(times) == 1 else "reminder_list"
    return offer_more(turn, turn.say(key, times=say_list(times, turn.responses), count=len(times)))


def cancel(turn: Turn) -> Reply:
    reminders = _daily(turn)
    if not reminders:
        return offer_more(turn, turn.say("reminder_none"))
    spoken = turn.slot("time")
    if spoken:
        return _cancel_at(turn, reminders, spoken)
    if len(reminders) == 1 or "all" in normalize(turn.request.text).split():
        return _cancel(turn, reminders)
    times = say_list([say_time(_at(r), turn.responses) for r in reminders], turn.responses)
    return ask(
        turn,
        turn.say("reminder_which", times=times),
        "fallback_reminder_which",
        pending="reminder_which",
    )


def means_all(text: str) -> bool:
    """ "All of them", "both", "every one": the answer to "which one should I cancel?"."""
    return bool({"all", "both", "every"} & set(normalize(text).split()))


def is_which_answer(text: str) -> bool:
    """A time or "all": an answer to "which one?", even when it sounds like "that's all"."""
    return means_all(text) or parse_time(text) is not None


def which_answer(turn: Turn) -> Reply:
    reminders = _daily(turn)
    if means_all(turn.request.text):
        return _cancel(turn, reminders)
    return _cancel_at(turn, reminders, turn.slot("time") or turn.request.text)


def _cancel_at(turn: Turn, reminders: list[Reminder], spoken: str) -> Reply:
    at = parse_time(spoken)
    matching = [r for r in reminders if at is not None and _at(r) == at]
    if not matching:
        times = say_list([say_time(_at(r), turn.responses) for r in reminders], turn.responses)
        return offer_more(turn, turn.say("reminder_not_found", times=times))
    return _cancel(turn, matching)


def _cancel(turn: Turn, reminders: list[Reminder]) -> Reply:
    for reminder in reminders:
        turn.store.delete_reminder(turn.household.id, reminder.id)
        turn.effects.append(CancelReminder(reminder.id, reminder.token))
    times = say_list([say_time(_at(r), turn.responses) for r in reminders], turn.responses)
    key = "reminder_cancelled_one" if len(reminders) == 1 else "reminder_cancelled"
    return finish(turn.say(key, times=times))


def _at(reminder: Reminder) -> time:
    return time.fromisoformat(reminder.at_time)


def _daily(turn: Turn) -> list[Reminder]:
    """The household's daily reminders; plans (one-off reminders) are handled in plans.py."""
    return [r for r in turn.store.reminders(turn.household.id) if r.on_date is None]
