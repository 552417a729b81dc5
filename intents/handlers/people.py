"""Who is in the household: its audience (couple, friends, solo) and the names it gave."""

from __future__ import annotations

from intents.content import Guided
from intents.turn import Turn


def audience(turn: Turn) -> str:
    """Who the household said it is (couple, friends or solo); a couple until it says otherwise."""
    return turn.audience


def names(turn: Turn) -> list[str]:
    """The names the household set, in the order given (empty when none or only one)."""
    found = [p.name for p in turn.store.people(turn.household.id) if p.name]
    return found if len(found) >= 2 else []


def pair(turn: Turn, index: int) -> tuple[str, str] | None:
    """Whose turn it is and the other's name, alternating with `index`; None without names."""
    found = names(turn)
    if not found:
        return None
    return found[index % 2], found[(index + 1) % 2]


def guided(turn: Turn) -> Guided:
    assert turn.content.guided is not None, "content loaded without guided.yaml"
    return turn.content.guided
