"""Timers for the guided practices, where the front end can speak up by itself (the voice loop):
the two minutes of active listening, the deep dive's closing minute. Alexa cannot, so there
people come back by themselves and no timer is set."""

from __future__ import annotations

from datetime import timedelta

from intents.turn import Turn


def start(turn: Turn, kind: str, minutes: int) -> bool:
    """Start this practice's timer (replacing one still running); False when nobody could
    announce its end, so the wording should say how to come back instead."""
    stop(turn, kind)
    if not turn.announces:
        return False
    turn.store.start_timer(
        turn.household.id, turn.now, turn.now + timedelta(minutes=minutes), kind=kind
    )
    return True


def stop(turn: Turn, kind: str) -> None:
    """People moved on before the end: the timer must not speak up later."""
    running = turn.store.active_timer(turn.household.id, turn.now, kind=kind)
    if running is not None:
        turn.store.stop_timer(running.id)
