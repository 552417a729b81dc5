"""Phone-free time: start, how long is left, more time, stop. The front end announces the end."""

from __future__ import annotations

import math
from datetime import timedelta

from intents.conversation import Turn
from intents.handlers.common import finish, offer_more
from intents.reply import CancelTimer, Reply, StartTimer
from intents.slots import parse_minutes
from intents.spoken import say_count

DEFAULT_MINUTES = 20
"""Even twenty minutes counts."""
DEFAULT_EXTENSION = 10
MAX_MINUTES = 240


def start(turn: Turn) -> Reply:
    minutes = parse_minutes(turn.slot("minutes") or "") or DEFAULT_MINUTES
    if minutes > MAX_MINUTES:
        return offer_more(turn, turn.say("phone_free_too_long", limit=MAX_MINUTES))
    running = turn.store.active_timer(turn.household.id, turn.now)
    if running:
        turn.store.stop_timer(running.id)
        turn.effects.append(CancelTimer(running.id, running.token))
    timer = turn.store.start_timer(
        turn.household.id, turn.now, turn.now + timedelta(minutes=minutes)
    )
    turn.effects.append(StartTimer(timer.id, timer.ends_at, turn.say("phone_free_end").plain))
    return finish(
        turn.say("phone_free_started", minutes=say_count(minutes, "minutes", turn.responses))
    )


def remaining(turn: Turn) -> Reply:
    timer = turn.store.active_timer(turn.household.id, turn.now)
    if timer is None:
        return offer_more(turn, turn.say("phone_free_none"))
    left = math.ceil((timer.ends_at - turn.now).total_seconds() / 60)
    return finish(turn.say("phone_free_left", minutes=say_count(left, "minutes", turn.responses)))


def extend(turn: Turn) -> Reply:
    minutes = parse_minutes(turn.slot("minutes") or "") or DEFAULT_EXTENSION
    timer = turn.store.active_timer(turn.household.id, turn.now)
    if timer is None:
        return start(turn)
    ends_at = timer.ends_at + timedelta(minutes=minutes)
    if ends_at - turn.now > timedelta(minutes=MAX_MINUTES):
        return offer_more(turn, turn.say("phone_free_too_long", limit=MAX_MINUTES))
    turn.store.extend_timer(timer.id, ends_at)
    turn.effects.append(CancelTimer(timer.id, timer.token))
    turn.effects.append(StartTimer(timer.id, ends_at, turn.say("phone_free_end").plain))
    left = math.ceil((ends_at - turn.now).total_seconds() / 60)
    return finish(
        turn.say(
            "phone_free_extended",
            minutes=say_count(minutes, "minutes", turn.responses),
            left=say_count(left, "minutes", turn.responses),
        )
    )


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
