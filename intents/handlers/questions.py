"""Tonight's question, its follow-ups and taking turns."""

from __future__ import annotations

from intents.content import Question
from intents.handlers.common import ask, card, leave_to_talk, offer_more
from intents.questions import choose_question, heard_by, shift_depth
from intents.reply import Reply
from intents.turn import Turn


def tonight_question(turn: Turn) -> Reply:
    """The same question all day for the whole household, chosen the first time anyone asks."""
    return _present(turn, tonight(turn), "tonight_question")


def tonight(turn: Turn) -> Question:
    """Tonight's question, claimed for the household the first time anyone asks (by voice, chat
    or the home page): every device gets the one claimed first."""
    store, household = turn.store, turn.household
    question_id = store.nightly_question(household.id, turn.today)
    question = turn.content.question(question_id) if question_id else None
    if question is not None and not question.suits(turn.audience, turn.romance):
        # The household said it is someone else since: tonight's question changes with it.
        question, cycle = _choose(turn)
        store.replace_nightly_question(household.id, turn.today, question.id)
        store.record_asked(household.id, question.id, cycle, turn.now)
    if question is None:
        candidate, cycle = _choose(turn)
        winner = store.claim_nightly_question(household.id, turn.today, candidate.id)
        question = turn.content.question(winner) or candidate
        if winner == candidate.id:
            store.record_asked(household.id, question.id, cycle, turn.now)
    return question


def another_question(turn: Turn) -> Reply:
    """Another, lighter, deeper or a given kind: never one heard before in this cycle."""
    kind = turn.slot("category")
    direction = turn.slot("depth")
    current = _current(turn)
    depth = None
    if direction:
        depth = shift_depth(current.depth if current else "light", direction)
        if current and depth == current.depth:
            key = "question_deepest" if direction == "deeper" else "question_lightest"
            return _present(turn, _pick(turn, kind, depth), key)
    question = _pick(turn, kind, depth)
    key = f"question_{direction}" if direction else "question_kind" if kind else "question_another"
    return _present(turn, question, key, kind=kind or "")


def next_turn(turn: Turn) -> Reply:
    """Alternate who answers first, by name when we know the names."""
    if turn.audience == "solo":
        return leave_to_talk(turn, turn.say("turn_solo"), "question_come_back")
    names = [p.name for p in turn.store.people(turn.household.id) if p.name]
    index = int(turn.state.get("turn", -1)) + 1
    turn.state["turn"] = index
    if len(names) >= 2:
        speech = turn.say("turn_named", name=names[index % len(names)])
    else:
        speech = turn.say("turn_unnamed" if index % 2 == 0 else "turn_unnamed_other")
    return leave_to_talk(turn, speech, "question_come_back")


def set_names(turn: Turn) -> Reply:
    names = [n.strip().title() for n in (turn.slot("name"), turn.slot("other_name")) if n]
    names = [n[:40] for n in names if n]
    if len(names) == 1 and turn.audience == "solo":  # someone on their own: one name is all
        turn.store.set_names(turn.household.id, names)
        return offer_more(turn, turn.say("names_set_one", first=names[0]))
    if len(names) < 2:
        return ask(turn, turn.say("names_missing"), "names_missing")
    turn.store.set_names(turn.household.id, names)
    turn.state["turn"] = -1
    return offer_more(turn, turn.say("names_set", first=names[0], second=names[1]))


def _current(turn: Turn) -> Question | None:
    question_id = turn.state.get("question")
    return turn.content.question(question_id) if question_id else None


def _choose(turn: Turn, kind: str | None = None, depth: str | None = None) -> tuple[Question, int]:
    """A fresh question and the cycle it belongs to (a new cycle once the bank is exhausted)."""
    cycle = turn.store.question_cycle(turn.household.id) or 1
    asked = turn.store.asked_in_cycle(turn.household.id, cycle)
    bank = heard_by(turn.content.questions, turn.audience, turn.romance)
    question, new_cycle = choose_question(bank, asked, turn.rng, kind, depth)
    return question, cycle + 1 if new_cycle else cycle


def _pick(turn: Turn, kind: str | None = None, depth: str | None = None) -> Question:
    question, cycle = _choose(turn, kind, depth)
    turn.store.record_asked(turn.household.id, question.id, cycle, turn.now)
    return question


def _present(turn: Turn, question: Question, key: str, **values: object) -> Reply:
    turn.state["question"] = question.id
    turn.state["mode"] = "question"
    turn.state["turn"] = -1
    text = question.rendered(turn.audience)
    speech = turn.say(key, question=text, **values)
    return leave_to_talk(turn, speech, "question_come_back", card=card(turn, "card_question", text))
