"""WAV files in and out: any rate and width in, 16 kHz mono 16-bit for Vosk."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

VOSK_RATE = 16_000


class AudioFileProblem(Exception):
    """The file can't be read as audio; the message says why."""


def read_pcm16(path: Path, rate: int = VOSK_RATE) -> bytes:
    """The file's audio as mono 16-bit PCM at `rate`, resampled if needed."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, source_rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (OSError, wave.Error, EOFError) as error:
        raise AudioFileProblem(f"{path} is not a readable WAV file ({error})") from error
    samples = _to_float(frames, width).reshape(-1, channels).mean(axis=1)
    return to_pcm16(resample(samples, source_rate, rate))


def _to_float(frames: bytes, width: int) -> np.ndarray:
    if width == 1:
        return (np.frombuffer(frames, np.uint8).astype(np.float32) - 128) / 128
    if width == 2:
        return np.frombuffer(frames, "<i2").astype(np.float32) / 32768
    if width == 4:
        return np.frombuffer(frames, "<i4").astype(np.float32) / 2**31
    raise AudioFileProblem(f"{width * 8}-bit WAV files are not supported; use 16-bit PCM")


def resample(samples: np.ndarray, source: int, target: int) -> np.ndarray:
    if source == target or len(samples) == 0:
        return samples
    count = int(round(len(samples) * target / source))
    positions = np.linspace(0, len(samples) - 1, count)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()


def write_pcm16(path: Path, pcm: bytes, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)


def chunks(pcm: bytes, rate: int = VOSK_RATE, ms: int = 20) -> list[bytes]:
    size = rate * 2 * ms // 1000
    return [pcm[i : i + size] for i in range(0, len(pcm), size)]
