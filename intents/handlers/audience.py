"""Who the household is (a couple, close friends, someone on their own) and romance on or off."""

from __future__ import annotations

from intents.audience import AUDIENCE_KEY, ROMANCE_KEY
from intents.content import AUDIENCES
from intents.handlers.common import ask, offer_more
from intents.reply import Reply
from intents.turn import Turn


def set_audience(turn: Turn) -> Reply:
    """Remember who the household is; friends and people on their own never keep romance."""
    said = turn.slot("audience")
    if said not in AUDIENCES:
        return ask(turn, turn.say("audience_missing"), "audience_missing_reprompt")
    before = turn.audience
    turn.state[AUDIENCE_KEY] = said
    if said != "couple":
        turn.state.pop(ROMANCE_KEY, None)
    key = f"audience_same_{said}" if said == before else f"audience_set_{said}"
    return offer_more(turn, turn.say(key))


def romance_on(turn: Turn) -> Reply:
    """Romantic questions join the mix, for couples only."""
    if turn.audience != "couple":
        return offer_more(turn, turn.say(f"romance_couples_only_{turn.audience}"))
    already = turn.state.get(ROMANCE_KEY) is True
    turn.state[ROMANCE_KEY] = True
    return offer_more(turn, turn.say("romance_already_on" if already else "romance_on"))


def romance_off(turn: Turn) -> Reply:
    was_on = turn.state.pop(ROMANCE_KEY, None) is True
    return offer_more(turn, turn.say("romance_off" if was_on else "romance_already_off"))
