"""`heart-to-heart doctor`: one line per check, PASS, FAIL or SKIP, with what to do.

The core's checks (config, time zone, database, reminders) come from intents.doctor; the ones
here need the voice parts: the speech model, speech output, the microphone and the speakers.
A missing microphone or speakers is a FAIL (the companion cannot hear or be heard), and the
other checks still run. The exit code is 1 when anything FAILs, else 0; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import platformdirs

from intents.companion import local_timezone
from intents.conversation import utc_now
from intents.doctor import (
    CheckResult,
    check_config,
    check_database,
    check_reminders,
    check_timezone,
    guarded,
)
from intents.settings import Settings, SettingsProblem, config_path, load, resolve

RECORD_S = 3.0
SILENT_DBFS = -90.0
"""Below this the microphone sends digital silence: muted, or the wrong device."""
CHIME_RATE = 22_050
RENDERED_SENTENCE = "Heart to Heart can speak on this computer."
"""Rendered to a file and never played, to see that speech output works."""
MODEL_FIX = (
    "`./dev model` (in a checkout) fetches the English model; then set model = PATH in the "
    "config file, or pass --model PATH (a Vosk model folder, .zip or .aar). Online, "
    "`heart-to-heart listen` downloads the small English model by itself"
)


def register_doctor(commands: Any) -> None:
    """Entry point (heart_to_heart.commands): `heart-to-heart doctor`."""
    doctor = commands.add_parser("doctor", help="check the microphone, speakers, model, database")
    doctor.add_argument("--json", action="store_true", help="the results as JSON")
    doctor.add_argument("--model", help="the Vosk model to check (default: as `listen` finds it)")
    doctor.add_argument("--household", help="whose reminders to list (default: home)")
    doctor.add_argument(
        "--seconds", type=float, default=RECORD_S, help="how long to record from the microphone"
    )
    doctor.set_defaults(run=doctor_command)


def doctor_command(args: argparse.Namespace) -> int:
    results: list[CheckResult] = []
    for result in run_checks(args):
        results.append(result)
        if not args.json:
            print(result.line(), flush=True)
    if args.json:
        print(json.dumps([result.to_data() for result in results], indent=2))
    return 1 if any(result.status == "FAIL" for result in results) else 0


def run_checks(args: argparse.Namespace) -> Iterator[CheckResult]:
    """Every check in turn, each guarded; later checks use what earlier ones found."""
    flags = {"database": args.db, "model": args.model, "household": args.household}
    problem: SettingsProblem | None = None
    try:
        settings: Settings = load(flags, args.config)
    except SettingsProblem as error:
        problem = error
        settings = resolve(None, {}, {})
    path = str(config_path(args.config, os.environ))
    yield guarded("config", lambda: check_config(settings, path, problem))
    now = utc_now()
    yield guarded("time zone", lambda: check_timezone(settings.timezone or local_timezone(), now))
    database = check_database(settings.database, now)
    yield database.result
    try:
        yield guarded(
            "reminders",
            lambda: check_reminders(database.engine, f"local:{settings.household}", now),
        )
    finally:
        if database.engine is not None:
            database.engine.dispose()
    yield guarded("speech model", lambda: check_speech_model(settings.model))
    yield guarded("speech output", lambda: check_speech_output(settings))
    yield guarded("microphone", lambda: check_microphone(args.seconds))
    yield guarded("speakers", check_speakers)


def check_speech_model(explicit: str | None) -> CheckResult:
    """The model `listen` would use loads, and every word of the grammar is in its vocabulary."""
    name = "speech model"
    from intents.catalog import Catalog
    from local_voice.grammar import UNKNOWN, grammar_json, vocabulary
    from local_voice.model import ModelProblem, choose_model
    from local_voice.recognizer import downloaded_default_model, load_model, words_missing_from

    try:
        path = choose_model(explicit) or downloaded_default_model()
    except ModelProblem as problem:
        return CheckResult(name, "FAIL", str(problem).split(". ")[0], MODEL_FIX)
    if path is None:
        found = fetched_by_dev()
        fix = f'set model = "{found}" in the config file' if found else MODEL_FIX
        return CheckResult(name, "FAIL", "no English speech model on this computer", fix)
    started = time.monotonic()
    try:
        model = load_model(path)
    except ModelProblem as problem:
        return CheckResult(name, "FAIL", f"{path} does not load ({problem.__cause__})", MODEL_FIX)
    loaded = f"{path} loads ({time.monotonic() - started:.1f} s)"
    catalog = Catalog.load()
    words = {*vocabulary(catalog), UNKNOWN}
    missing = words_missing_from(model, grammar_json(catalog))
    if missing:
        examples = ", ".join(sorted(missing)[:5])
        return CheckResult(
            name,
            "FAIL",
            f"{loaded}, but {len(missing)} of {len(words)} grammar words are not in its "
            f"vocabulary ({examples}, ...): it cannot hear them",
            f"use an English model: {MODEL_FIX}",
        )
    return CheckResult(name, "PASS", f"{loaded}; all {len(words)} grammar words are in it")


def fetched_by_dev() -> Path | None:
    """An English model `./dev model` unpacked into the cache, if there is one."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or platformdirs.user_cache_dir())
    found = sorted((cache / "heart-to-heart" / "models").glob("vosk-model-en-*/am/final.mdl"))
    return found[-1].parent.parent if found else None


