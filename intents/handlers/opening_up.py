"""Opening up, a vulnerability practice: four short steps that rise gently, each person
answering in turn, with an easy way out at every step ("we'd rather stop")."""

from __future__ import annotations

from intents.handlers.common import avoid_recent, card, finish, leave_to_talk
from intents.handlers.people import audience, guided, pair
from intents.reply import Reply, Speech
from intents.slots import number_words
from intents.turn import Turn

MODE = "opening_up"


def start(turn: Turn) -> Reply:
    who = audience(turn)
    sequences = {s.id: s for s in guided(turn).opening_up if who in s.audiences}
    chosen = avoid_recent(turn, "recent_opening_up", list(sequences), len(sequences) - 1 or 1)
    turn.state["opening_up"] = {"id": chosen, "step": 0}
    opening = "opening_up_start_solo" if who == "solo" else "opening_up_start"
    total = number_words(len(sequences[chosen].steps))
    return _step(turn, turn.say(opening, total=total))


def next_step(turn: Turn) -> Reply:
    place = turn.state.get("opening_up")
    if not place:
        return start(turn)
    place["step"] = int(place["step"]) + 1
    if place["step"] >= len(_steps(turn, place["id"])):
        turn.state.pop("opening_up", None)
        turn.state["mode"] = None
        key = "opening_up_done_solo" if audience(turn) == "solo" else "opening_up_done"
        return finish(turn.say(key))
    return _step(turn, Speech())


def stop(turn: Turn) -> Reply:
    turn.state.pop("opening_up", None)
    turn.state["mode"] = None
    return finish(turn.say("practice_stopped"))


def _steps(turn: Turn, sequence_id: str) -> tuple[str, ...]:
    found = next((s for s in guided(turn).opening_up if s.id == sequence_id), None)
    return found.steps if found else ()


def _step(turn: Turn, opening: Speech) -> Reply:
    turn.state["mode"] = MODE
    place = turn.state["opening_up"]
    steps = _steps(turn, place["id"])
    index = int(place["step"])
    text = steps[index]
    values = {"number": index + 1, "total": len(steps)}
    named = pair(turn, index)
    if audience(turn) == "solo":
        line, back = (
            turn.say("opening_up_step_solo", question=text, **values),
            "opening_up_back_solo",
        )
    elif named:
        line = turn.say("opening_up_step_named", question=text, first=named[0], **values)
        back = "opening_up_back"
    else:
        line, back = turn.say("opening_up_step", question=text, **values), "opening_up_back"
    return leave_to_talk(turn, opening + line, back, card=card(turn, "card_opening_up", text))
