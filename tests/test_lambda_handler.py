"""The AWS Lambda handler, invoked locally as Lambda would: real envelopes, a real SQLite file,
the same answers as the Flask endpoint."""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from intents.companion import Companion, build_companion
from intents.matcher import model_cache
from intents.store.schema import check_ins, households
from skill import lambda_function
from skill.effects import TimeoutApiClient
from skill.runtime import build_runtime, empty_response
from tests.alexa.envelopes import SKILL_ID, envelope, intent, launch
from tests.alexa.harness import Alexa, app_for, make_config
from tests.alexa.pki import make_authority
from tests.alexa.real_envelopes import fixtures, sendable
from tests.alexa.server import serving
from tests.conftest import Clock

REAL = [f for f in fixtures() if not f.rejected]
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def companion_on(path: Path, clock: Clock) -> Companion:
    return build_companion(
        f"sqlite:///{path}", clock=clock, rng=random.Random(7), timezone="Europe/London"
    )


def count(companion: Companion, table: Any) -> int:
    with companion.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def speech(reply: dict[str, Any]) -> str | None:
    return ((reply.get("response") or {}).get("outputSpeech") or {}).get("ssml")


def shape(reply: dict[str, Any]) -> dict[str, Any]:
    """What a reply does, apart from its wording."""
    response = reply.get("response") or {}
    return {
        "speaks": "outputSpeech" in response,
        "reprompts": "reprompt" in response,
        "ends": response.get("shouldEndSession"),
        "card": (response.get("card") or {}).get("type"),
        "directives": [d.get("type") for d in response.get("directives") or []],
        "canFulfill": response.get("canFulfillIntent"),
    }


@pytest.fixture
def pair(tmp_path) -> Iterator[tuple[Alexa, Any]]:
    """The Flask endpoint and the Lambda handler, each on its own SQLite file, same clock and
    seeds: what one answers, the other must answer."""
    clock = Clock(NOW)
    flask_side = companion_on(tmp_path / "flask.db", clock)
    lambda_side = companion_on(tmp_path / "lambda.db", clock)
    authority = make_authority(clock.now)
    app = app_for(make_config(tmp_path, authority, flask_side, clock, {}))
    runtime = build_runtime(lambda_side, clock, SKILL_ID, TimeoutApiClient(1.0))
    previous = lambda_function._runtime
    lambda_function._runtime = runtime
    try:
        with serving(app) as url:
            yield Alexa(url, authority, clock), lambda_side
    finally:
        lambda_function._runtime = previous
        flask_side.engine.dispose()
        lambda_side.engine.dispose()


@pytest.fixture
def fresh_container(tmp_path, monkeypatch) -> Path:
    """The environment a deployed function has, and no skill built yet."""
    db = tmp_path / "heart.db"
    monkeypatch.setenv("HEART_TO_HEART_DB", f"sqlite:///{db}")
    monkeypatch.setenv("HEART_TO_HEART_SKILL_ID", SKILL_ID)
    monkeypatch.setenv("HEART_TO_HEART_CACHE", str(model_cache().parent))
    monkeypatch.setattr(lambda_function, "_runtime", None)
    return db


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    reply = lambda_function.handler(event, None)
    json.dumps(reply)  # what Lambda sends back must be plain JSON
    return reply


def test_real_envelopes_get_the_answers_the_flask_endpoint_gives(pair):
    alexa, _ = pair
    same_words = 0
    for fixture in REAL:
        data = sendable(fixture.raw, alexa.clock.now)
        over_http = alexa.post_raw(data, alexa.signed_headers(data))
        assert over_http.status_code == 200, fixture.name
        flask_reply = over_http.json()
        lambda_reply = invoke(json.loads(data))
        assert shape(lambda_reply) == shape(flask_reply), fixture.name
        if fixture.request_type in ("LaunchRequest", "IntentRequest"):
            assert speech(lambda_reply) == speech(flask_reply), fixture.name
            same_words += 1
    assert same_words >= 20


def test_our_own_envelopes_get_the_same_words_from_both(pair):
    alexa, lambda_side = pair
    requests = [
        launch(),
        intent("TonightQuestionIntent"),
        intent("AnotherQuestionIntent", depth="deeper"),
        intent("CheckInIntent", rating="4"),
        intent("AMAZON.HelpIntent"),
        intent("AMAZON.StopIntent"),
    ]
    for request in requests:
        event = envelope(request, alexa.clock.now, api_token=None, session_id=alexa.session_id)
        over_http = alexa.send(request, api_token=None)
        lambda_reply = invoke(event)
        assert over_http.status == 200
        assert speech(lambda_reply) == over_http.ssml, request
        assert shape(lambda_reply) == shape(over_http.data), request
    assert count(lambda_side, check_ins) == 1


def test_state_persists_across_invocations_and_containers(fresh_container):
    first = invoke(envelope(intent("TonightQuestionIntent"), NOW, api_token=None))
    invoke(envelope(intent("CheckInIntent", rating="5"), NOW, api_token=None))
    built = lambda_function._runtime
    again = invoke(envelope(intent("TonightQuestionIntent"), NOW, api_token=None))
    assert lambda_function._runtime is built, "the skill is built once per container"

    lambda_function._runtime = None  # a cold start: a new container, the same database
    later = invoke(envelope(intent("TonightQuestionIntent"), NOW, api_token=None))
    companion = lambda_function._runtime.companion
    assert count(companion, check_ins) == 1
    assert count(companion, households) == 1
    question = first["response"]["card"]["content"]
    assert again["response"]["card"]["content"] == question
    assert later["response"]["card"]["content"] == question


