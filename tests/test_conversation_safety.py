"""A confirmation belongs to the conversation that asked for it, and modes end when people move on.

Each front end names its conversation: Alexa's sessionId, the voice loop's open window, one run of
the chat. A "yes" from any other conversation, or too late, deletes nothing.
"""

from __future__ import annotations

import io

from sqlalchemy import func, select

from intents.chat import chat
from intents.conversation import CONFIRM_TTL
from intents.store.schema import check_ins, households
from local_voice.loop import FOLLOW_UP, VoiceLoop
from local_voice.recognizer import Transcript
from tests.alexa.envelopes import intent
from tests.test_skill_endpoint import alexa  # noqa: F401 - the signed-request fixture
from tests.test_voice_loop import SECONDS_SPOKEN, Recording

HOME = "local:home"


def check_in_rows(companion) -> int:
    with companion.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(check_ins)).scalar_one()


def household_rows(companion) -> int:
    with companion.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(households)).scalar_one()


def run_chat(companion, *lines: str) -> str:
    out = io.StringIO()
    chat(companion, HOME, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    return out.getvalue()


# Chat --------------------------------------------------------------------------------------


def test_a_yes_in_a_later_chat_never_deletes_anything(companion):
    run_chat(companion, "we feel a four", "skip", "forget us")
    assert check_in_rows(companion) == 1
    run_chat(companion, "yes")
    assert check_in_rows(companion) == 1


def test_a_yes_in_the_same_chat_deletes_everything(companion):
    run_chat(companion, "we feel a four", "skip")
    output = run_chat(companion, "forget us", "yes")
    assert "gone" in output
    assert check_in_rows(companion) == 0


def test_a_late_yes_never_deletes_anything(companion, clock):
    companion.reply_to_text(HOME, "we feel a four", session="s")
    companion.reply_to_text(HOME, "skip", session="s")
    companion.reply_to_text(HOME, "forget us", session="s")
    clock.advance(seconds=CONFIRM_TTL.total_seconds() + 1)
    late = companion.reply_to_text(HOME, "yes", session="s")
    assert "gone" not in late.speech.plain
    assert check_in_rows(companion) == 1


def test_an_unanswered_rating_is_not_taken_from_another_conversation(companion):
    companion.reply_to_text(HOME, "let's check in", session="evening")
    companion.reply_to_text(HOME, "four", session="next morning")
    assert check_in_rows(companion) == 0


# Alexa -------------------------------------------------------------------------------------


def test_a_stale_yes_on_alexa_never_deletes_anything(alexa, companion, clock):  # noqa: F811
    alexa.send(intent("CheckInIntent", rating="4"), api_token=None)
    alexa.send(intent("AMAZON.NoIntent"), api_token=None)
    asked = alexa.send(intent("ForgetUsIntent"), api_token=None)
    assert not asked.ends  # Alexa asks "should I delete it all?"
    alexa.end_session()  # the session ended without an answer
    clock.advance(hours=20)
    alexa.send(intent("AMAZON.YesIntent"), api_token=None)
    assert check_in_rows(companion) == 1


def test_a_yes_in_the_same_alexa_session_deletes(alexa, companion):  # noqa: F811
    alexa.send(intent("CheckInIntent", rating="4"), api_token=None)
    alexa.send(intent("AMAZON.NoIntent"), api_token=None)
    alexa.send(intent("ForgetUsIntent"), api_token=None)
    done = alexa.send(intent("AMAZON.YesIntent"), api_token=None)
    assert done.ends and check_in_rows(companion) == 0


# Voice loop --------------------------------------------------------------------------------


def heard(text: str) -> Transcript:
    return Transcript(text, 0.95, free_form=False)


def test_a_yes_after_the_window_closed_never_deletes_anything(companion, clock):
    loop = VoiceLoop(companion, HOME, Recording(), clock)  # type: ignore[arg-type]
    loop.hear(heard("heart to heart we feel a four"))
    loop.hear(heard("skip"))
    loop.hear(heard("heart to heart forget us"))
    clock.advance(seconds=SECONDS_SPOKEN + FOLLOW_UP.total_seconds() + 1)
    loop.hear(heard("heart to heart yes"))
    assert check_in_rows(companion) == 1


def test_a_yes_while_the_window_is_open_deletes(companion, clock):
    loop = VoiceLoop(companion, HOME, Recording(), clock)  # type: ignore[arg-type]
    loop.hear(heard("heart to heart we feel a four"))
    loop.hear(heard("skip"))
    loop.hear(heard("heart to heart forget us"))
    loop.hear(heard("yes"))
    assert check_in_rows(companion) == 0


# Modes -------------------------------------------------------------------------------------


def test_after_moving_on_the_fallback_no_longer_talks_about_the_deep_dive(companion):
    companion.reply_to_text(HOME, "let's do a deep dive")
    companion.reply_to_text(HOME, "let's try something new")
    lost = companion.reply_to_text(HOME, "purple elephants on the moon")
    assert "next" not in lost.speech.plain.lower()
    resumed = companion.reply_to_text(HOME, "where were we")  # the deep dive is kept for later
    assert any(s.kind == "question" for s in resumed.speech.segments)
