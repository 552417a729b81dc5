"""Hypothesis strategies for Alexa request bodies and headers, random and mutated-but-signed."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

from tests.alexa.envelopes import CERT_URL, envelope, intent, launch

JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
INTENTS = st.sampled_from(
    [
        "TonightQuestionIntent",
        "CheckInIntent",
        "ReminderCreateIntent",
        "PhoneFreeStartIntent",
        "AppreciationIntent",
        "ForgetUsIntent",
        "AMAZON.YesIntent",
        "AMAZON.StopIntent",
        "Nope",
    ]
)
SLOT_NAMES = st.sampled_from(["rating", "time", "minutes", "appreciation", "depth", "x"])


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    return out


@st.composite
def mutated_envelope(draw: st.DrawFn, now: datetime) -> bytes:
    """A real envelope with one part deleted or replaced by arbitrary JSON."""
    kind = draw(st.sampled_from(["launch", "intent"]))
    request = (
        launch()
        if kind == "launch"
        else intent(
            draw(INTENTS), **draw(st.dictionaries(SLOT_NAMES, st.text(max_size=30), max_size=3))
        )
    )
    data = envelope(request, now, api_token=None)
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(JSON)
    return json.dumps(data).encode()


RANDOM_BODY = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    JSON.map(lambda d: json.dumps(d).encode()),
)
HEADERS = st.dictionaries(
    st.sampled_from(["SignatureCertChainUrl", "Signature-256", "Content-Type", "X-Other"]),
    st.one_of(
        st.just(CERT_URL),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
    ),
    max_size=4,
)
