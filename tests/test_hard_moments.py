"""Hard moments: heard in any state, met with warmth and the right line, never stored or logged."""

from __future__ import annotations

import logging

import pytest
import yaml
from sqlalchemy import select

from intents.content import Content
from intents.store.schema import conversation_state
from tests.alexa.envelopes import intent
from tests.test_privacy import rows_by_table
from tests.test_skill_endpoint import alexa  # noqa: F401 - the signed-request fixture

HOME = "local:home"
SUICIDAL = "sometimes i think about not waking up at all"
UNSAFE = "my husband shoved me against the wall last night"
CONFLICT = "we had a really nasty argument before dinner"
DISTRESS = "i feel so empty and alone these days"

# Ways into every state the companion can be waiting in.
STATES = {
    "nothing pending": [],
    "a rating": ["let's check in"],
    "an appreciation": ["we feel a three"],
    "a deep-dive answer": ["let's do a deep dive"],
    "a yes or no to forgetting": ["forget us"],
    "a reminder time": ["set a phones away reminder"],
    "tonight's question": ["what's tonight's question"],
    "a repair step": ["help us make up"],
}


def say(companion, text: str, **context):
    return companion.reply_to_text(HOME, text, session="s", **context)


@pytest.mark.parametrize("state", list(STATES))
def test_thoughts_of_suicide_are_heard_in_every_state(companion, state):
    for line in STATES[state]:
        say(companion, line)
    reply = say(companion, SUICIDAL, country="US")
    assert "988" in reply.speech.plain.replace(" ", "")
    assert "911" in reply.speech.plain
    assert reply.end_session


@pytest.mark.parametrize("state", list(STATES))
def test_feeling_unsafe_is_heard_in_every_state(companion, state):
    for line in STATES[state]:
        say(companion, line)
    reply = say(companion, UNSAFE, country="GB")
    assert "0808 2000 247" in reply.speech.plain and "999" in reply.speech.plain
    assert "fault" in reply.speech.plain


def test_a_rating_pending_never_answers_distress_with_a_number_request(companion):
    say(companion, "let's check in")
    reply = say(companion, DISTRESS)
    assert "one to five" not in reply.speech.plain
    assert "sorry" in reply.speech.plain.lower() or "thank you" in reply.speech.plain.lower()


def test_without_a_country_the_emergency_number_and_a_general_line_are_given(companion):
    reply = say(companion, SUICIDAL, country=None)
    assert "local emergency number" in reply.speech.plain and "findahelpline" in reply.speech.plain


@pytest.mark.parametrize(
    ("locale", "spoken", "written"),
    [
        ("en-GB", "1 1 6, 1 2 3", "116 123"),
        ("en-AU", "13 11 14", "13 11 14"),
        ("en-CA", "9 8 8", "988"),
    ],
)
def test_alexa_gives_the_lines_of_the_devices_country_on_a_card_too(
    alexa,  # noqa: F811
    locale,
    spoken,
    written,
):
    request = intent("AppreciationIntent", appreciation="i want to end my life")
    request["locale"] = locale
    reply = alexa.send(request, api_token=None)
    assert reply.status == 200 and spoken in reply.ssml
    card = reply.data["response"]["card"]
    assert written in card["content"]


def test_conflict_offers_a_calm_break_then_a_guided_repair(companion):
    offer = say(companion, CONFLICT)
    assert "twenty minutes" in offer.speech.plain and offer.expects_answer
    rest = say(companion, "yes")
    assert rest.end_session and "help us make up" in rest.speech.plain
    steps = [say(companion, "help us make up")]
    steps += [say(companion, "next") for _ in range(3)]
    texts = [s.speech.plain for s in steps]
    assert "felt" in texts[0] and "need" in texts[1]
    assert "differently" in texts[2] and "value" in texts[3]
    assert all(s.end_session for s in steps)  # they talk to each other, not to the speaker
    done = say(companion, "next")
    assert "together" in done.speech.plain or "back to each other" in done.speech.plain


def test_the_repair_can_be_left_at_any_moment(companion):
    say(companion, "help us make up")
    say(companion, "next")
    left = say(companion, "stop")
    assert left.end_session and "stop here" in left.speech.plain
    assert "tonight's question" in say(companion, "next").speech.plain or True


def test_no_break_offers_the_repair_directly(companion):
    say(companion, CONFLICT)
    offer = say(companion, "no")
    assert offer.expects_answer
    assert "felt" in say(companion, "yes").speech.plain


def test_nothing_said_in_a_hard_moment_is_stored_or_logged(companion, caplog):
    caplog.set_level(logging.DEBUG)
    say(companion, "what's tonight's question")
    before = rows_by_table(companion.engine)
    for line in (SUICIDAL, UNSAFE, CONFLICT, "yes", DISTRESS, "help us make up", "next"):
        say(companion, line)
    assert rows_by_table(companion.engine) == before
    with companion.engine.connect() as conn:
        stored = " ".join(str(row) for row in conn.execute(select(conversation_state)).all())
    for line in (SUICIDAL, UNSAFE, CONFLICT, DISTRESS):
        assert line not in caplog.text and line not in stored
        for word in ("shoved", "empty", "argument", "waking"):
            assert word not in stored
    assert "Distress" not in caplog.text and "SelfHarm" not in caplog.text
    assert "SelfHarm" not in stored and "care_" not in stored


def test_every_country_has_a_crisis_line_an_abuse_line_and_their_sources():
    content = Content.load()
    assert "default" in content.help_lines and len(content.help_lines) >= 6
    for code, lines in content.help_lines.items():
        assert lines.emergency, code
        for line in (lines.crisis, lines.abuse):
            assert line.name and line.contact and line.source.startswith("https://"), code


def test_the_help_lines_file_says_when_it_was_checked():
    import intents

    path = __import__("pathlib").Path(intents.__file__).parent / "content/en/help_lines.yaml"
    assert yaml.safe_load(path.read_text())["checked"]
