"""`heart-to-heart listen`: the offline voice loop."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from intents.settings import Settings

EXIT_MODEL, EXIT_AUDIO, EXIT_SPEECH = 3, 4, 5
PUSH_TO_TALK_S = 15.0
"""How long one press of Enter listens when nothing ends the turn."""


def add_listen_arguments(commands: Any) -> argparse.ArgumentParser:
    listen = commands.add_parser("listen", help="hands-free, offline: Vosk listens, pyttsx3 speaks")
    listen.add_argument(
        "--model",
        help="a Vosk model folder (default: $HEART_TO_HEART_VOSK_MODEL, else `model` in the "
        "config file, else the small English model, downloaded once when online)",
    )
    source = listen.add_mutually_exclusive_group()
    source.add_argument(
        "--input",
        type=Path,
        metavar="FILE.wav",
        help="listen to a WAV file (any rate) instead of the microphone",
    )
    source.add_argument("--text", action="store_true", help="type instead of speaking")
    source.add_argument(
        "--push-to-talk", action="store_true", help="press Enter, then speak (no wake phrase)"
    )
    listen.add_argument(
        "--output",
        type=Path,
        metavar="FILE.wav",
        help="write what would be spoken to a WAV file instead of the speakers",
    )
    listen.add_argument("--household", help="whose evening this is (default: home)")
    listen.add_argument(
        "--no-wake",
        action="store_true",
        help='answer everything heard, without waiting for "heart to heart"',
    )
    listen.add_argument("--rate", type=int, help="speaking rate, words a minute (default: 165)")
    listen.add_argument(
        "--question-rate", type=int, help="speaking rate for questions (default: 135)"
    )
    listen.add_argument("--voice", help="a pyttsx3 voice id (see espeak-ng --voices)")
    listen.add_argument(
        "--silence-ms", type=int, default=250, help="trailing silence that ends a turn"
    )
    return listen


def register_listen(commands: Any) -> None:
    """Entry point (heart_to_heart.commands): `heart-to-heart listen`."""
    add_listen_arguments(commands).set_defaults(run=listen)


def listen(args: argparse.Namespace) -> int:
    from intents.cli import load_settings
    from intents.companion import build_companion
    from intents.household_setup import set_up_household
    from local_voice.audio_device import AudioDeviceProblem
    from local_voice.model import ModelProblem
    from local_voice.speech_output import SpeechProblem
    from local_voice.wav import AudioFileProblem

    settings = load_settings(
        args,
        household=args.household,
        model=args.model,
        voice=args.voice,
        rate=args.rate,
        question_rate=args.question_rate,
        wake_phrase=False if args.no_wake else None,
    )
    try:
        companion = build_companion(
            settings.database, timezone=settings.timezone, audience=settings.audience
        )
        set_up_household(
            companion.engine,
            f"local:{settings.household}",
            names=settings.names,
            timezone=companion.conversation.default_timezone,
            now=companion.conversation.clock(),
        )
        return _listen(args, settings, companion)
    except ModelProblem as problem:
        print(f"heart-to-heart listen: {problem}", file=sys.stderr)
        return EXIT_MODEL
    except (AudioDeviceProblem, AudioFileProblem) as problem:
        print(f"heart-to-heart listen: {problem}", file=sys.stderr)
        return EXIT_AUDIO
    except SpeechProblem as problem:
        print(f"heart-to-heart listen: {problem}", file=sys.stderr)
        return EXIT_SPEECH
    except KeyboardInterrupt:
        print("\nGoodnight.", file=sys.stderr)
        return 0


def _listen(args: argparse.Namespace, settings: Settings, companion: Any) -> int:
    from intents.companion import local_country
    from intents.conversation import utc_now
    from local_voice.loop import Speaker, VoiceLoop, file_blocks, run_audio, run_text
    from local_voice.scheduler import Scheduler
    from local_voice.speech_output import SPEECH_RATE, Synthesizer, Voice

    household = f"local:{settings.household}"
    synthesizer = Synthesizer(Voice(settings.rate, settings.question_rate, settings.voice))
    player = None
    if args.output is None:
        from local_voice.audio_device import Player

        player = Player()
    speaker = Speaker(synthesizer.render, SPEECH_RATE, args.output, player)
    loop = VoiceLoop(
        companion,
        household,
        speaker,
        utc_now,
        wake_required=settings.wake_phrase and not (args.text or args.push_to_talk),
        scheduler=Scheduler(companion.engine, household, utc_now),
        country=settings.country or local_country(),
    )
    if args.text:
        return run_text(loop, sys.stdin)
    recognizer = _recognizer(settings, args.silence_ms, companion)
    try:
        if args.input is not None:
            from local_voice.wav import read_pcm16

            return run_audio(loop, recognizer, file_blocks(read_pcm16(args.input)))
        from local_voice.audio_device import Microphone

        microphone = Microphone()
        try:
            if args.push_to_talk:
                return _push_to_talk(loop, recognizer, microphone)
            return run_audio(loop, recognizer, _live(microphone, loop))
        finally:
            microphone.close()
    finally:
        recognizer.close()


def _recognizer(settings: Settings, silence_ms: int, companion: Any) -> Any:
    from local_voice.grammar import grammar_json
    from local_voice.model import choose_model
    from local_voice.recognizer import Recognizer, load_model

    model = load_model(choose_model(settings.model))
    return Recognizer(model, grammar_json(companion.catalog), silence_ms=silence_ms)


def _live(microphone: Any, loop: Any) -> Any:
    while True:
        block = microphone.read(timeout=1.0)
        if block is None:
            loop.tick()
            continue
        yield block


def _push_to_talk(loop: Any, recognizer: Any, microphone: Any) -> int:
    import select

    while True:
        print("Press Enter, then speak (Ctrl-C to finish).", file=sys.stderr)
        # Wait for Enter a second at a time, so reminders are still spoken meanwhile.
        while not select.select([sys.stdin], [], [], 1.0)[0]:
            loop.tick()
        if not sys.stdin.readline():
            return 0
        while microphone.read(timeout=0.01) is not None:
            pass  # drop what was heard before Enter
        recognizer.reset()
        waited_s = 0.0
        while waited_s < PUSH_TO_TALK_S:
            block = microphone.read(timeout=1.0)
            if block is None:
                continue
            waited_s += len(block) / 32_000
            transcript = recognizer.feed(block)
            if transcript is not None:
                loop.hear(transcript)
                break
