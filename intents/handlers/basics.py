"""Opening, help, stop, cancel, repeat, yes and no, start over, fallback, and forgetting."""

from __future__ import annotations

from intents.handlers import checkin, deep_dive, opening_up, questions
from intents.handlers.common import ask, finish, offer_more
from intents.reply import Reply, Speech
from intents.turn import Turn


def launch(turn: Turn) -> Reply:
    if turn.state.get("dive"):
        return ask(turn, turn.say("launch_dive"), "launch_reprompt", pending="offer_resume")
    key = "launch" if turn.state.get("last") else "launch_first"  # no "welcome back" on day one
    return ask(turn, turn.say(key), "launch_reprompt", pending="offer_question")


def help_(turn: Turn) -> Reply:
    return ask(turn, turn.say("help"), "help_reprompt")


def stop(turn: Turn) -> Reply:
    return finish(turn.say("goodbye"))


def cancel(turn: Turn) -> Reply:
    if turn.pending:
        turn.state.pop("check_in", None)
        return finish(turn.say("cancelled"))
    return finish(turn.say("goodbye"))


def repeat(turn: Turn) -> Reply:
    last = turn.state.get("last")
    if not last:
        return offer_more(turn, turn.say("nothing_to_repeat"))
    if turn.pending:
        turn.state["pending"] = turn.pending
    reprompt = Speech.from_data(last["reprompt"]) if last.get("reprompt") else None
    return Reply(Speech.from_data(last["speech"]), reprompt=reprompt)


def start_over(turn: Turn) -> Reply:
    if turn.state.get("mode") == "deep_dive" or turn.pending == "next_set":
        return deep_dive.start_over(turn)
    for key in ("question", "mode", "turn", "check_in"):
        turn.state.pop(key, None)
    return launch(turn)


def forget_us(turn: Turn) -> Reply:
    return ask(turn, turn.say("forget_confirm"), "forget_reprompt", pending="forget")


def _forget(turn: Turn) -> Reply:
    """Everything goes; reminders held by Amazon are queued for deletion in the same transaction
    (store.forget), and each front end that holds such reminders deletes them (Alexa: after
    this reply and on the household's next requests, until Amazon confirms)."""
    turn.store.forget(turn.household.id, turn.now)
    turn.forgotten = True
    return finish(turn.say("forget_done"))


YES = {
    "offer_question": questions.tonight_question,
    "offer_resume": deep_dive.resume,
    "forget": _forget,
    "next_set": deep_dive.next_set,
    "offer_opening_up": opening_up.start,
}


def yes(turn: Turn) -> Reply:
    action = YES.get(turn.pending or "")
    if action:
        return action(turn)
    return fallback(turn)


def no(turn: Turn) -> Reply:
    if turn.pending == "forget":
        return finish(turn.say("forget_kept"))
    if turn.pending == "appreciation":
        return checkin.skip_appreciation(turn)
    if turn.pending == "next_set":
        return deep_dive.pause(turn)
    if turn.pending == "offer_resume":
        return questions.tonight_question(turn)
    return finish(turn.say("goodbye_no"))


MODE_FALLBACKS = {
    "deep_dive": "fallback_dive",
    "question": "fallback_question",
    "love_maps": "fallback_love_maps",
    "listening": "fallback_practice",
    "opening_up": "fallback_practice",
}
"""What to suggest when something said during a mode was not understood."""

FALLBACK_HINTS = {
    "rating": "fallback_rating",
    "reminder_time": "fallback_reminder_time",
    "reminder_which": "fallback_reminder_which",
    "forget": "fallback_forget",
    "next_set": "fallback_yes_no",
    "offer_question": "fallback_yes_no",
    "offer_resume": "fallback_yes_no",
    "offer_opening_up": "fallback_yes_no",
}


def fallback(turn: Turn) -> Reply:
    """Not understood: the single most useful thing to say next, given where we are."""
    hint = FALLBACK_HINTS.get(turn.pending or "")
    if hint:
        turn.state["pending"] = turn.pending
        return ask(turn, turn.say(hint), hint)
    in_mode = MODE_FALLBACKS.get(turn.state.get("mode") or "")
    if in_mode:
        return ask(turn, turn.say(in_mode), in_mode)
    return ask(turn, turn.say("fallback"), "fallback")
