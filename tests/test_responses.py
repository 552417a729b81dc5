"""Every wording key a handler uses exists, and everything said is safe to speak."""

from __future__ import annotations

import random
import re
from pathlib import Path

import intents
from intents.responses import Responses

RESPONSES = Responses.load()
SOURCE = Path(intents.__file__).parent


def test_every_literal_response_key_in_the_code_exists():
    keys: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text()
        keys |= set(re.findall(r"""(?:say|text|render)\(\s*"([a-z_]+)\"""", text))
        keys |= set(re.findall(r"""ask\(\s*turn,.*?,\s*"([a-z_]+)"\s*[,)]""", text, re.S))
    assert keys, "the scan found nothing: the pattern is broken"
    assert sorted(keys - set(RESPONSES.templates)) == []


def test_wording_never_contains_ssml_breaking_characters():
    for key, variants in RESPONSES.templates.items():
        for text in variants:
            assert "<" not in text and "&" not in text, key


def test_pause_marks_become_pause_segments():
    speech = Responses({"k": ["Hello. [pause] {question}"]}).render(
        "k", random.Random(1), question="Ready?"
    )
    assert [s.kind for s in speech.segments] == ["text", "pause", "question"]
    assert speech.plain == "Hello. Ready?"


def test_stars_mark_emphasis():
    speech = Responses({"k": ["Even *twenty minutes* counts."]}).render("k", random.Random(1))
    assert [(s.kind, s.text) for s in speech.segments] == [
        ("text", "Even"),
        ("emphasis", "twenty minutes"),
        ("text", "counts."),
    ]


def _who_keys() -> list[str]:
    """The steps of active listening whose wording has a named form (`_who(turn, "key")`)."""
    text = (SOURCE / "handlers" / "listening.py").read_text()
    return re.findall(r"""_who\(\s*turn,\s*"([a-z_]+)\"""", text)


def _count_units() -> set[str]:
    """Every unit a count is said in (`say_count(n, "minutes", ...)`)."""
    units = set()
    for path in SOURCE.rglob("*.py"):
        units |= set(re.findall(r'say_count\([^()]*?,\s*"([a-z_]+)"', path.read_text()))
    return units


BUILT_KEYS: dict[str, list[str]] = {
    # f-string response keys in the code, and every value each placeholder can take there.
    "{unit}_one": [f"{u}_one" for u in _count_units()],
    "{unit}_many": [f"{u}_many" for u in _count_units()],
    "question_{direction}": [f"question_{d}" for d in ("lighter", "deeper")],
    "audience_same_{said}": [f"audience_same_{a}" for a in ("couple", "friends", "solo")],
    "audience_set_{said}": [f"audience_set_{a}" for a in ("couple", "friends", "solo")],
    "romance_couples_only_{turn.audience}": [
        f"romance_couples_only_{a}" for a in ("friends", "solo")
    ],
    "{key}_named": [f"{k}_named" for k in _who_keys()],
    "checkin_{seen.direction}": [f"checkin_{d}" for d in ("first", "up", "down", "same")],
    "summary_direction_{summary.direction}": [
        f"summary_direction_{d}"
        for d in ("up", "down", "steady")  # "unknown" says nothing
    ],
}


def _built_keys_in_the_code() -> set[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        for literal in re.findall(r'f"([^"]*)"', path.read_text()):
            if re.fullmatch(r"[a-z_]*(\{[^{}]+\}[a-z_]*)+", literal):
                found.add(literal)
    return found


def test_every_response_key_built_with_an_f_string_is_declared_with_its_values():
    assert _built_keys_in_the_code() == set(BUILT_KEYS), "declare new f-string keys here"


def test_every_value_of_every_built_response_key_exists():
    expansions = [key for keys in BUILT_KEYS.values() for key in keys]
    assert len(expansions) > len(BUILT_KEYS) and {"minutes", "times"} <= _count_units()
    assert sorted(set(expansions) - set(RESPONSES.templates)) == []


def test_the_trend_directions_are_the_ones_the_built_keys_cover():
    from intents.store.repository import CheckIn
    from intents.trends import summarise, trend

    day = __import__("datetime").date(2026, 11, 24)
    seen = {
        trend(CheckIn(2, day, new, None), [CheckIn(1, day, old, None)]).direction
        for old, new in ((3, 4), (4, 3), (3, 3))
    } | {trend(CheckIn(1, day, 3, None), []).direction}
    assert {f"checkin_{d}" for d in seen} == set(BUILT_KEYS["checkin_{seen.direction}"])
    directions = {
        summarise([CheckIn(i, day, r, None) for i, r in enumerate(rs)], set(), day).direction
        for rs in ([], [1, 1, 5, 5], [5, 5, 1, 1], [3, 3, 3, 3])
    }
    assert {f"summary_direction_{d}" for d in directions - {"unknown"}} == set(
        BUILT_KEYS["summary_direction_{summary.direction}"]
    )