def check_speech_output(settings: Settings) -> CheckResult:
    """A sentence rendered with the configured voice and rates to a WAV file that has sound."""
    name = "speech output"
    from intents.reply import Segment, Speech
    from local_voice.speech_output import (
        SPEECH_RATE,
        SpeechProblem,
        Synthesizer,
        Voice,
        loudness_dbfs,
    )
    from local_voice.wav import write_pcm16

    voice = Voice(settings.rate, settings.question_rate, settings.voice)
    try:
        pcm = Synthesizer(voice).render(Speech((Segment("text", RENDERED_SENTENCE),)))
    except SpeechProblem as problem:
        return CheckResult(name, "FAIL", str(problem), "apt-get install espeak-ng; check `voice`")
    with tempfile.TemporaryDirectory(prefix="heart-to-heart-doctor-") as folder:
        path = Path(folder) / "sentence.wav"
        write_pcm16(path, pcm, SPEECH_RATE)
        with wave.open(str(path), "rb") as rendered:
            frames, rate = rendered.getnframes(), rendered.getframerate()
    level = loudness_dbfs(pcm)
    if frames == 0 or level == float("-inf"):
        return CheckResult(name, "FAIL", "the rendered sentence is silent", "check `voice`")
    who = settings.voice or "the default voice"
    return CheckResult(
        name,
        "PASS",
        f"{frames / rate:.1f} s of speech rendered ({who}, {settings.rate} words a minute, "
        f"{level:.0f} dBFS)",
    )


def check_microphone(seconds: float) -> CheckResult:
    """The input devices; a recording from the default one, and how loud it was."""
    name = "microphone"
    from local_voice.audio_device import MIC_RATE, AudioDeviceProblem, Microphone, device_names
    from local_voice.speech_output import loudness_dbfs

    try:
        names = device_names("input")
    except AudioDeviceProblem as problem:
        return CheckResult(
            name, "FAIL", str(problem).split(" (")[0], "apt-get install libportaudio2"
        )
    if not names:
        return CheckResult(
            name,
            "FAIL",
            "no microphone found",
            "plug in a USB microphone (a Raspberry Pi has none built in); `arecord -l` lists "
            "what the system sees",
        )
    listed = ", ".join(names[:3])
    if seconds <= 0:
        return CheckResult(name, "SKIP", f"{listed}: not recorded (--seconds 0)")
    try:
        pcm = record(Microphone, seconds, MIC_RATE)
    except AudioDeviceProblem as problem:
        return CheckResult(name, "FAIL", f"{len(names)} found, but {problem}")
    level = loudness_dbfs(pcm)
    if level < SILENT_DBFS:
        return CheckResult(
            name,
            "FAIL",
            f"{listed}: {seconds:.0f} s recorded, only silence",
            "unmute it and turn up its level (alsamixer), or choose another default device",
        )
    return CheckResult(name, "PASS", f"{listed}: {seconds:.0f} s recorded at {level:.0f} dBFS")


def record(open_microphone: Callable[[], Any], seconds: float, rate: int) -> bytes:
    """`seconds` of audio from the microphone (less if it stops sending)."""
    microphone = open_microphone()
    wanted = int(seconds * rate * 2)
    heard = bytearray()
    deadline = time.monotonic() + seconds + 2
    try:
        while len(heard) < wanted and time.monotonic() < deadline:
            block = microphone.read(timeout=0.5)
            if block:
                heard += block
    finally:
        microphone.close()
    return bytes(heard[:wanted])


def check_speakers() -> CheckResult:
    """The output devices; a short chime played on the default one."""
    name = "speakers"
    from local_voice.audio_device import AudioDeviceProblem, Player, device_names

    try:
        names = device_names("output")
    except AudioDeviceProblem as problem:
        return CheckResult(
            name, "FAIL", str(problem).split(" (")[0], "apt-get install libportaudio2"
        )
    if not names:
        return CheckResult(
            name,
            "FAIL",
            "no speakers found",
            "plug in speakers or headphones; `aplay -l` lists what the system sees",
        )
    player = Player()
    try:
        player.play(chime(CHIME_RATE), CHIME_RATE)
    except AudioDeviceProblem as problem:
        return CheckResult(name, "FAIL", f"{len(names)} found, but {problem}")
    deadline = time.monotonic() + 3
    while player.speaking and time.monotonic() < deadline:
        time.sleep(0.05)
    return CheckResult(
        name, "PASS", f"a chime played on {names[0]} (heard nothing? check the volume: alsamixer)"
    )


def chime(rate: int) -> bytes:
    """Two soft rising notes, 0.4 s in all, as 16-bit mono PCM."""
    import numpy as np

    notes = []
    for frequency in (660.0, 880.0):
        t = np.arange(int(0.2 * rate)) / rate
        envelope = np.minimum(1, np.minimum(t, t[::-1]) / 0.02)  # no clicks at either end
        notes.append(0.3 * envelope * np.sin(2 * np.pi * frequency * t))
    return (np.concatenate(notes) * 32767).astype("<i2").tobytes()
