"""Small shapes every handler shares."""

from __future__ import annotations

import dataclasses

from intents.reply import Card, Reply, ShowQuestion, Speech
from intents.turn import Turn


def ask(
    turn: Turn,
    speech: Speech,
    reprompt_key: str,
    pending: str | None = None,
    card: Card | None = None,
) -> Reply:
    """Say something and wait for an answer; `pending` says what the answer is for."""
    if pending:
        turn.state["pending"] = pending
    return Reply(speech, reprompt=turn.say(reprompt_key), card=card)


def offer_more(turn: Turn, speech: Speech, card: Card | None = None) -> Reply:
    """Say something and leave the conversation open for a follow-up: a microphone left open
    always follows a question, so the speech ends with one."""
    if not speech.plain.rstrip().endswith("?"):
        speech = speech + turn.say("anything_else_short")
    return Reply(speech, reprompt=turn.say("anything_else"), card=card)


def leave_to_talk(
    turn: Turn, speech: Speech, come_back_key: str, card: Card | None = None
) -> Reply:
    """A question for the two of them: they talk to each other, not to the companion, so the
    conversation closes with a word on how to come back (no microphone catches their answers).
    The card's question is also what a screen shows."""
    reply = finish(speech + turn.say(come_back_key), card=card)
    if card is None:
        return reply
    return dataclasses.replace(reply, screen=ShowQuestion(card.title, card.text))


def finish(speech: Speech, card: Card | None = None) -> Reply:
    """Say something and close the conversation."""
    return Reply(speech, end_session=True, card=card)


def card(turn: Turn, title_key: str, text: str) -> Card:
    return Card(turn.responses.text(title_key), text)


def avoid_recent(turn: Turn, key: str, ids: list[str], keep: int) -> str:
    """Pick an id not among the last `keep` picks stored under `key`, and remember it."""
    recent: list[str] = turn.state.get(key, [])
    fresh = [i for i in ids if i not in recent] or ids
    chosen = turn.rng.choice(fresh)
    turn.state[key] = (recent + [chosen])[-keep:]
    return chosen


def replace_slot(turn: Turn, name: str, value: str) -> Turn:
    """The same turn with one slot set: an answer given on its own fills the question's slot."""
    slots = {**turn.request.slots, name: value}
    turn.request = dataclasses.replace(turn.request, slots=slots)
    return turn
