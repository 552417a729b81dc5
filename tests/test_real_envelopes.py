"""Real request envelopes from other projects' public fixtures, signed and sent to the real Flask
app over HTTP with verification on: a valid response or, for a genuinely malformed one, a 400."""

from __future__ import annotations

import difflib
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from intents.companion import build_companion
from tests.alexa.envelopes import SKILL_ID
from tests.alexa.harness import Alexa, app_for, make_config
from tests.alexa.pki import make_authority
from tests.alexa.real_envelopes import (
    FIXTURES,
    REJECTED,
    Fixture,
    check_reply,
    fixtures,
    sendable,
)
from tests.alexa.server import serving
from tests.conftest import Clock

ALL = fixtures()


@pytest.fixture(scope="module")
def alexa(tmp_path_factory) -> Iterator[Alexa]:
    """One skill for every envelope, as in production: a real SQLite file, a fixed clock."""
    tmp_path = tmp_path_factory.mktemp("real-envelopes")
    clock = Clock(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    companion = build_companion(
        f"sqlite:///{tmp_path / 'heart.db'}", clock=clock, rng=random.Random(7)
    )
    authority = make_authority(clock.now)
    chains: dict[str, bytes] = {}
    app = app_for(make_config(tmp_path, authority, companion, clock, chains))
    with serving(app) as url:
        yield Alexa(url, authority, clock, chains=chains)
    companion.engine.dispose()


def send(alexa: Alexa, fixture: Fixture) -> tuple[int, str]:
    data = sendable(fixture.raw, alexa.clock.now)
    response = alexa.post_raw(data, alexa.signed_headers(data))
    return response.status_code, response.text


@pytest.mark.parametrize("fixture", ALL, ids=[f.name for f in ALL])
def test_a_real_envelope_gets_a_valid_reply_or_a_reasoned_400(alexa, fixture, caplog):
    status, text = send(alexa, fixture)
    check_reply(fixture, status, text)
    assert "handler failed" not in caplog.text
    assert "internal error" not in caplog.text
    # A refusal is for the envelope's content, never for a signature the test got wrong.
    assert "signature" not in caplog.text and "certificate" not in caplog.text


def test_the_collection_is_varied_and_mostly_accepted():
    assert 40 <= len(ALL) <= 70
    kinds = {f.request_type for f in ALL}
    for kind in (
        "LaunchRequest",
        "IntentRequest",
        "SessionEndedRequest",
        "System.ExceptionEncountered",
        "CanFulfillIntentRequest",
        "Connections.Response",
        "Alexa.Presentation.APL.UserEvent",
        "Display.ElementSelected",
        "AudioPlayer.PlaybackStarted",
        "PlaybackController.PlayCommandIssued",
    ):
        assert kind in kinds
    assert any(k.startswith("AlexaSkillEvent.") for k in kinds)
    assert len({f.name.split("/")[0] for f in ALL}) >= 5
    accepted = [f for f in ALL if not f.rejected]
    assert len(accepted) >= 0.75 * len(ALL)
    assert set(REJECTED) <= {f.name for f in ALL}, "a rejection names a missing fixture"


def test_every_fixture_names_its_source():
    sources = (FIXTURES / "SOURCES.md").read_text()
    for fixture in ALL:
        assert f"`{fixture.name}`" in sources, fixture.name


@pytest.mark.parametrize("fixture", ALL, ids=[f.name for f in ALL])
def test_only_application_ids_and_timestamps_are_rewritten(fixture, clock):
    before = fixture.raw.removeprefix(b"\xef\xbb\xbf").decode().splitlines()
    after = sendable(fixture.raw, clock.now).decode().splitlines()
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    for line in changed:
        assert '"applicationId"' in line or '"timestamp"' in line, line
    data = json.loads(sendable(fixture.raw, clock.now))
    system_app = ((data.get("context") or {}).get("System") or {}).get("application")
    if system_app:
        assert system_app["applicationId"] == SKILL_ID


@pytest.mark.parametrize(
    "name", ["alexa-app/unknown_type_request.json", "alexa-net/NewIntent.json"]
)
def test_request_types_the_sdk_does_not_know_get_an_empty_200_not_a_400(alexa, name):
    fixture = next(f for f in ALL if f.name == name)
    status, text = send(alexa, fixture)
    assert status == 200
    assert json.loads(text)["response"] == {}
