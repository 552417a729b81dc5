"""Speech with pyttsx3 (espeak-ng on Linux): slower questions, real pauses. Only here is pyttsx3."""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from intents.reply import Speech
from local_voice.wav import read_pcm16

SPEECH_RATE = 22_050
TALK_WPM = 165
"""espeak's default is 200 words a minute, which people find rushed."""
QUESTION_WPM = 135


class SpeechProblem(Exception):
    """Text to speech failed; the message says why."""


@dataclass
class Voice:
    rate: int = TALK_WPM
    question_rate: int = QUESTION_WPM
    voice: str | None = None


class Synthesizer:
    """Renders a Speech to 22.05 kHz mono 16-bit PCM."""

    def __init__(self, voice: Voice | None = None) -> None:
        self.voice = voice or Voice()
        try:
            import pyttsx3

            self.engine = pyttsx3.init()
            if self.voice.voice:
                self.engine.setProperty("voice", self.voice.voice)
        except Exception as error:  # no espeak-ng, no driver
            raise SpeechProblem(
                f"Text to speech is unavailable ({error}). On Debian: apt-get install espeak-ng."
            ) from error

    def render(self, speech: Speech) -> bytes:
        parts: list[bytes] = []
        with tempfile.TemporaryDirectory() as folder:
            for index, segment in enumerate(speech.segments):
                if segment.kind == "pause":
                    parts.append(bytes(2 * (SPEECH_RATE * segment.ms // 1000)))
                elif segment.text.strip():
                    slow = segment.kind == "question"
                    rate = self.voice.question_rate if slow else self.voice.rate
                    parts.append(self._say(segment.text, rate, Path(folder) / f"{index}.wav"))
        return b"".join(parts)

    def _say(self, text: str, rate: int, path: Path) -> bytes:
        # One file per runAndWait: pyttsx3's espeak driver keeps only the last of several.
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to ..."
                self.engine.setProperty("rate", rate)
                self.engine.save_to_file(text, str(path))
                self.engine.runAndWait()
        except Exception as error:
            raise SpeechProblem(f"Text to speech failed ({error}).") from error
        if not path.exists():
            raise SpeechProblem("Text to speech produced no audio.")
        return read_pcm16(path, SPEECH_RATE)


def loudness_dbfs(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768
    rms = float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0
    return 20 * np.log10(rms) if rms > 0 else float("-inf")
