"""Vosk speech recognition: model loading, a command grammar with free-form fallback, confidences,
and a quick end-of-turn detector. The only module that imports vosk."""

from __future__ import annotations

import json
import math
from array import array
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests
import vosk

from local_voice.model import DEFAULT_MODEL_NAME, HOW_TO_GET_ONE, ModelProblem

SAMPLE_RATE = 16_000
CONFIDENCE_THRESHOLD = 0.6
"""Below this mean word confidence the loop asks to repeat instead of guessing."""

vosk.SetLogLevel(-2)  # Kaldi's warnings (e.g. grammar words a model lacks) stay out of the room


def load_model(path: Path | None) -> vosk.Model:
    """Load a model folder, or fetch the default English model with Vosk's downloader."""
    if path is None:
        path = _default_model()
    try:
        return vosk.Model(str(path))
    except Exception as error:  # a corrupt or partial model folder
        raise ModelProblem(
            f"The speech model at {path} could not be loaded ({error}). {HOW_TO_GET_ONE}"
        ) from error


class _Finder:
    """Vosk's own lookup and downloader (progress bar included), without building a Model: a
    Model whose download fails prints a traceback from its destructor."""

    get_model_path = vosk.Model.get_model_path
    get_model_by_name = vosk.Model.get_model_by_name
    get_model_by_lang = vosk.Model.get_model_by_lang
    download_model = vosk.Model.download_model
    download_progress_hook = vosk.Model.download_progress_hook


def _default_model() -> Path:
    """The default English model: already downloaded to Vosk's folders, or fetched now."""
    try:
        return Path(_Finder().get_model_path(DEFAULT_MODEL_NAME, None))
    except SystemExit as error:  # Vosk's downloader exits when the model list lacks the name
        raise ModelProblem(HOW_TO_GET_ONE) from error
    except (OSError, requests.RequestException) as error:  # offline, or the site is down
        raise ModelProblem(
            f"This computer could not reach Vosk's model site to download "
            f"{DEFAULT_MODEL_NAME}. {HOW_TO_GET_ONE}"
        ) from error


@dataclass(frozen=True)
class Transcript:
    text: str
    confidence: float
    """Mean word confidence, 0 to 1 (1 when the recogniser gave no word detail)."""
    free_form: bool
    """True when the command grammar heard nothing it knew and free-form recognition was used."""

    @property
    def is_sure(self) -> bool:
        return self.confidence >= CONFIDENCE_THRESHOLD


@dataclass
class EndOfTurn:
    """Energy-based end-of-turn detection, quicker than Vosk's 0.5 s default trailing silence.

    People leave about 200 ms between turns; after `silence_ms` of quiet following speech, the
    turn is over and the recogniser is asked for its final result at once.
    """

    silence_ms: int = 250
    speech_rms: float = 500.0
    """16-bit sample RMS above which a frame counts as speech."""
    heard_speech: bool = False
    quiet_ms: float = 0.0

    def feed(self, pcm: bytes) -> bool:
        """True once speech has been heard and has been followed by enough silence."""
        samples = array("h", pcm[: len(pcm) - len(pcm) % 2])
        if not samples:
            return False
        rms = math.sqrt(sum(s * s for s in samples) / len(samples))
        duration_ms = 1000 * len(samples) / SAMPLE_RATE
        if rms >= self.speech_rms:
            self.heard_speech = True
            self.quiet_ms = 0.0
            return False
        if self.heard_speech:
            self.quiet_ms += duration_ms
            return self.quiet_ms >= self.silence_ms
        return False

    def reset(self) -> None:
        self.heard_speech = False
        self.quiet_ms = 0.0


class Recognizer:
    """Streams 16 kHz mono 16-bit audio; yields a Transcript at each end of turn.

    With a grammar, a free-form recogniser listens to the same audio on a worker thread, so when
    the command grammar hears only "[unk]" the free-form result is ready at once instead of the
    turn being decoded again after the speaker has stopped.
    """

    def __init__(self, model: vosk.Model, grammar: str | None, silence_ms: int = 250) -> None:
        self.model = model
        self.grammar = grammar
        self.end = EndOfTurn(silence_ms=silence_ms)
        self.commands = self._new(grammar)
        self.free: vosk.KaldiRecognizer | None = None
        self.worker: ThreadPoolExecutor | None = None
        if grammar is not None:
            self.free = self._new(None)
            self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="free-form")

    def _new(self, grammar: str | None) -> vosk.KaldiRecognizer:
        if grammar is None:
            recognizer = vosk.KaldiRecognizer(self.model, SAMPLE_RATE)
        else:
            recognizer = vosk.KaldiRecognizer(self.model, SAMPLE_RATE, grammar)
        recognizer.SetWords(True)
        return recognizer

    def feed(self, pcm: bytes) -> Transcript | None:
        """Feed a chunk (e.g. 20 ms); a Transcript when the speaker has finished a turn."""
        vosk_done = self.commands.AcceptWaveform(pcm)
        if self.worker is not None and self.free is not None:
            self.worker.submit(self.free.AcceptWaveform, pcm)  # one worker: kept in order
        if vosk_done or self.end.feed(pcm):
            return self._finish()
        return None

    def reset(self) -> None:
        """Forget the turn in progress (push-to-talk: only what follows Enter counts)."""
        self.commands.Reset()
        self.end.reset()
        if self.worker is not None and self.free is not None:
            self.worker.submit(self.free.Reset)

    def flush(self) -> Transcript | None:
        """End of input: whatever was said last."""
        return self._finish() if self.end.heard_speech else None

    def close(self) -> None:
        if self.worker is not None:
            self.worker.shutdown(wait=True)

    def _finish(self) -> Transcript | None:
        self.end.reset()
        heard = _parse(self.commands.FinalResult())
        if self.worker is None or self.free is None:
            return heard if heard is not None and "[unk]" not in heard.text.split() else None
        if heard is not None and "[unk]" not in heard.text.split():
            self.worker.submit(self.free.Reset)
            return heard
        found = _parse(self.worker.submit(self.free.FinalResult).result())
        return Transcript(found.text, found.confidence, free_form=True) if found else None


def _parse(result: str) -> Transcript | None:
    data = json.loads(result)
    text = str(data.get("text", "")).strip()
    words = data.get("result") or []
    confidences = [float(w.get("conf", 1.0)) for w in words if isinstance(w, dict)]
    confidence = sum(confidences) / len(confidences) if confidences else 1.0
    return Transcript(text, confidence, free_form=False) if text else None


def vocabulary_file(model_path: Path) -> Path | None:
    """The model's word list, when it ships one (graph/words.txt), for checking the grammar."""
    for candidate in (model_path / "graph" / "words.txt", model_path / "words.txt"):
        if candidate.is_file():
            return candidate
    return None


def missing_words(model_path: Path, words: set[str]) -> set[str]:
    found = vocabulary_file(model_path)
    if found is None:
        raise FileNotFoundError("the model has no words.txt")
    known = {line.split()[0] for line in found.read_text(encoding="utf-8").splitlines() if line}
    return {w for w in words if w not in known}
