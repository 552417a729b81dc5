"""Speech with pyttsx3 (espeak-ng on Linux): slower questions, real pauses. Only here is pyttsx3."""

from __future__ import annotations

import atexit
import contextlib
import io
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from intents.reply import Speech
from local_voice.wav import read_pcm16

SPEECH_RATE = 22_050
TALK_WPM = 165
"""espeak's default is 200 words a minute, which people find rushed."""
QUESTION_WPM = 135
RENDER_ATTEMPTS = 3
WAV_HEADER_BYTES = 44


_DEFAULT_VOICE: dict[str, str] = {}
"""The engine's own voice, remembered before any Synthesizer changes it."""


class SpeechProblem(Exception):
    """Text to speech failed; the message says why."""


@dataclass
class Voice:
    rate: int = TALK_WPM
    question_rate: int = QUESTION_WPM
    voice: str | None = None


@cache
def _scratch_folder() -> Path:
    """One folder per process for rendered speech. pyttsx3 shares one engine per process, and its
    espeak driver may still write to a file after a Synthesizer is gone, so the folder outlives
    every Synthesizer and goes when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="heart-to-heart-speech-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


class Synthesizer:
    """Renders a Speech to 22.05 kHz mono 16-bit PCM."""

    def __init__(self, voice: Voice | None = None) -> None:
        self.voice = voice or Voice()
        try:
            import pyttsx3

            self.engine = pyttsx3.init()  # the process's one engine, shared by every Synthesizer
            voices = {v.id: v for v in self.engine.getProperty("voices")}
            self._default_voice = _DEFAULT_VOICE.setdefault(
                "id", str(self.engine.getProperty("voice"))
            )
        except Exception as error:  # no espeak-ng, no driver
            raise SpeechProblem(
                f"Text to speech is unavailable ({error}). On Debian: apt-get install espeak-ng."
            ) from error
        self.voice_id = (
            _voice_id(self.voice.voice, voices) if self.voice.voice else self._default_voice
        )
        self._use_settings()

    def _use_settings(self) -> None:
        """This synthesizer's voice and rate on the shared engine (another may change them)."""
        if (self.engine.getProperty("voice"), self.engine.getProperty("rate")) == (
            self.voice_id,
            self.voice.rate,
        ):
            return
        self.engine.setProperty("voice", self.voice_id)
        self.engine.setProperty("rate", self.voice.rate)
        # The espeak driver applies a rate at its next run; a run with nothing queued never
        # finishes, so a throwaway word is rendered to apply it.
        warm_up = _scratch_folder() / f"{uuid.uuid4().hex}.wav"
        with contextlib.redirect_stdout(io.StringIO()):
            self.engine.save_to_file(".", str(warm_up))
            self.engine.runAndWait()
        warm_up.unlink(missing_ok=True)

    def render(self, speech: Speech) -> bytes:
        self._use_settings()
        parts: list[bytes] = []
        for segment in speech.segments:
            if segment.kind == "pause":
                parts.append(bytes(2 * (SPEECH_RATE * segment.ms // 1000)))
            elif segment.text.strip():
                slower = self.voice.question_rate / self.voice.rate
                parts.append(self._say(segment.text, slower if segment.kind == "question" else 1))
        return b"".join(parts)

    def _say(self, text: str, tempo: float) -> bytes:
        path = _scratch_folder() / f"{uuid.uuid4().hex}.wav"
        # Right after a change of voice, the espeak driver now and then writes an utterance's
        # audio to the file of the one before: an empty file for real text is rendered again.
        for _attempt in range(RENDER_ATTEMPTS):
            try:
                with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to ..."
                    self.engine.save_to_file(text, str(path))
                    self.engine.runAndWait()
            except Exception as error:
                raise SpeechProblem(f"Text to speech failed ({error}).") from error
            if path.exists() and path.stat().st_size > WAV_HEADER_BYTES:
                break
        else:
            raise SpeechProblem("Text to speech produced no audio.")
        if tempo != 1:
            # pyttsx3's espeak driver cannot change rate between files it saves, so questions
            # are slowed afterwards, keeping their pitch (sox's tempo effect).
            slow = path.with_name(f"{path.stem}-slow.wav")
            done = subprocess.run(
                ["sox", str(path), str(slow), "tempo", "-s", f"{tempo:.3f}"],
                capture_output=True,
                check=False,
            )
            if done.returncode != 0:
                raise SpeechProblem(f"sox could not slow the question down: {done.stderr[-200:]}")
            path.unlink(missing_ok=True)
            path = slow
        try:
            return read_pcm16(path, SPEECH_RATE)
        finally:
            path.unlink(missing_ok=True)


def _language(code: object) -> str:
    """espeak's language code, which pyttsx3 may hand over as bytes with a priority byte first."""
    text = code.decode("latin-1") if isinstance(code, bytes) else str(code)
    return text.lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t").strip().lower()


def _voice_id(wanted: str, voices: dict[str, object]) -> str:
    """A voice by its id ("gmw/en-us"), its short id ("en-us"), its name ("English (America)") or
    its language ("en-gb")."""
    lowered = wanted.lower()
    for voice_id, voice in voices.items():
        names = {voice_id.lower(), voice_id.rsplit("/", 1)[-1].lower()}
        if lowered in names or lowered == str(getattr(voice, "name", "")).lower():
            return voice_id
    for voice_id, voice in voices.items():  # a language as `espeak-ng --voices` lists it: "en-gb"
        if lowered in {_language(code) for code in getattr(voice, "languages", None) or []}:
            return voice_id
    english = sorted(v.rsplit("/", 1)[-1] for v in voices if v.rsplit("/", 1)[-1].startswith("en"))
    raise SpeechProblem(
        f"There is no voice called {wanted!r}. English voices here: {', '.join(english[:12])} "
        "(all of them: espeak-ng --voices)."
    )


def loudness_dbfs(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768
    rms = float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0
    return 20 * np.log10(rms) if rms > 0 else float("-inf")
