"""The love-maps game: one guesses how the other would finish a sentence, the other answers.

Roles swap with every new prompt. There are no scores: after each round the companion only says
something warm about knowing each other a little better.
"""

from __future__ import annotations

from typing import Any

from intents.handlers.common import ask, avoid_recent, card, finish, leave_to_talk
from intents.handlers.people import audience, guided, pair
from intents.reply import Reply
from intents.turn import Turn

MODE = "love_maps"
RECENT = 40
"""Prompts not heard again until this many others have been played."""


def start(turn: Turn) -> Reply:
    if audience(turn) == "solo":
        return ask(turn, turn.say("love_maps_solo"), "launch_reprompt", "offer_question")
    turn.state["love_maps"] = {"round": 0}
    return _prompt(turn, turn.say("love_maps_start"))


def next_prompt(turn: Turn) -> Reply:
    """ "Next": a warm word about the last round, then roles swap on a new prompt."""
    game = turn.state.get("love_maps")
    if not game:
        return start(turn)
    game["round"] = int(game.get("round", 0)) + 1
    return _prompt(turn, turn.say("love_maps_warm"))


def stop(turn: Turn) -> Reply:
    game = turn.state.pop("love_maps", None) or {}
    turn.state["mode"] = None
    key = "love_maps_end" if int(game.get("round", 0)) > 0 else "love_maps_end_early"
    return finish(turn.say(key))


def _prompt(turn: Turn, opening: Any) -> Reply:
    turn.state["mode"] = MODE
    game = turn.state["love_maps"]
    who = audience(turn)
    prompts = {p.id: p.text for p in guided(turn).love_maps if who in p.audiences}
    chosen = prompts[avoid_recent(turn, "recent_love_maps", list(prompts), RECENT)]
    index = int(game["round"])
    named = pair(turn, index)
    if named:
        guess = turn.say(
            "love_maps_guess_named", question=chosen, guesser=named[0], answerer=named[1]
        )
    else:
        key = "love_maps_guess_first" if index == 0 else "love_maps_guess_swapped"
        guess = turn.say(key, question=chosen)
    return leave_to_talk(
        turn, opening + guess, "love_maps_come_back", card=card(turn, "card_love_maps", chosen)
    )
