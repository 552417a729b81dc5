"""Hard moments: distress, conflict, feeling unsafe, thoughts of self-harm.

Warm and brief, never clinical, never advice that a professional should give. Where someone's
safety or life may be in danger, the help lines of the household's country (content/help_lines
.yaml). Conflict gets a path back: a calm break first, then a short repair conversation in turns.
Nothing said in these moments is stored: only which step of the repair comes next.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from intents.handlers.common import ask, card, finish
from intents.reply import Reply
from intents.turn import Turn

REPAIR_TTL = timedelta(hours=3)
"""A repair conversation left half-way is not picked up the next day."""
REPAIR_STEPS = ("repair_felt", "repair_needed", "repair_differently", "repair_appreciate")
"""How each felt, what each needed, one thing each could do differently, one appreciation."""


def distress(turn: Turn) -> Reply:
    _leave_everything(turn)
    lines = turn.content.lines_for(turn.country)
    return finish(
        turn.say("care_distress", crisis=lines.crisis.name, crisis_contact=lines.crisis.contact)
    )


def self_harm(turn: Turn) -> Reply:
    _leave_everything(turn)
    lines = turn.content.lines_for(turn.country)
    spoken = {"emergency": lines.emergency, "crisis": lines.crisis.name}
    printed = {"crisis_name": lines.crisis.name, "crisis_written": lines.crisis.written}
    text = turn.responses.text("card_help_self_harm", emergency=lines.emergency, **printed)
    return finish(
        turn.say("care_self_harm", crisis_contact=lines.crisis.contact, **spoken),
        card=card(turn, "card_help", _capitalised(text)),
    )


def unsafe(turn: Turn) -> Reply:
    _leave_everything(turn)
    lines = turn.content.lines_for(turn.country)
    printed = {"abuse_name": lines.abuse.name, "abuse_written": lines.abuse.written}
    text = turn.responses.text("card_help_unsafe", emergency=lines.emergency, **printed)
    return finish(
        turn.say(
            "care_unsafe",
            emergency=lines.emergency,
            abuse=lines.abuse.name,
            abuse_contact=lines.abuse.contact,
        ),
        card=card(turn, "card_help", _capitalised(text)),
    )


def conflict(turn: Turn) -> Reply:
    """A calm break first: twenty minutes lets a racing heart settle."""
    _leave_everything(turn)
    return ask(turn, turn.say("care_conflict"), "care_conflict_reprompt", pending="calm_break")


def take_break(turn: Turn) -> Reply:
    return finish(turn.say("repair_break"))


def skip_break(turn: Turn) -> Reply:
    return ask(turn, turn.say("repair_offer"), "repair_offer_reprompt", pending="repair_offer")


def repair(turn: Turn) -> Reply:
    """Start the guided repair conversation (also "help us make up" at any time)."""
    _leave_everything(turn)
    turn.state["repair"] = 0
    return _step(turn, "repair_start")


def in_repair(turn: Turn) -> bool:
    """A repair conversation is under way (and was touched recently)."""
    started = turn.state.get("repair_at")
    if "repair" not in turn.state or not started:
        return False
    try:
        return turn.now - datetime.fromisoformat(started) <= REPAIR_TTL
    except (TypeError, ValueError):
        return False


def repair_next(turn: Turn) -> Reply:
    """They have both spoken: the next step, or a warm ending after the last."""
    step = int(turn.state.get("repair", -1)) + 1
    if step <= 0 or step >= len(REPAIR_STEPS):
        _end_repair(turn)
        return finish(turn.say("repair_done"))
    turn.state["repair"] = step
    return _step(turn, "repair_next")


def leave_repair(turn: Turn) -> Reply:
    _end_repair(turn)
    return finish(turn.say("repair_left"))


def decline(turn: Turn) -> Reply:
    return finish(turn.say("repair_declined"))


def _step(turn: Turn, lead: str) -> Reply:
    """One step, then the microphone closes: they talk to each other, not to the companion."""
    step = int(turn.state["repair"])
    turn.state["repair_at"] = turn.now.isoformat()
    return finish(turn.say(lead) + turn.say(REPAIR_STEPS[step]) + turn.say("repair_when_done"))


def _end_repair(turn: Turn) -> None:
    turn.state.pop("repair", None)
    turn.state.pop("repair_at", None)


def _leave_everything(turn: Turn) -> None:
    """Whatever was under way (a check-in, a deep dive, a question) steps aside."""
    for key in ("check_in", "mode"):
        turn.state.pop(key, None)
    _end_repair(turn)


def _capitalised(text: str) -> str:
    """Names such as "the National Domestic Abuse Helpline" may open a printed line."""
    return ". ".join(part[:1].upper() + part[1:] for part in text.split(". "))
