"""Replies heard more than once an evening come in at least three wordings.

The keys are read from the code: every response key said by the shared helpers (common.py), by
the handlers of the modes that repeat step after step (tonight's question and its turns, the
deep dive, the guessing game, the guided practices, the basics), and every fallback the router
can choose. Keys said at most once in an evening are listed below with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from intents.handlers import basics
from intents.responses import Responses

HANDLERS = Path(__file__).resolve().parent.parent / "intents" / "handlers"
REPEATING = ["common", "questions", "deep_dive", "love_maps", "listening", "opening_up", "basics"]
ONCE_AN_EVENING = {
    "dive_task": "a passthrough for the task's own text, which is content",
    "dive_closing": "the end of a whole deep dive",
    "dive_paused": "said when people stop the deep dive for the evening",
    "launch_dive": "the greeting while a deep dive is under way",
    "help": "the full list of what can be done, asked for rarely",
    "forget_confirm": "forgetting a household happens once",
    "forget_done": "forgetting a household happens once",
    "forget_kept": "forgetting a household happens once",
    "forget_reprompt": "forgetting a household happens once",
    "names_missing": "names are set once",
    "names_set": "names are set once",
    "nothing_to_repeat": "only before anything was said",
    "resume_nothing": "only when there is nothing to resume",
    "dive_start": "the start of a whole deep dive",
    "launch_first": "the very first greeting",
    "reminder_which": "a pending answer's name as well as a reply; said when cancelling reminders",
}
RESPONSES = Responses.load()


def _said_keys(path: Path) -> set[str]:
    """Every string in the module that names a response (said, reprompted or passed on)."""
    return {
        str(node.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in RESPONSES.templates
    }


def frequently_heard() -> list[str]:
    keys: set[str] = set()
    for module in REPEATING:
        keys |= _said_keys(HANDLERS / f"{module}.py")
    keys |= set(basics.FALLBACK_HINTS.values()) | set(basics.MODE_FALLBACKS.values())
    keys |= {"fallback", "anything_else", "anything_else_short"}
    spoken = {k for k in keys if not k.startswith("card_")}  # card titles are read, not heard
    return sorted(spoken - set(ONCE_AN_EVENING))


def test_the_list_is_read_from_the_code_and_covers_the_replies_heard_most():
    keys = frequently_heard()
    for expected in (
        "anything_else",
        "anything_else_short",
        "fallback",
        "dive_who",
        "dive_next",
        "dive_come_back",
        "love_maps_come_back",
        "opening_up_back",
        "listening_check_reprompt",
        "goodbye",
    ):
        assert expected in keys
    assert set(ONCE_AN_EVENING) <= set(RESPONSES.templates)


@pytest.mark.parametrize("key", frequently_heard())
def test_a_frequently_heard_reply_has_three_wordings(key):
    variants = RESPONSES.templates[key]
    assert len(variants) >= 3, key
    assert len({v.lower() for v in variants}) == len(variants), key
