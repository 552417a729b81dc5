"""A microphone is never left open without a question, and questions for the two of them close it.

Every test sentence of the catalog, said in each state the companion can be in: whenever a reply
keeps the conversation open, its speech ends with a question (Alexa's certification rule, and
plain courtesy for the voice loop).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from intents.companion import build_companion

FIXTURES = Path(__file__).parent / "sentences" / "en"
SENTENCES = sorted(
    {
        sentence
        for path in FIXTURES.glob("*.yaml")
        for block in yaml.safe_load(path.read_text())["tests"]
        for sentence in block["sentences"]
    }
)
STATES = {
    "fresh": [],
    "after tonight's question": ["what's tonight's question"],
    "in a check-in": ["let's check in"],
    "in a deep dive": ["let's do a deep dive"],
    "after a rating": ["we feel a four"],
    "after forget us": ["forget us"],
    "in the guessing game": ["let's play love maps"],
    "asked whether it was heard right": ["let's do some active listening", "done", "done"],
    "planning an idea": ["give us an idea", "let's do it on saturday"],
}


@pytest.mark.parametrize("state", list(STATES))
def test_an_open_microphone_always_follows_a_question(state, tmp_path):
    companion = build_companion(f"sqlite:///{tmp_path / 'h.db'}", rng=random.Random(3))
    left_open = []
    for index, sentence in enumerate(SENTENCES):
        household = f"local:{index}"
        for line in STATES[state]:
            companion.reply_to_text(household, line, session="s")
        reply = companion.reply_to_text(household, sentence, session="s")
        if reply.expects_answer and not reply.speech.plain.rstrip().endswith("?"):
            left_open.append((sentence, reply.speech.plain[-80:]))
    assert left_open == []


@pytest.mark.parametrize(
    "sentence",
    [
        "what's tonight's question",
        "another one",
        "your turn",
        "let's do a deep dive",
        "let's play love maps",
        "let's open up to each other",
    ],
)
def test_a_question_for_the_two_of_them_closes_the_conversation_and_says_how_to_come_back(
    companion, sentence
):
    companion.reply_to_text("local:home", "what's tonight's question", session="s")
    reply = companion.reply_to_text("local:home", sentence, session="s")
    assert reply.end_session
    assert "ask" in reply.speech.plain.lower() or "i'm here" in reply.speech.plain.lower()
