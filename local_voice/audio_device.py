"""The microphone and the speakers, through sounddevice (PortAudio). The only module using it."""

from __future__ import annotations

import contextlib
import queue
from typing import Any

import numpy as np

MIC_RATE = 16_000
BLOCK = 320  # 20 ms


class AudioDeviceProblem(Exception):
    """No microphone, a busy device, no speakers: the message says what to try."""


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as error:  # libportaudio2 missing
        raise AudioDeviceProblem(
            "PortAudio is not installed (Debian: apt-get install libportaudio2). Use --input "
            "FILE.wav or --text instead of a microphone, and --output FILE.wav for speech."
        ) from error
    return sounddevice


def device_names(kind: str) -> list[str]:
    """The input ("input") or output ("output") devices PortAudio sees, by name."""
    sd = _sounddevice()
    try:
        found = sd.query_devices()
    except Exception as error:  # PortAudioError: no audio system at all
        raise AudioDeviceProblem(f"The sound devices could not be listed ({error}).") from error
    return [str(device["name"]) for device in found if device[f"max_{kind}_channels"] > 0]


class Microphone:
    """16 kHz mono 16-bit audio in 20 ms blocks."""

    def __init__(self) -> None:
        self.blocks: queue.Queue[bytes] = queue.Queue(maxsize=500)
        sd = _sounddevice()
        try:
            self.stream = sd.RawInputStream(
                samplerate=MIC_RATE,
                blocksize=BLOCK,
                channels=1,
                dtype="int16",
                callback=self._callback,
            )
            self.stream.start()
        except Exception as error:  # PortAudioError: unplugged, busy, no such device
            raise AudioDeviceProblem(
                f"The microphone could not be opened ({error}). Check it is plugged in and not "
                "used by another program, or use --input FILE.wav or --text."
            ) from error

    def _callback(self, data: Any, frames: int, time: Any, status: Any) -> None:
        # A stalled consumer drops audio rather than letting the queue grow without bound.
        with contextlib.suppress(queue.Full):
            self.blocks.put_nowait(bytes(data))

    def read(self, timeout: float = 1.0) -> bytes | None:
        """The next block, or None after `timeout` without audio."""
        try:
            return self.blocks.get(timeout=timeout)
        except queue.Empty:
            if not self.stream.active:  # PortAudio stopped the stream: unplugged, or taken away
                raise AudioDeviceProblem(
                    "The microphone stopped sending sound (unplugged?). Plug it back in and "
                    "start again, or use --input FILE.wav or --text."
                ) from None
            return None

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already gone with an unplugged device
            self.stream.stop()
            self.stream.close()


class Player:
    """Plays speech without blocking, so a spoken "stop" can cut it short."""

    def __init__(self) -> None:
        self.sd = _sounddevice()

    def play(self, pcm: bytes, rate: int) -> None:
        try:
            self.sd.play(np.frombuffer(pcm, "<i2"), rate)
        except Exception as error:
            raise AudioDeviceProblem(f"The speakers could not be used ({error}).") from error

    @property
    def speaking(self) -> bool:
        try:
            return bool(self.sd.get_stream().active)
        except RuntimeError:  # nothing has been played yet
            return False

    def stop(self) -> None:
        self.sd.stop()
