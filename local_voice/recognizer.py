"""Vosk speech recognition: model loading, a command grammar with free-form fallback, confidences,
and a quick end-of-turn detector. The only module that imports vosk."""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import requests
import vosk
import webrtcvad

from local_voice.model import DEFAULT_MODEL_NAME, HOW_TO_GET_ONE, ModelProblem

SAMPLE_RATE = 16_000
FRAME_MS = 20
FRAME_BYTES = SAMPLE_RATE * 2 * FRAME_MS // 1000
MIN_FLOOR = 30.0
"""The quietest a room is taken to be (16-bit RMS): digital silence is not a noise floor."""
FLOOR_FRAMES = 150
"""Three seconds of 20 ms frames from which the room's noise floor is taken."""
FLOOR_PERCENTILE = 20
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


def downloaded_default_model() -> Path | None:
    """The default English model if Vosk's downloader has already put it in one of its folders
    (nothing is fetched)."""
    for folder in vosk.MODEL_DIRS:
        if folder is not None and (Path(folder) / DEFAULT_MODEL_NAME / "am").is_dir():
            return Path(folder) / DEFAULT_MODEL_NAME
    return None


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
    """End of a turn from WebRTC's voice activity detector, quicker than Vosk's 0.5 s rule.

    A fixed energy threshold breaks in a room with a television: the noise never counts as quiet.
    Here a 20 ms frame is voice when WebRTC's VAD says so *and* it stands `margin_db` above the
    room's noise floor: the quieter frames of the last three seconds (WebRTC's VAD alone takes
    loud fan or traffic noise for voice, so that noise would never end a turn). Speech starts after
    `onset_ms` of voice (a click or a cough is not a turn); after `silence_ms` without voice, the
    turn is over.
    """

    silence_ms: int = 250
    aggressiveness: int = 2
    """0 (lenient) to 3 (strict about what is voice)."""
    onset_ms: int = 60
    margin_db: float = 9.0
    heard_speech: bool = False
    quiet_ms: int = 0
    voiced_ms: int = 0
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=FLOOR_FRAMES))
    """RMS of the last frames, whose quieter end is the room's noise floor."""
    _pending: bytes = b""
    _vad: webrtcvad.Vad | None = None

    def feed(self, pcm: bytes) -> bool:
        """True once speech has been heard and has been followed by enough silence."""
        if self._vad is None:
            self._vad = webrtcvad.Vad(self.aggressiveness)
        self._pending += pcm
        ended = False
        while len(self._pending) >= FRAME_BYTES:
            frame, self._pending = self._pending[:FRAME_BYTES], self._pending[FRAME_BYTES:]
            if self._is_voice(frame):
                self.voiced_ms += FRAME_MS
                if self.voiced_ms >= self.onset_ms:
                    self.heard_speech = True
                self.quiet_ms = 0
                continue
            self.voiced_ms = 0
            if self.heard_speech:
                self.quiet_ms += FRAME_MS
                ended = ended or self.quiet_ms >= self.silence_ms
        return ended

    def _is_voice(self, frame: bytes) -> bool:
        samples = np.frombuffer(frame, "<i2").astype(np.float64)
        rms = float(np.sqrt(np.mean(samples * samples)))
        self.recent.append(rms)
        floor = max(float(np.percentile(self.recent, FLOOR_PERCENTILE)), MIN_FLOOR)
        loud_enough = rms >= floor * 10 ** (self.margin_db / 20)
        return loud_enough and bool(self._vad and self._vad.is_speech(frame, SAMPLE_RATE))

    def reset(self) -> None:
        """A new turn; the room's noise floor is kept."""
        self.heard_speech = False
        self.quiet_ms = 0
        self.voiced_ms = 0
        self._pending = b""


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


_MISSING_WORD = re.compile(r"Ignoring word missing in vocabulary: '(.*)'")


def words_missing_from(model: vosk.Model, grammar: str) -> set[str]:
    """The grammar's words that the model's vocabulary lacks, as Vosk reports them while it builds
    the grammar: small models ship no words.txt, and this is the grammar `listen` really uses.
    Kaldi writes its log to the process's stderr, so that is caught at the descriptor."""
    sys.stderr.flush()
    with tempfile.TemporaryFile() as log:
        saved = os.dup(2)
        vosk.SetLogLevel(0)
        os.dup2(log.fileno(), 2)
        try:
            vosk.KaldiRecognizer(model, SAMPLE_RATE, grammar)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            vosk.SetLogLevel(-2)
        log.seek(0)
        said = log.read().decode("utf-8", "replace")
    return set(_MISSING_WORD.findall(said))


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
