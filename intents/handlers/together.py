"""Encouragement with one practice, and ideas to try together (touch: handlers/practices.py)."""

from __future__ import annotations

from datetime import timedelta

from intents.handlers.common import avoid_recent, card, offer_more
from intents.reply import Reply
from intents.trends import mood
from intents.turn import Turn

MOOD_DAYS = 7
RECENT = 12


def encourage(turn: Turn) -> Reply:
    """Gentler words and smaller steps after low check-ins; celebration after high ones."""
    recent = turn.store.check_ins(turn.household.id, turn.today - timedelta(days=MOOD_DAYS - 1))
    feeling = mood(recent)
    size = "small" if feeling == "low" else "full"
    words = [e for e in turn.content.encouragements if e.mood == feeling]
    steps = [p for p in turn.content.practices if p.size == size]
    last_practice = turn.state.get("last_practice")
    varied = [p for p in steps if p.practice != last_practice] or steps
    encouragement_id = avoid_recent(turn, "recent_encouragements", [e.id for e in words], RECENT)
    practice_id = avoid_recent(turn, "recent_practices", [p.id for p in varied], RECENT)
    encouragement = next(e for e in words if e.id == encouragement_id)
    practice = next(p for p in varied if p.id == practice_id)
    turn.state["last_practice"] = practice.practice
    if recent:
        speech = turn.say("encouragement", words=encouragement.text, step=practice.text)
    else:  # nothing to go on: no words about how the household is doing
        speech = turn.say("encouragement_no_check_ins", step=practice.text)
    return offer_more(turn, speech, card(turn, "card_practice", practice.text))


def try_something_new(turn: Turn) -> Reply:
    items = {i.id: i.text for i in turn.content.ideas}
    chosen = items[avoid_recent(turn, "recent_ideas", list(items), RECENT)]
    return offer_more(turn, turn.say("idea", idea=chosen), card(turn, "card_idea", chosen))
