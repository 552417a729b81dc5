"""The hands-free conversation: wake phrase, follow-ups while a conversation is open, spoken
reminders, and "stop" cutting speech short. Audio and text arrive through small runner functions."""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from intents.companion import Companion, local_country
from intents.normalize import normalize
from intents.reply import Speech
from intents.store.database import StoreBusy
from local_voice.grammar import WAKE_PHRASE
from local_voice.recognizer import Transcript
from local_voice.scheduler import Scheduler
from local_voice.wav import chunks, write_pcm16

log = logging.getLogger(__name__)
FOLLOW_UP = timedelta(seconds=12)
"""How long the loop keeps listening without the wake phrase after a reply that asked something."""
STOP_WORDS = {"stop", "quiet", "be quiet", "enough", "shut up"}


class Speaker:
    """Turns speech into sound: through the speakers, into a WAV file, or both."""

    def __init__(
        self,
        render: Callable[[Speech], bytes],
        rate: int,
        output: Path | None = None,
        player: object | None = None,
    ) -> None:
        self.render = render
        self.rate = rate
        self.output = output
        self.player = player
        self.recorded = bytearray()
        self.reply_ready_at: list[float] = []

    def say(self, speech: Speech) -> float:
        """Start saying `speech` (playback does not block); returns its length in seconds."""
        pcm = self.render(speech)
        self.reply_ready_at.append(time.perf_counter())
        if self.output is not None:
            self.recorded += pcm + bytes(2 * self.rate // 2)  # half a second between replies
            write_pcm16(self.output, bytes(self.recorded), self.rate)
        if self.player is not None:
            self.player.play(pcm, self.rate)  # type: ignore[attr-defined]
        return len(pcm) / 2 / self.rate

    @property
    def speaking(self) -> bool:
        """True while the speakers are still playing a reply."""
        return self.player is not None and bool(self.player.speaking)  # type: ignore[attr-defined]

    def interrupt(self) -> None:
        if self.player is not None:
            self.player.stop()  # type: ignore[attr-defined]


@dataclass
class VoiceLoop:
    companion: Companion
    household: str
    speaker: Speaker
    clock: Callable[[], datetime]
    wake_required: bool = True
    scheduler: Scheduler | None = None
    rng: random.Random = field(default_factory=random.Random)
    open_until: datetime | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    window: str = ""
    """Names the open conversation: a question asked in one window is not answered in another."""
    country: str | None = field(default_factory=local_country)

    @property
    def listening(self) -> bool:
        """True while a conversation is open: no wake phrase needed."""
        return not self.wake_required or (
            self.open_until is not None and self.clock() <= self.open_until
        )

    def hear(self, transcript: Transcript) -> str | None:
        """Act on one recognised turn; returns the intent answered (None if ignored)."""
        text = normalize(transcript.text)
        if not self.window or not self.listening:
            self.window = f"voice:{uuid.uuid4()}"
        if self.speaker.speaking:
            # The microphone also hears our own voice: while a reply is playing, only "stop"
            # counts, and it means silence, not another spoken goodbye.
            if text not in STOP_WORDS and WAKE_PHRASE + " stop" not in text:
                return None
            self.speaker.interrupt()
            self.open_until = None
            return "Stop"
        if not self.listening:
            if WAKE_PHRASE not in text:
                return None
            text = text.split(WAKE_PHRASE, 1)[1].strip()
            self.open_until = self.clock() + FOLLOW_UP
            if not text:
                self._open_after(self._say("voice_listening"))
                return "Wake"
        if not transcript.is_sure:
            self._open_after(self._say("voice_repeat"))
            return "Repeat"
        request = self.companion.matcher.match(text)
        try:
            with self.lock:
                reply = self.companion.reply_to(
                    self.household, request, session=self.window, country=self.country
                )
        except StoreBusy:
            self._say("voice_busy")
            return None
        seconds = self.speaker.say(reply.speech)
        if reply.expects_answer:
            self._open_after(seconds)
        else:
            self.open_until = None
        return request.name

    def tick(self) -> None:
        """Speak whatever reminders or timers are due."""
        if self.scheduler is None:
            return
        with self.lock:
            due = self.scheduler.due()
        for announcement in due:
            self.speaker.say(
                self.companion.conversation.announcement(announcement.key, self.household)
            )

    def _say(self, key: str) -> float:
        return self.speaker.say(self.companion.conversation.responses.render(key, self.rng))

    def _open_after(self, speaking_s: float | None) -> None:
        """Keep listening without the wake phrase until FOLLOW_UP after the reply has been said."""
        self.open_until = self.clock() + timedelta(seconds=speaking_s or 0) + FOLLOW_UP


def run_text(loop: VoiceLoop, lines: TextIO) -> int:
    """Typed lines stand in for speech (machines without a microphone, and tests)."""
    for line in lines:
        if line.strip():
            loop.tick()
            loop.hear(Transcript(line.strip(), 1.0, free_form=False))
    loop.tick()
    return 0


def run_audio(loop: VoiceLoop, recognizer: object, blocks: Iterable[bytes]) -> int:
    """Feed audio blocks to the recogniser; act on each turn; check the schedule every second."""
    fed_ms = 0
    for block in blocks:
        transcript = recognizer.feed(block)  # type: ignore[attr-defined]
        if transcript is not None:
            loop.hear(transcript)
        fed_ms += len(block) * 1000 // (2 * 16_000)
        if fed_ms >= 1000:
            fed_ms = 0
            loop.tick()
    last = recognizer.flush()  # type: ignore[attr-defined]
    if last is not None:
        loop.hear(last)
    loop.tick()
    return 0


def file_blocks(pcm: bytes) -> list[bytes]:
    return chunks(pcm)
