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