@pytest.mark.parametrize(
    "request_",
    [intent("CheckInIntent", rating="4"), {"type": "Alexa.SomeFutureEvent"}],
    ids=["check-in", "a-type-the-sdk-does-not-know"],
)
def test_a_request_for_another_skill_is_refused(fresh_container, caplog, request_):
    other = "amzn1.ask.skill.99999999-8888-7777-6666-555555555555"
    reply = invoke(envelope(request_, NOW, api_token=None, skill_id=other))
    assert reply == empty_response()
    assert "refused a request for another skill" in caplog.text
    assert count(lambda_function._runtime.companion, households) == 0
    assert count(lambda_function._runtime.companion, check_ins) == 0


@pytest.mark.parametrize(
    "event",
    [
        "LaunchRequest",
        ["not", "an", "envelope"],
        {},
        {"request": "LaunchRequest"},
        {"version": "1.0", "request": {"type": "IntentRequest"}},
        {"request": {"type": "LaunchRequest", "requestId": "r1"}, "context": {"System": {}}},
        {"request": {"type": "NewKindOfRequest", "requestId": "r1"}},
    ],
    ids=["string", "list", "empty", "request-not-object", "no-context", "no-user", "unknown"],
)
def test_malformed_events_get_an_empty_response_and_a_clear_log_line(
    fresh_container, caplog, event
):
    reply = invoke(event)
    assert reply == empty_response()
    assert "malformed Alexa event" in caplog.text
    assert "Traceback" not in json.dumps(reply)
    assert count(lambda_function._runtime.companion, households) == 0


@pytest.mark.parametrize("fixture", [f for f in fixtures() if f.rejected], ids=lambda f: f.name)
def test_envelopes_the_endpoint_refuses_are_answered_empty(fresh_container, caplog, fixture):
    reply = invoke(json.loads(sendable(fixture.raw, NOW)))
    if reply != empty_response():
        # Refused over HTTP only for a missing timestamp, which Lambda does not check.
        assert "timestamp" in (fixture.rejected or "")
        assert speech(reply) is None


def test_a_request_type_the_sdk_does_not_know_gets_an_empty_response(fresh_container, caplog):
    caplog.set_level(logging.INFO, logger="skill.runtime")
    reply = invoke(envelope({"type": "Alexa.SomeFutureEvent"}, NOW, api_token=None))
    assert reply == empty_response()
    assert "unknown to the SDK" in caplog.text and "malformed" not in caplog.text


def test_a_missing_setting_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(lambda_function, "_runtime", None)
    monkeypatch.setenv("HEART_TO_HEART_SKILL_ID", SKILL_ID)
    monkeypatch.delenv("HEART_TO_HEART_DB", raising=False)
    with pytest.raises(lambda_function.ConfigurationError, match="HEART_TO_HEART_DB"):
        lambda_function.handler(envelope(launch(), NOW), None)
    monkeypatch.setenv("HEART_TO_HEART_DB", f"sqlite:///{tmp_path / 'heart.db'}")
    monkeypatch.delenv("HEART_TO_HEART_SKILL_ID")
    with pytest.raises(lambda_function.ConfigurationError, match="HEART_TO_HEART_SKILL_ID"):
        lambda_function.handler(envelope(launch(), NOW), None)


LAMBDA_LIKE = """
import json, sys, time
started = time.perf_counter()
import skill.lambda_function as module  # what Lambda does with skill.lambda_function.handler
events = json.load(sys.stdin)
replies = []
for event in events:
    replies.append(module.handler(event, None))
    if len(replies) == 1:
        cold = time.perf_counter() - started
warm_start = time.perf_counter()
module.handler(events[-1], None)
print(json.dumps({"replies": replies, "cold": cold, "warm": time.perf_counter() - warm_start}))
"""


def test_the_handler_answers_when_imported_as_lambda_imports_it(tmp_path):
    db = tmp_path / "heart.db"
    real = next(f for f in REAL if f.name == "jovo-framework/LaunchRequest.json")
    events = [
        json.loads(sendable(real.raw, NOW)),
        envelope(intent("CheckInIntent", rating="3"), NOW, api_token=None),
    ]
    env = {
        **os.environ,
        "HEART_TO_HEART_DB": f"sqlite:///{db}",
        "HEART_TO_HEART_SKILL_ID": SKILL_ID,
        "HEART_TO_HEART_CACHE": str(model_cache().parent),
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", LAMBDA_LIKE],
        input=json.dumps(events, default=str),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    launch_reply, check_in_reply = result["replies"]
    assert speech(launch_reply) and launch_reply["version"] == "1.0"
    assert "3" in speech(check_in_reply)
    assert result["warm"] < 2.0, result
    print(
        f"cold start {result['cold']:.2f} s, warm {result['warm'] * 1000:.0f} ms, "
        f"process {time.perf_counter() - started:.2f} s"
    )
    companion = build_companion(f"sqlite:///{db}")
    assert count(companion, check_ins) == 1
    companion.engine.dispose()


def test_prepare_puts_a_trained_model_in_the_package(tmp_path, monkeypatch):
    monkeypatch.delenv("HEART_TO_HEART_CACHE", raising=False)
    assert lambda_function.main([str(tmp_path)]) == 0
    models = list((tmp_path / "heart-to-heart-cache" / "models").glob("intents-*.npz"))
    assert len(models) == 1
