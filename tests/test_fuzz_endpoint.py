"""Fuzzing the Alexa endpoint: random and mutated requests never cause a 5xx or store anything
when rejected. bench/fuzz.py runs the same strategies for 10,000+ cases."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from intents.store.schema import metadata
from tests.alexa.harness import app_for, make_config
from tests.alexa.pki import make_authority
from tests.fuzzing.endpoint import HEADERS, RANDOM_BODY, mutated_envelope

CASES = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def total_rows(engine) -> int:
    with engine.connect() as conn:
        return sum(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
            if t.name != "schema_version"
        )


@pytest.fixture
def endpoint(tmp_path, companion, clock):
    authority = make_authority(clock.now)
    app = app_for(make_config(tmp_path, authority, companion, clock, {}))
    return app.test_client(), authority, companion, clock


@CASES
@given(body=RANDOM_BODY, headers=HEADERS)
def test_random_requests_are_refused_without_a_trace(endpoint, body, headers):
    client, _, companion, _ = endpoint
    before = total_rows(companion.engine)
    response = client.post("/alexa", data=body, headers=headers)
    assert response.status_code in (400, 413)
    assert total_rows(companion.engine) == before


@CASES
@given(data=st.data())
def test_signed_but_mutated_envelopes_never_cause_a_server_error(endpoint, data):
    client, authority, companion, clock = endpoint
    body = data.draw(mutated_envelope(clock.now))
    headers = {
        "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        "Signature-256": authority.sign(body),
        "Content-Type": "application/json",
    }
    before = total_rows(companion.engine)
    response = client.post("/alexa", data=body, headers=headers)
    assert response.status_code < 500
    if response.status_code != 200:
        assert total_rows(companion.engine) == before
