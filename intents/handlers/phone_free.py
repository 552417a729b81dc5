"""Phone-free time: start, how long is left, more time, stop. The front end announces the end."""

from __future__ import annotations

import dataclasses
import math
from datetime import timedelta

from intents.handlers.common import ask, finish, offer_more, replace_slot
from intents.reply import CancelTimer, Reply, ShowCountdown, StartTimer
from intents.slots import parse_minutes
from intents.spoken import say_count, say_time
from intents.store.repository import Timer
from intents.turn import Turn

DEFAULT_MINUTES = 20
"""Even twenty minutes counts."""
DEFAULT_EXTENSION = 10
MAX_MINUTES = 240


def _minutes(turn: Turn, default: int) -> int | None:
    """The minutes asked for; the default when none were said; None when what was said is not a
    usable number of minutes (zero, negative, a fraction, a word we do not know)."""
    said = turn.slot("minutes")
    if not said:
        return default
    return parse_minutes(said)


def _counting_down(turn: Turn, reply: Reply, timer: Timer) -> Reply:
    """The reply with the time left shown on a screen, for front ends that have one."""
    screen = ShowCountdown(timer.started_at, timer.ends_at, turn.household.timezone)
    return dataclasses.replace(reply, screen=screen)


def start(turn: Turn) -> Reply:
    minutes = _minutes(turn, DEFAULT_MINUTES)
    if minutes is None:
        return ask(
            turn, turn.say("phone_free_how_long"), "phone_free_how_long", "phone_free_minutes"
        )
    if minutes > MAX_MINUTES:
        return offer_more(turn, turn.say("phone_free_too_long", limit=MAX_MINUTES))
    running = turn.store.active_timer(turn.household.id, turn.now)
    if running:
        turn.store.stop_timer(running.id)
        turn.effects.append(CancelTimer(running.id, running.token))
    timer = turn.store.start_timer(
        turn.household.id, turn.now, turn.now + timedelta(minutes=minutes)
    )
    said = say_count(minutes, "minutes", turn.responses)
    if not turn.announces:  # Alexa: a reminder says when it ends, but only if people want one
        turn.state.pop("end_reminder", None)
        offer = ask(
            turn,
            turn.say("phone_free_started_offer_reminder", minutes=said),
            "phone_free_offer_reminder_reprompt",
            pending="end_reminder",
        )
        return _counting_down(turn, offer, timer)
    turn.effects.append(StartTimer(timer.id, timer.ends_at, turn.say("phone_free_end").plain))
    return _counting_down(turn, finish(turn.say("phone_free_started", minutes=said)), timer)


def remind_at_end(turn: Turn) -> Reply:
    """Yes to "a reminder when it's over?": one reminder, once, at the end; said back."""
    timer = turn.store.active_timer(turn.household.id, turn.now)
    if timer is None:
        return offer_more(turn, turn.say("phone_free_none"))
    turn.state["end_reminder"] = timer.id
    turn.effects.append(StartTimer(timer.id, timer.ends_at, turn.say("phone_free_end").plain))
    at = say_time(timer.ends_at.astimezone(turn.tz).time().replace(second=0), turn.responses)
    return _counting_down(turn, finish(turn.say("phone_free_reminder_set", time=at)), timer)


def no_reminder_at_end(turn: Turn) -> Reply:
    return finish(turn.say("phone_free_no_reminder"))


def remaining(turn: Turn) -> Reply:
    timer = turn.store.active_timer(turn.household.id, turn.now)
    if timer is None:
        return offer_more(turn, turn.say("phone_free_none"))
    left = math.ceil((timer.ends_at - turn.now).total_seconds() / 60)
    said = say_count(left, "minutes", turn.responses)
    return _counting_down(turn, finish(turn.say("phone_free_left", minutes=said)), timer)


def minutes_answer(turn: Turn) -> Reply:
    """The answer to "how many minutes?"."""
    said = turn.slot("minutes") or turn.request.text
    if parse_minutes(said) is None:
        return ask(
            turn, turn.say("phone_free_how_long"), "phone_free_how_long", "phone_free_minutes"
        )
    return start(replace_slot(turn, "minutes", said))


def extend(turn: Turn) -> Reply:
    minutes = _minutes(turn, DEFAULT_EXTENSION)
    if minutes is None:
        return ask(
            turn, turn.say("phone_free_how_long"), "phone_free_how_long", "phone_free_minutes"
        )
    timer = turn.store.active_timer(turn.household.id, turn.now)
    if timer is None:
        return start(turn)
    ends_at = timer.ends_at + timedelta(minutes=minutes)
    if ends_at - turn.now > timedelta(minutes=MAX_MINUTES):
        return offer_more(turn, turn.say("phone_free_too_long", limit=MAX_MINUTES))
    turn.store.extend_timer(timer.id, ends_at)
    if turn.announces or turn.state.get("end_reminder") == timer.id:  # only a wanted reminder
        turn.effects.append(CancelTimer(timer.id, timer.token))
        turn.effects.append(StartTimer(timer.id, ends_at, turn.say("phone_free_end").plain))
    left = math.ceil((ends_at - turn.now).total_seconds() / 60)
    reply = finish(
        turn.say(
            "phone_free_extended",
            minutes=say_count(minutes, "minutes", turn.responses),
            left=say_count(left, "minutes", turn.responses),
        )
    )
    return _counting_down(turn, reply, dataclasses.replace(timer, ends_at=ends_at))


def stop(turn: Turn) -> Reply:
    timer = turn.store.active_timer(turn.household.id, turn.now)
    if timer is None:
        return offer_more(turn, turn.say("phone_free_none"))
    turn.store.stop_timer(timer.id)
    turn.effects.append(CancelTimer(timer.id, timer.token))
    minutes = max(1, round((turn.now - timer.started_at).total_seconds() / 60))
    return finish(
        turn.say("phone_free_stopped", minutes=say_count(minutes, "minutes", turn.responses))
    )
