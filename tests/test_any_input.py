"""Whatever anyone types or a recogniser hears, the companion answers and never crashes."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intents.catalog import Catalog
from intents.companion import build_companion
from intents.matcher import Matcher

WORDS = st.sampled_from(
    [
        "tonight's",
        "question",
        "another",
        "deeper",
        "check",
        "in",
        "four",
        "twenty",
        "minutes",
        "phone",
        "free",
        "remind",
        "us",
        "at",
        "nine",
        "cancel",
        "yes",
        "no",
        "forget",
        "us",
        "next",
        "where",
        "were",
        "we",
        "stop",
        "um",
        "alexa",
        "half",
        "past",
        "reminder",
        "all",
        "start",
    ]
)
PHRASES = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
ANYTHING = st.one_of(st.text(max_size=300), PHRASES)
MATCHER = Matcher(Catalog.load())


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('any') / 'heart.db'}"
    return build_companion(url, rng=random.Random(11), timezone="Europe/London")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=ANYTHING)
def test_any_input_string_gets_a_spoken_reply(shared, text):
    reply = shared.reply_to_text("local:fuzz", text)
    assert reply.speech.plain


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=2000))
def test_matcher_never_raises(text):
    assert MATCHER.match(text).name
