"""The core's speech segments as Alexa SSML: slower questions, real pauses, spoken times."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from intents.reply import Speech

QUESTION_RATE = "90%"
"""People find voice assistants too fast; questions are the part they must take in."""
AFTER_QUESTION_MS = 800
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))? (AM|PM)\b")


def _text(text: str) -> str:
    return _TIME.sub(_say_time, escape(text))


def _say_time(match: re.Match[str]) -> str:
    hour, minute, half = match.group(1), match.group(2) or "00", match.group(3).lower()
    return f'<say-as interpret-as="time">{hour}:{minute}{half}</say-as>'


def to_ssml(speech: Speech) -> str:
    parts: list[str] = []
    for segment in speech.segments:
        if segment.kind == "pause":
            parts.append(f'<break time="{max(0, min(segment.ms, 10_000))}ms"/>')
        elif segment.kind == "question":
            parts.append(f'<prosody rate="{QUESTION_RATE}">{_text(segment.text)}</prosody>')
            parts.append(f'<break time="{AFTER_QUESTION_MS}ms"/>')
        elif segment.kind == "emphasis":
            parts.append(f'<emphasis level="moderate">{_text(segment.text)}</emphasis>')
        else:
            parts.append(_text(segment.text))
    return "<speak>" + " ".join(parts) + "</speak>"
