"""The voice loop end to end: wake phrase, follow-ups, confidence, real speech out, stored state."""

from __future__ import annotations

import wave

import numpy as np
import pytest
from sqlalchemy import select

from intents.reply import Segment, Speech
from intents.store.schema import check_ins, timers
from local_voice.loop import FOLLOW_UP, Speaker, VoiceLoop
from local_voice.recognizer import Transcript
from local_voice.speech_output import SPEECH_RATE, Synthesizer, Voice
from tests.command import heart_to_heart
from tests.voice.audio import english_model, korean_model, rms_dbfs, speak_to_wav

HOME = "local:home"
SECONDS_SPOKEN = 5.0


class Recording:
    """A speaker that keeps what it was asked to say (the audio path is tested separately)."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.interrupted = 0
        self.speaking = False
        """Set by a test to stand for speakers still playing a reply."""

    def say(self, speech: Speech) -> float:
        self.said.append(speech.plain)
        return SECONDS_SPOKEN

    def interrupt(self) -> None:
        self.interrupted += 1
        self.speaking = False


def heard(text: str, confidence: float = 0.95) -> Transcript:
    return Transcript(text, confidence, free_form=False)


@pytest.fixture
def loop(companion, clock):
    return VoiceLoop(companion, HOME, Recording(), clock)  # type: ignore[arg-type]


def test_nothing_is_answered_without_the_wake_phrase(loop):
    assert loop.hear(heard("what's tonight's question")) is None
    assert loop.speaker.said == []


def test_the_wake_phrase_and_a_command_in_one_breath(loop):
    assert loop.hear(heard("heart to heart what's tonight's question")) == "TonightQuestion"
    assert "?" in loop.speaker.said[-1]


def test_follow_ups_need_no_wake_phrase_while_the_conversation_is_open(loop, clock):
    loop.hear(heard("heart to heart"))
    assert loop.speaker.said[-1] in ("I'm listening.", "Yes?")
    assert loop.hear(heard("let's check in")) == "CheckIn"
    assert loop.hear(heard("four")) == "Rating"
    assert loop.hear(heard("skip")) == "No"
    # The check-in closed the conversation: the wake phrase is needed again.
    assert loop.hear(heard("another one")) is None


def test_an_open_conversation_times_out(loop, clock):
    loop.hear(heard("heart to heart what's tonight's question"))
    clock.advance(seconds=SECONDS_SPOKEN + FOLLOW_UP.total_seconds() + 1)
    assert loop.hear(heard("another one")) is None


def test_unsure_recognition_asks_to_repeat_instead_of_guessing(loop, companion):
    loop.hear(heard("heart to heart"))
    assert loop.hear(heard("forget us", confidence=0.3)) == "Repeat"
    assert "say it again" in loop.speaker.said[-1]
    assert loop.hear(heard("what's tonight's question")) == "TonightQuestion"


def test_stop_interrupts_speech_and_says_nothing_more(loop):
    loop.hear(heard("heart to heart what's tonight's question"))
    loop.speaker.speaking = True
    said = len(loop.speaker.said)
    assert loop.hear(heard("stop")) == "Stop"
    assert loop.speaker.interrupted == 1
    assert len(loop.speaker.said) == said
    assert loop.hear(heard("another one")) is None  # the conversation is closed


def test_while_speaking_only_stop_is_heard_not_our_own_voice(loop):
    loop.hear(heard("heart to heart let's check in"))
    loop.speaker.speaking = True
    said = len(loop.speaker.said)
    # The microphone hears the reply being spoken: it must not be answered.
    assert loop.hear(heard("let's check in")) is None
    assert loop.hear(heard("four")) is None
    assert len(loop.speaker.said) == said and loop.speaker.interrupted == 0
    loop.speaker.speaking = False
    assert loop.hear(heard("four")) == "Rating"


def test_after_tonights_question_the_couples_own_talk_is_not_taken_as_a_command(loop):
    loop.hear(heard("heart to heart what's tonight's question"))
    assert "ask" in loop.speaker.said[-1].lower() or "here" in loop.speaker.said[-1].lower()
    said = len(loop.speaker.said)
    assert loop.hear(heard("well i think the one i come back to is my grandmother's")) is None
    assert loop.hear(heard("another one")) is None  # they need the wake phrase to ask again
    assert len(loop.speaker.said) == said
    assert loop.hear(heard("heart to heart another one")) == "AnotherQuestion"


def test_the_follow_up_window_starts_when_the_reply_has_been_said(loop, clock):
    loop.hear(heard("heart to heart let's check in"))
    clock.advance(seconds=SECONDS_SPOKEN + FOLLOW_UP.total_seconds() - 1)
    assert loop.hear(heard("four")) == "Rating"
    clock.advance(seconds=SECONDS_SPOKEN + FOLLOW_UP.total_seconds() + 1)
    assert loop.hear(heard("skip")) is None


def test_due_reminders_are_spoken_by_the_loop(companion, clock):
    from local_voice.scheduler import Scheduler

    speaker = Recording()
    loop = VoiceLoop(
        companion,
        HOME,
        speaker,
        clock,
        wake_required=False,  # type: ignore[arg-type]
        scheduler=Scheduler(companion.engine, HOME, clock),
    )
    loop.hear(heard("start twenty minutes of phone free time"))
    clock.advance(minutes=20)
    loop.tick()
    assert "phone-free time" in speaker.said[-1]


def test_questions_are_spoken_more_slowly_than_the_rest():
    synthesizer = Synthesizer()
    text = "What small moment from this week would you happily live again?"
    normal = synthesizer.render(Speech((Segment("text", text),)))
    slow = synthesizer.render(Speech((Segment("question", text),)))
    assert len(slow) > len(normal) * 1.1


def test_pauses_become_silence_of_the_right_length():
    synthesizer = Synthesizer()
    without = synthesizer.render(Speech((Segment("text", "Hello."), Segment("text", "Again."))))
    with_pause = synthesizer.render(
        Speech((Segment("text", "Hello."), Segment("pause", ms=600), Segment("text", "Again.")))
    )
    assert (len(with_pause) - len(without)) / 2 / SPEECH_RATE == pytest.approx(0.6, abs=0.01)


def test_speaker_writes_every_reply_to_the_output_file(tmp_path):
    synthesizer = Synthesizer()
    out = tmp_path / "out.wav"
    speaker = Speaker(synthesizer.render, SPEECH_RATE, out)
    speaker.say(Speech((Segment("text", "Goodnight, you two."),)))
    with wave.open(str(out)) as w:
        assert w.getframerate() == SPEECH_RATE and w.getnframes() > SPEECH_RATE // 2


def _wav(path):
    with wave.open(str(path)) as w:
        return w.readframes(w.getnframes()), w.getframerate()


def test_typed_conversation_speaks_to_a_wav_and_stores_the_check_in(tmp_path):
    db = tmp_path / "h.db"
    out = tmp_path / "spoken.wav"
    result = heart_to_heart(
        db,
        "listen",
        "--text",
        "--output",
        str(out),
        stdin="what's tonight's question\nlet's check in\nfour\nwe cooked together\n"
        "start twenty minutes of phone free time\n",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    pcm, rate = _wav(out)
    seconds = len(pcm) / 2 / rate
    assert 15 < seconds < 90
    assert -40 < rms_dbfs(pcm) < -3
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(select(check_ins.c.rating, check_ins.c.appreciation)).all()
        assert [tuple(r) for r in rows] == [(4, "we cooked together")]
        assert len(conn.execute(select(timers)).all()) == 1
    engine.dispose()


def test_spoken_audio_through_the_real_recogniser_gets_a_spoken_reply(tmp_path):
    """Real audio in, real Vosk (Korean model), real speech out. The Korean model cannot
    understand English, so the reply is the companion's "didn't catch that"; the test proves the
    audio path end to end, not English recognition."""
    wav = speak_to_wav("heart to heart what's tonight's question", tmp_path / "in.wav")
    out = tmp_path / "out.wav"
    result = heart_to_heart(
        tmp_path / "h.db",
        "listen",
        "--model",
        str(korean_model()),
        "--input",
        str(wav),
        "--no-wake",
        "--output",
        str(out),
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pcm, rate = _wav(out)
    assert len(pcm) / 2 / rate > 1.0
    assert rms_dbfs(pcm) > -40


def test_a_missing_model_is_one_clear_message(tmp_path):
    wav = speak_to_wav("hello", tmp_path / "in.wav")
    result = heart_to_heart(
        tmp_path / "h.db",
        "listen",
        "--model",
        str(tmp_path / "no-model"),
        "--input",
        str(wav),
        "--output",
        str(tmp_path / "o.wav"),
        timeout=60,
    )
    assert result.returncode == 3
    assert "--model" in result.stderr and "Traceback" not in result.stderr


def test_an_unreadable_input_file_is_a_clear_message(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    result = heart_to_heart(
        tmp_path / "h.db",
        "listen",
        "--model",
        str(korean_model()),
        "--input",
        str(bad),
        "--output",
        str(tmp_path / "o.wav"),
        timeout=120,
    )
    assert result.returncode == 4
    assert "not a readable WAV" in result.stderr and "Traceback" not in result.stderr


def test_loudness_helper_agrees_with_numpy():
    tone = (np.sin(np.linspace(0, 200, 16000)) * 0.5 * 32767).astype("<i2").tobytes()
    assert rms_dbfs(tone) == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.2)


@pytest.mark.skipif(english_model() is None, reason="no English Vosk model in ../shared/models")
def test_english_speech_starts_phone_free_time_end_to_end(tmp_path):
    """With an English model: spoken words in, the right intent, stored state, speech out."""
    wav = speak_to_wav(
        "heart to heart start twenty minutes of phone free time", tmp_path / "in.wav"
    )
    db, out = tmp_path / "h.db", tmp_path / "out.wav"
    result = heart_to_heart(
        db, "listen", "--model", str(english_model()), "--input", str(wav), "--output", str(out)
    )
    assert result.returncode == 0, result.stderr
    pcm, rate = _wav(out)
    assert len(pcm) / 2 / rate > 1.0 and rms_dbfs(pcm) > -40
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert len(conn.execute(select(timers)).all()) == 1
    engine.dispose()


def test_a_chosen_voice_is_used():
    speech = Speech((Segment("text", "Goodnight, you two. Sleep well."),))
    default = Synthesizer().render(speech)
    american = Synthesizer(Voice(voice="en-us")).render(speech)
    assert american != default and rms_dbfs(american) > -40


def test_a_voice_can_be_chosen_by_the_language_espeak_lists():
    speech = Speech((Segment("text", "Goodnight, you two. Sleep well."),))
    british = Synthesizer(Voice(voice="en-gb")).render(speech)
    american = Synthesizer(Voice(voice="en-us")).render(speech)
    assert british != american and rms_dbfs(british) > -40


def test_an_unknown_voice_is_one_clear_message(tmp_path):
    result = heart_to_heart(
        tmp_path / "h.db", "listen", "--text", "--voice", "nobody", stdin="help\n", timeout=60
    )
    assert result.returncode == 5
    assert "no voice called 'nobody'" in result.stderr and "Traceback" not in result.stderr
