"""Real Alexa request envelopes from other projects' public test fixtures (see fixtures/SOURCES.md),
made sendable to this skill with the fewest possible byte changes, and the checks every reply to
them must pass."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope

from tests.alexa.envelopes import SKILL_ID

FIXTURES = Path(__file__).parent / "fixtures"
SSML_TAGS = {"speak", "prosody", "break", "emphasis"}
"""The only tags skill/ssml.py writes."""

SILENT_PREFIXES = (
    "SessionEndedRequest",
    "System.ExceptionEncountered",
    "AlexaSkillEvent.",
    "AudioPlayer.",
    "PlaybackController.",
    "Alexa.Presentation.APL.RuntimeError",
)
"""Request types whose response may carry no speech (Amazon's request and response references)."""

REJECTED: dict[str, str] = {
    # Envelopes that are genuinely malformed for a self-hosted skill: each gets a 400, and why.
    "alexa-app/playback_controller_play_command.json": (
        "no context.System.application or user, and the timestamp is the placeholder 'string'"
    ),
    "alexa-app/session_ended_request.json": "2016-era: no context at all (no System.user)",
    "alexa-net/BuiltInIntentRequest.json": (
        "context.System has a person but no application and no user"
    ),
    "alexa-net/GetUtterance.json": "2016-era: no context at all (no System.user)",
    "alexa-net/IntentRequest.json": "2015-era: no context at all (no System.user)",
    "alexa-net/LaunchRequest.json": "2015-era: no context at all (no System.user)",
    "alexa-net/LaunchRequestWithEpochTimestamp.json": (
        "2015-era: no context, and the timestamp is epoch milliseconds, not ISO 8601"
    ),
    "alexa-net/NewVersionRequest.json": "no context at all (no System.user)",
    "alexa-net/SessionEndedRequest.json": "2015-era: no context at all (no System.user)",
    "amazon-alexa-php/alexaskilleventDisabled.json": (
        "no request.timestamp (a misspelt timeStamp), and the event times are the placeholder 'now'"
    ),
    "amazon-alexa-php/aplRuntimeError.json": "no request.timestamp and no requestId",
    "amazon-alexa-php/contextWithAPL.json": (
        "an entry of context.Viewports has no type, the field the SDK's models dispatch on"
    ),
    "amazon-alexa-php/launch.json": (
        "placeholder values: context.AudioPlayer.playerActivity is 'playerActivity'"
    ),
    "amazon-alexa-php/systemError.json": (
        "placeholder values: context.AudioPlayer.playerActivity is 'playerActivity'"
    ),
}

_APPLICATION_ID = re.compile(rb'("applicationId"\s*:\s*)"[^"]*"')
_TIMESTAMP = re.compile(rb'("timestamp"\s*:\s*)("[^"]*"|\d+)')
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Fixture:
    name: str
    """<project>/<file>.json, relative to tests/alexa/fixtures."""
    raw: bytes

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.raw.decode("utf-8-sig"))

    @property
    def request_type(self) -> str:
        return str(self.data["request"].get("type"))

    @property
    def silent(self) -> bool:
        return self.request_type.startswith(SILENT_PREFIXES)

    @property
    def rejected(self) -> str | None:
        return REJECTED.get(self.name)


def fixtures() -> list[Fixture]:
    return [
        Fixture(str(path.relative_to(FIXTURES)), path.read_bytes())
        for path in sorted(FIXTURES.glob("*/*.json"))
    ]


def sendable(raw: bytes, now: datetime, skill_id: str = SKILL_ID) -> bytes:
    """The published bytes with only what must change changed: every applicationId becomes ours,
    every timestamp becomes `now` (epoch milliseconds stay epoch milliseconds), and a byte-order
    mark some .NET fixtures carry (a file artefact Alexa never sends) is dropped."""
    body = raw.removeprefix(_BOM)
    body = _APPLICATION_ID.sub(lambda m: m.group(1) + json.dumps(skill_id).encode(), body)

    def stamp(match: re.Match[bytes]) -> bytes:
        if match.group(2).startswith(b'"'):
            return match.group(1) + now.strftime('"%Y-%m-%dT%H:%M:%SZ"').encode()
        return match.group(1) + str(int(now.timestamp() * 1000)).encode()

    return _TIMESTAMP.sub(stamp, body)


def check_reply(fixture: Fixture, status: int, text: str) -> dict[str, Any]:
    """Assert what every reply to a real envelope must be; return the parsed body."""
    assert status < 500, f"{fixture.name}: {status}"
    if fixture.rejected:
        assert status == 400, f"{fixture.name} should be refused: {fixture.rejected}"
        return json.loads(text)
    assert status == 200, f"{fixture.name}: {status} {text[:200]}"
    envelope = DefaultSerializer().deserialize(text, ResponseEnvelope)
    assert isinstance(envelope, ResponseEnvelope)
    data = json.loads(text)
    speech = (data.get("response") or {}).get("outputSpeech")
    if fixture.silent:
        assert speech is None, f"{fixture.name}: {fixture.request_type} must get no speech"
        assert "reprompt" not in data["response"]
    for part in (speech, ((data.get("response") or {}).get("reprompt") or {}).get("outputSpeech")):
        if part is not None:
            check_ssml(part["ssml"])
    return data


def check_ssml(ssml: str) -> None:
    root = ElementTree.fromstring(ssml)
    assert root.tag == "speak"
    tags = {element.tag for element in root.iter()}
    assert tags <= SSML_TAGS, f"unexpected SSML tags: {tags - SSML_TAGS}"
    assert "".join(root.itertext()).strip(), "empty speech"
