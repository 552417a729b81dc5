"""The one-minute check-in and the gentle look back at recent ones."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from intents.handlers.common import ask, finish, offer_more
from intents.overview import first_day, weekly
from intents.reply import Reply, ShowTrend, TrendWeek
from intents.slots import parse_rating
from intents.spoken import say_count, say_when
from intents.store.repository import CheckIn
from intents.trends import summarise, trend
from intents.turn import Turn

SUMMARY_DAYS = 14
TREND_SCREEN_WEEKS = 6
"""How many weeks a screen's trend chart covers, this week included."""
MAX_APPRECIATION_CHARS = 280
"""An appreciation is a sentence; anything longer is cut, never stored whole."""


def check_in(turn: Turn) -> Reply:
    """Start a check-in, or take its rating straight away ("we feel a four")."""
    rating = parse_rating(turn.slot("rating") or "")
    if rating is None:
        return ask(turn, turn.say("checkin_start"), "checkin_rating_reprompt", pending="rating")
    return _rated(turn, rating)


def rating(turn: Turn) -> Reply:
    """A bare number: the answer to "how connected do you feel", if that was asked just now."""
    if turn.pending != "rating":
        # A number nobody asked for (or asked in another conversation) is not stored: ask afresh.
        return ask(turn, turn.say("checkin_start"), "checkin_rating_reprompt", pending="rating")
    value = parse_rating(turn.slot("rating") or turn.request.text)
    if value is None:
        return ask(
            turn, turn.say("checkin_rating_invalid"), "checkin_rating_reprompt", pending="rating"
        )
    return _rated(turn, value)


def _rated(turn: Turn, value: int) -> Reply:
    person_id = turn.person.id if turn.person else None
    new_id = turn.store.add_check_in(
        turn.household.id, person_id, turn.today, value, turn.now, turn.request_id
    )
    recent = turn.store.check_ins(turn.household.id, turn.today - timedelta(days=60))
    new = next(c for c in recent if c.id == new_id)
    turn.state["check_in"] = new_id
    seen = trend(new, recent)
    if seen.direction == "first":
        reflection = turn.say("checkin_first", rating=value)
    else:
        assert seen.previous_day is not None
        reflection = turn.say(
            f"checkin_{seen.direction}",
            rating=value,
            previous=seen.previous,
            when=say_when(seen.previous_day, turn.today, turn.responses),
        )
    if value <= 2:
        reflection = reflection + turn.say("checkin_low_comfort")
    return ask(
        turn,
        reflection + turn.say("checkin_appreciation"),
        "checkin_appreciation_reprompt",
        pending="appreciation",
    )


def appreciation(turn: Turn) -> Reply:
    """Keep what they appreciated, only if they said something, only under their check-in."""
    text = (turn.slot("appreciation") or turn.request.text or "").strip()
    check_in_id = turn.state.pop("check_in", None)
    if turn.pending != "appreciation" or check_in_id is None:
        return offer_more(turn, turn.say("appreciation_unprompted"))
    if not text:
        return finish(turn.say("checkin_done_skipped"))
    turn.store.add_appreciation(turn.household.id, int(check_in_id), text[:MAX_APPRECIATION_CHARS])
    return finish(turn.say("checkin_done"))


def skip_appreciation(turn: Turn) -> Reply:
    turn.state.pop("check_in", None)
    return finish(turn.say("checkin_done_skipped"))


def how_are_we_doing(turn: Turn) -> Reply:
    """A kind summary: what happened, never what did not."""
    since = turn.today - timedelta(days=SUMMARY_DAYS - 1)
    recent: list[CheckIn] = turn.store.check_ins(turn.household.id, since)
    talked = turn.store.days_with_questions(turn.household.id, since)
    summary = summarise(recent, talked, turn.today)
    if summary.check_ins == 0 and summary.nights_talked == 0:
        return _with_trend(turn, offer_more(turn, turn.say("summary_empty")))
    parts = []
    if summary.check_ins:
        count = say_count(summary.check_ins, "times", turn.responses)
        parts.append(turn.say("summary_checkins", count=count, typical=summary.typical))
        if summary.direction in ("up", "down", "steady"):
            parts.append(turn.say(f"summary_direction_{summary.direction}"))
    if summary.nights_talked:
        nights = say_count(summary.nights_talked, "evenings", turn.responses)
        parts.append(turn.say("summary_nights", nights=nights))
    speech = parts[0]
    for part in parts[1:]:
        speech = speech + part
    return _with_trend(turn, offer_more(turn, speech + turn.say("summary_closing")))


def _with_trend(turn: Turn, reply: Reply) -> Reply:
    """The reply with the weekly averages of recent check-ins, for front ends with a screen;
    unchanged when there are none to draw."""
    since = first_day(turn.today, TREND_SCREEN_WEEKS)
    recent = [c for c in turn.store.check_ins(turn.household.id, since) if c.day <= turn.today]
    if not recent:
        return reply
    weeks = weekly(recent, set(), turn.today, TREND_SCREEN_WEEKS)
    trend_weeks = tuple(TrendWeek(w.start, w.typical, w.check_ins) for w in weeks)
    return dataclasses.replace(reply, screen=ShowTrend(trend_weeks))
