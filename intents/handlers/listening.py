"""Active listening: one speaks for about two minutes, the other says back what they heard, the
speaker says whether it was right (yes, no or mostly), then roles swap.

The microphone is closed while people talk to each other; they come back with "done".
"""

from __future__ import annotations

import re

from intents.handlers import timing
from intents.handlers.common import ask, avoid_recent, card, finish, leave_to_talk, offer_more
from intents.handlers.people import audience, guided, pair
from intents.normalize import normalize
from intents.reply import Reply, Speech
from intents.turn import Turn

MODE = "listening"
ROUNDS = 2
SPEAKING_MINUTES = 2
RECENT = 6
_MOSTLY = re.compile(r"\b(mostly|partly|nearly|almost|sort of|kind of|a bit|some of it|half)\b")


def start(turn: Turn) -> Reply:
    if audience(turn) == "solo":
        return ask(turn, turn.say("listening_solo"), "fallback_yes_no", "offer_opening_up")
    turn.state["listening"] = {"round": 0, "step": "speak"}
    return _speak(turn, turn.say("listening_start"))


def done(turn: Turn) -> Reply:
    """ "Done": the speaker has finished, or the listener has said it back."""
    place = turn.state.get("listening")
    if not place:
        return start(turn)
    turn.state["mode"] = MODE
    if place["step"] == "speak":
        timing.stop(turn, MODE)
        place["step"] = "say_back"
        return leave_to_talk(turn, _who(turn, "listening_say_back"), "listening_come_back_said")
    return _ask_check(turn)


def is_check_answer(text: str) -> bool:
    return _MOSTLY.search(normalize(text)) is not None


def check_answer(turn: Turn) -> Reply:
    """Yes, no or mostly, from the speaker: then the roles swap, or a warm close."""
    place = turn.state.get("listening")
    if not place:
        return offer_more(turn, turn.say("resume_nothing"))
    turn.state["mode"] = MODE
    name = turn.request.name
    if is_check_answer(turn.request.text):
        heard = "listening_mostly"
    elif name == "Yes":
        heard = "listening_right"
    elif name == "No":
        heard = "listening_missed"
    else:
        return _ask_check(turn, "listening_check_again")
    place["round"] = int(place["round"]) + 1
    if place["round"] >= ROUNDS:
        turn.state.pop("listening", None)
        turn.state["mode"] = None
        return finish(turn.say(heard) + turn.say("listening_finished"))
    place["step"] = "speak"
    return _speak(turn, turn.say(heard) + turn.say("listening_swap"))


def stop(turn: Turn) -> Reply:
    timing.stop(turn, MODE)
    turn.state.pop("listening", None)
    turn.state["mode"] = None
    return finish(turn.say("practice_stopped"))


def _ask_check(turn: Turn, key: str = "listening_check") -> Reply:
    place = turn.state["listening"]
    place["step"] = "check"
    return ask(turn, _who(turn, key), "listening_check_reprompt", pending="listening_check")


def _speak(turn: Turn, opening: Speech) -> Reply:
    turn.state["mode"] = MODE
    who = audience(turn)
    topics = {p.id: p.text for p in guided(turn).listening if who in p.audiences}
    topic = topics[avoid_recent(turn, "recent_listening", list(topics), RECENT)]
    speech = opening + _who(turn, "listening_speak", question=topic)
    timed = timing.start(turn, MODE, SPEAKING_MINUTES)
    come_back = "listening_come_back_timed" if timed else "listening_come_back_speak"
    return leave_to_talk(turn, speech, come_back, card=card(turn, "card_listening", topic))


def _who(turn: Turn, key: str, question: str | None = None) -> Speech:
    """The line for this step, with names when the household gave them."""
    named = pair(turn, int(turn.state["listening"]["round"]))
    if named:
        return turn.say(f"{key}_named", question=question, speaker=named[0], listener=named[1])
    return turn.say(key, question=question)
