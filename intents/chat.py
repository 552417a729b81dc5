"""The text front end: type what you would say, read what the companion would say."""

from __future__ import annotations

import sys
import uuid
from typing import TextIO

from intents.companion import Companion, local_country
from intents.conversation import LAUNCH
from intents.matcher import IntentRequest
from intents.reply import Reply

PROMPT = "you> "


def render(reply: Reply) -> str:
    """Plain text: a question stands on its own line, so it reads as slowly as it is spoken."""
    lines: list[str] = []
    current: list[str] = []
    for segment in reply.speech.segments:
        if segment.kind == "question":
            if current:
                lines.append(" ".join(current))
                current = []
            lines.append(f"  {segment.text}")
        elif segment.kind in ("text", "emphasis"):
            current.append(segment.text)
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines)


def chat(
    companion: Companion,
    household: str,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    once: str | None = None,
    country: str | None = None,
) -> int:
    """Run a conversation over text until end of input or "stop"; returns the exit code.
    `country` (for help lines) defaults to the one the system locale names."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    # This run of the chat is one conversation: its questions are answered only within it.
    context = {"session": f"chat:{uuid.uuid4()}", "country": country or local_country()}
    if once is not None:
        stdout.write(render(companion.reply_to_text(household, once, **context)) + "\n")
        return 0
    interactive = stdin.isatty()
    stdout.write(render(companion.reply_to(household, IntentRequest(LAUNCH), **context)) + "\n")
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:
            return 0
        if not line.strip():
            continue
        request = companion.matcher.match(line)
        stdout.write(render(companion.reply_to(household, request, **context)) + "\n")
        stdout.flush()
        if request.name == "Stop":
            return 0
