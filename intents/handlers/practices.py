"""What "next" and "stop" mean while a practice or the game runs; touch for every audience."""

from __future__ import annotations

from intents.handlers import basics, deep_dive, listening, love_maps, opening_up
from intents.handlers.common import avoid_recent, card, offer_more
from intents.handlers.people import audience, guided
from intents.reply import Reply
from intents.turn import Handler, Turn

NEXT: dict[str, Handler] = {
    love_maps.MODE: love_maps.next_prompt,
    listening.MODE: listening.done,
    opening_up.MODE: opening_up.next_step,
}
STOP: dict[str, Handler] = {
    love_maps.MODE: love_maps.stop,
    listening.MODE: listening.stop,
    opening_up.MODE: opening_up.stop,
}
CARRY_ON = {"Next", "Stop", "Repeat", "Help", "Fallback", "NextTurn", "Resume", "Yes", "No"}
"""What keeps a practice going (see handlers.MODES); "stop" ends it with a word of its own."""
RECENT = 12


def next_step(turn: Turn) -> Reply:
    """ "Next" or "done": the running practice's next step, else the deep dive's or a question."""
    handler = NEXT.get(turn.state.get("mode") or "")
    return handler(turn) if handler else deep_dive.next_question(turn)


def stop(turn: Turn) -> Reply:
    handler = STOP.get(turn.state.get("mode") or "")
    return handler(turn) if handler else basics.stop(turn)


def touch_ritual(turn: Turn) -> Reply:
    """Couples hear every ritual, friends only the friend-appropriate ones, and someone on their
    own a moment of care for themselves."""
    who = audience(turn)
    if who == "solo":
        items = {i.id: i.text for i in guided(turn).self_care}
        chosen = items[avoid_recent(turn, "recent_self_care", list(items), RECENT)]
        return offer_more(
            turn, turn.say("self_care", ritual=chosen), card(turn, "card_self_care", chosen)
        )
    rituals = turn.content.touch_rituals
    suitable = {i.id: i.text for i in rituals if who in i.audiences}
    if not suitable:
        return offer_more(turn, turn.say("touch_friends_hug"))
    chosen = suitable[avoid_recent(turn, "recent_touch", list(suitable), RECENT)]
    return offer_more(turn, turn.say("touch", ritual=chosen), card(turn, "card_touch", chosen))
