"""The core's speech segments as Alexa SSML: slower questions, real pauses; times come in words."""

from __future__ import annotations

from xml.sax.saxutils import escape

from intents.reply import Speech

QUESTION_RATE = "90%"
"""People find voice assistants too fast; questions are the part they must take in."""
AFTER_QUESTION_MS = 800


def _text(text: str) -> str:
    return escape(text)


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
