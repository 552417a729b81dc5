"""A guided deep dive: three sets of questions, each more personal, taken in turns, resumable,
with small tasks between some questions and a closing ritual after the last."""

from __future__ import annotations

from typing import Any

from intents.handlers import timing
from intents.handlers.common import ask, card, finish, leave_to_talk, offer_more
from intents.handlers.people import audience, guided
from intents.handlers.questions import another_question, tonight_question
from intents.reply import Reply
from intents.turn import Turn

CLOSING_MINUTES = 1
"""The closing ritual's quiet minute."""


def start(turn: Turn) -> Reply:
    if audience(turn) == "solo":
        return ask(turn, turn.say("dive_solo"), "launch_reprompt", pending="offer_question")
    place = turn.state.get("dive")
    if place:
        return _ask_current(turn, place, "dive_resume")
    return _begin(turn)


def start_over(turn: Turn) -> Reply:
    return _begin(turn)


def resume(turn: Turn) -> Reply:
    """ "Where were we?": the deep dive if one is under way, else tonight's question."""
    place = turn.state.get("dive")
    if place:
        return _ask_current(turn, place, "dive_resume")
    if turn.state.get("question"):
        return tonight_question(turn)
    return offer_more(turn, turn.say("resume_nothing"))


def next_question(turn: Turn) -> Reply:
    place = turn.state.get("dive")
    if turn.state.get("mode") != "deep_dive" or not place:
        return another_question(turn)
    sets = turn.content.deep_dive
    place["q"] += 1
    place["turn"] = place.get("turn", 0) + 1
    if place["q"] < len(sets[place["set"]].questions):
        return _ask_current(turn, place, "dive_next")
    if place["set"] + 1 < len(sets):
        place["set"] += 1
        place["q"] = 0
        return ask(
            turn,
            turn.say(
                "dive_set_done",
                number=place["set"],
                next_number=place["set"] + 1,
                title=sets[place["set"]].title,
            ),
            "dive_set_done_reprompt",
            pending="next_set",
        )
    return _close(turn)


def next_set(turn: Turn) -> Reply:
    place = turn.state.get("dive")
    if not place:
        return _begin(turn)
    return _ask_current(turn, place, "dive_set_start")


def pause(turn: Turn) -> Reply:
    """No to the next set: keep the place for another evening."""
    return finish(turn.say("dive_paused"))


def _close(turn: Turn) -> Reply:
    """After the last question: the closing ritual, a quiet minute and a sentence each."""
    turn.state.pop("dive", None)
    turn.state["mode"] = None
    closing = guided(turn).closing
    ritual = turn.say("dive_closing", ritual=closing.get(audience(turn)) or closing["couple"])
    if timing.start(turn, "closing", CLOSING_MINUTES):
        ritual = ritual + turn.say("dive_closing_timed")
    return finish(ritual + turn.say("dive_finished"))


def _begin(turn: Turn) -> Reply:
    place = {"set": 0, "q": 0, "turn": 0}
    turn.state["dive"] = place
    return _ask_current(turn, place, "dive_start")


def _ask_current(turn: Turn, place: dict[str, Any], key: str) -> Reply:
    turn.state["mode"] = "deep_dive"
    dive_set = turn.content.deep_dive[place["set"]]
    question = dive_set.questions[place["q"]]
    names = [p.name for p in turn.store.people(turn.household.id) if p.name]
    who = (
        turn.say("dive_who_named", name=names[place.get("turn", 0) % len(names)])
        if len(names) >= 2
        else turn.say("dive_who")
    )
    speech = turn.say(
        key,
        question=question.text,
        set_number=place["set"] + 1,
        number=place["q"] + 1,
        total=len(dive_set.questions),
        title=dive_set.title,
    )
    task = dive_set.task_after(question.id)
    if task:
        speech = speech + who + turn.say("dive_task", task=task.text(audience(turn)))
        come_back = "dive_come_back_task"
    else:
        speech, come_back = speech + who, "dive_come_back"
    return leave_to_talk(turn, speech, come_back, card=card(turn, "card_dive", question.text))
