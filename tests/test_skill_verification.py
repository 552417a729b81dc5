"""Every verification rule, broken one at a time: a 400, a log line, nothing stored."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.error import URLError

import pytest
from cryptography.x509.verification import Store
from sqlalchemy import func, select

from intents.store.schema import metadata
from skill.verification import (
    FETCH_TIMEOUT_S,
    MAX_CHAIN_BYTES,
    ChainCache,
    MalformedRequest,
    RequestRejected,
    RequestVerifier,
    application_id,
    check_cert_url,
    fetch_certificate_chain,
    load_trust_store,
    parse_envelope,
)
from tests.alexa.envelopes import CERT_URL, SKILL_ID, body, envelope, intent
from tests.alexa.harness import Alexa, app_for, make_config
from tests.alexa.pki import make_authority
from tests.alexa.server import serving


@pytest.fixture
def setup(tmp_path, companion, clock) -> Iterator[tuple[Alexa, object]]:
    authority = make_authority(clock.now)
    chains: dict[str, bytes] = {}
    app = app_for(make_config(tmp_path, authority, companion, clock, chains))
    with serving(app) as url:
        yield Alexa(url, authority, clock, chains=chains), companion


def stored_rows(companion) -> int:
    with companion.engine.connect() as conn:
        return sum(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
            if t.name != "schema_version"
        )


def check_in(alexa: Alexa, **args) -> bytes:
    return body(
        envelope(intent("CheckInIntent", rating="4"), alexa.clock.now, api_token=None, **args)
    )


def check_in_sent_ago(alexa: Alexa, seconds: float) -> bytes:
    """A check-in stamped `seconds` before the server's clock (negative: in its future)."""
    return body(
        envelope(
            intent("CheckInIntent", rating="4"),
            alexa.clock.now - timedelta(seconds=seconds),
            api_token=None,
        )
    )


def assert_rejected(response, companion, caplog, reason: str) -> None:
    assert response.status_code == 400
    assert response.json() == {"error": "bad request"}
    assert stored_rows(companion) == 0
    assert reason in caplog.text


def test_a_correctly_signed_request_is_accepted(setup):
    alexa, companion = setup
    data = check_in(alexa)
    assert alexa.post_raw(data, alexa.signed_headers(data)).status_code == 200
    assert stored_rows(companion) > 0


def test_missing_signature_headers(setup, caplog):
    alexa, companion = setup
    data = check_in(alexa)
    response = alexa.post_raw(data, {"Content-Type": "application/json"})
    assert_rejected(response, companion, caplog, "signature headers missing")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "not https"),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", "host"),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "path"),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "path"),
        ("https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", "path"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "port"),
    ],
)
def test_certificate_urls_outside_amazons_bucket(setup, caplog, url, reason):
    alexa, companion = setup
    data = check_in(alexa)
    response = alexa.post_raw(data, alexa.signed_headers(data, cert_url=url))
    assert_rejected(response, companion, caplog, reason)


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    ],
)
def test_amazons_certificate_urls_pass_the_url_check(url):
    check_cert_url(url)


def test_certificate_download_failure_is_a_400_not_a_500(setup, caplog):
    alexa, companion = setup
    data = check_in(alexa)
    other = "https://s3.amazonaws.com/echo.api/missing.pem"
    response = alexa.post_raw(data, alexa.signed_headers(data, cert_url=other))
    assert_rejected(response, companion, caplog, "download failed")


def test_a_chain_that_is_not_pem(setup, caplog):
    alexa, companion = setup
    url = "https://s3.amazonaws.com/echo.api/garbage.pem"
    alexa.chains[url] = b"not a certificate"
    data = check_in(alexa)
    response = alexa.post_raw(data, alexa.signed_headers(data, cert_url=url))
    assert_rejected(response, companion, caplog, "not PEM")


def _serve_chain(alexa: Alexa, name: str, authority) -> str:
    url = f"https://s3.amazonaws.com/echo.api/{name}.pem"
    alexa.chains[url] = authority.chain_pem
    alexa.authority = authority
    return url


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("untrusted", lambda now: make_authority(now, root_index=1)),
        ("wrong-san", lambda now: make_authority(now, san="echo-api.example.com")),
        (
            "expired",
            lambda now: make_authority(
                now,
                leaf_not_before=now - timedelta(days=400),
                leaf_not_after=now - timedelta(days=1),
            ),
        ),
        (
            "not-yet-valid",
            lambda now: make_authority(
                now,
                leaf_not_before=now + timedelta(days=1),
                leaf_not_after=now + timedelta(days=90),
            ),
        ),
    ],
)
def test_certificate_chains_that_must_not_be_trusted(setup, caplog, name, make):
    alexa, companion = setup
    url = _serve_chain(alexa, name, make(alexa.clock.now))
    data = check_in(alexa)
    response = alexa.post_raw(data, alexa.signed_headers(data, cert_url=url))
    assert_rejected(response, companion, caplog, "certificate chain not valid")


def test_a_body_changed_after_signing(setup, caplog):
    alexa, companion = setup
    data = check_in(alexa)
    headers = alexa.signed_headers(data)
    response = alexa.post_raw(data.replace(b'"4"', b'"5"'), headers)
    assert_rejected(response, companion, caplog, "signature does not match")


def test_a_signature_that_is_not_base64(setup, caplog):
    alexa, companion = setup
    data = check_in(alexa)
    headers = alexa.signed_headers(data) | {"Signature-256": "%%% not base64 %%%"}
    assert_rejected(alexa.post_raw(data, headers), companion, caplog, "not base64")


@pytest.mark.parametrize("seconds", [-151, 151, 3600])
def test_requests_older_or_newer_than_150_seconds(setup, caplog, seconds):
    alexa, companion = setup
    data = check_in_sent_ago(alexa, seconds)
    response = alexa.post_raw(data, alexa.signed_headers(data))
    assert_rejected(response, companion, caplog, "timestamp outside 150 seconds")


def test_requests_for_another_skill(setup, caplog):
    alexa, companion = setup
    data = check_in(alexa, skill_id="amzn1.ask.skill.someone-else")
    assert_rejected(
        alexa.post_raw(data, alexa.signed_headers(data)), companion, caplog, "another skill"
    )


def test_malformed_json_and_missing_fields_are_400(setup, caplog):
    alexa, companion = setup
    caplog.set_level(logging.INFO)
    for data in (b"{not json", b"[]", b'{"request": {}}', b'{"version": "1.0"}'):
        response = alexa.post_raw(data, alexa.signed_headers(data))
        assert response.status_code == 400, data
    assert stored_rows(companion) == 0


def test_a_body_over_the_limit_is_413(setup):
    alexa, companion = setup
    data = b"{" + b" " * (200 * 1024) + b"}"
    response = alexa.post_raw(data, alexa.signed_headers(data))
    assert response.status_code == 413
    assert stored_rows(companion) == 0


def test_wrong_methods_and_paths_are_4xx(setup):
    import requests

    alexa, _ = setup
    assert requests.get(f"{alexa.url}/alexa", timeout=5).status_code == 405
    assert requests.get(f"{alexa.url}/nothing", timeout=5).status_code == 404


def test_the_chain_cache_is_bounded_and_expires(clock):
    authority = make_authority(clock.now)
    cache = ChainCache(size=2, ttl=10)
    for n in range(3):
        cache.put(f"u{n}", authority.leaf, 100.0)
    assert cache.get("u0", 101.0) is None
    assert cache.get("u2", 101.0) is authority.leaf
    assert cache.get("u2", 111.0) is None


def test_verification_off_needs_an_explicit_setting_and_warns(tmp_path, companion, clock, caplog):
    from skill.app import SkillConfig, create_app

    with pytest.raises(ValueError):
        create_app(SkillConfig(skill_id=None, companion=companion, clock=clock))
    create_app(SkillConfig(verify_requests=False, companion=companion, clock=clock))
    assert "VERIFICATION IS OFF" in caplog.text


def test_url_check_rejects_unparseable_ports():
    with pytest.raises(RequestRejected):
        check_cert_url("https://s3.amazonaws.com:99999/echo.api/x.pem")


@pytest.mark.parametrize("seconds", [-149, 149, 0])
def test_requests_within_150_seconds_either_way_are_accepted(setup, seconds):
    alexa, companion = setup
    data = check_in_sent_ago(alexa, seconds)
    assert alexa.post_raw(data, alexa.signed_headers(data)).status_code == 200


def amazon_layout(alexa: Alexa) -> bytes:
    """A body laid out as Amazon's are, not as json.dumps writes: its own key order, no spaces
    after separators, a newline and indentation here and there, and non-ASCII text unescaped."""
    now = alexa.clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = (
        '{"version":"1.0","context":{"System":{"application":{"applicationId":'
        '"amzn1.ask.skill.00000000-1111-2222-3333-444444444444"},"user":{"userId":'
        '"amzn1.ask.account.TESTUSER"},"device":{"deviceId":"amzn1.ask.device.TEST",'
        '"supportedInterfaces":{}},"apiEndpoint":"https://api.amazonalexa.com"}},\n'
        '  "session":{"new":false,"sessionId":"amzn1.echo-api.session.raw","application":'
        '{"applicationId":"amzn1.ask.skill.00000000-1111-2222-3333-444444444444"},"user":'
        '{"userId":"amzn1.ask.account.TESTUSER"},"attributes":{}},\n'
        '  "request":{"type":"IntentRequest","requestId":"amzn1.echo-api.request.raw",'
        f'"locale":"en-GB","timestamp":"{now}","dialogState":"COMPLETED","intent":'
        '{"name":"AppreciationIntent","confirmationStatus":"NONE","slots":{"appreciation":'
        '{"name":"appreciation","value":"the crème brûlée you made ❤ for me",'
        '"confirmationStatus":"NONE"}}}}}'
    )
    return text.encode("utf-8")


def test_raw_bodies_laid_out_as_amazons_are_verified_byte_for_byte(setup):
    alexa, companion = setup
    data = amazon_layout(alexa)
    assert data != body(__import__("json").loads(data))  # not what re-serialising would give
    response = alexa.post_raw(data, alexa.signed_headers(data))
    assert response.status_code == 200


def test_a_raw_body_changed_by_one_byte_after_signing_is_refused(setup, caplog):
    alexa, companion = setup
    data = amazon_layout(alexa)
    headers = alexa.signed_headers(data)
    changed = data.replace(b'"new":false', b'"new": false')  # same JSON, other bytes
    assert_rejected(alexa.post_raw(changed, headers), companion, caplog, "signature")


# The verifier on its own: real certificates and signatures, no web server in between ----------
class Fetches:
    """Serves chains by URL, as Amazon's bucket does, and counts the downloads."""

    def __init__(self, chains: dict[str, bytes]) -> None:
        self.chains = chains
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.chains[url]


def direct_verifier(clock, authority, **kwargs) -> tuple[RequestVerifier, Fetches]:
    fetches = Fetches({CERT_URL: authority.chain_pem})
    store = Store([authority.root])
    return RequestVerifier(SKILL_ID, store, fetch=fetches, clock=clock, **kwargs), fetches


def signed(authority, data: bytes) -> dict[str, str]:
    return {"SignatureCertChainUrl": CERT_URL, "Signature-256": authority.sign(data)}


def raw_envelope(clock, **request: object) -> bytes:
    data = envelope(intent("CheckInIntent", rating="4"), clock.now, api_token=None)
    data["request"].update(request)
    return body(data)


def test_a_verified_request_gives_back_its_envelope(clock):
    authority = make_authority(clock.now)
    verifier, _ = direct_verifier(clock, authority)
    data = raw_envelope(clock)
    assert verifier.verify(signed(authority, data), data) == json.loads(data)


def test_the_certificate_is_downloaded_once_and_reused_while_valid(clock):
    authority = make_authority(clock.now)
    verifier, fetches = direct_verifier(clock, authority)
    for _ in range(3):
        data = raw_envelope(clock)
        verifier.verify(signed(authority, data), data)
    assert fetches.urls == [CERT_URL]


def test_a_cached_certificate_is_not_trusted_before_its_validity_starts(clock):
    authority = make_authority(clock.now)
    verifier, fetches = direct_verifier(clock, authority)
    data = raw_envelope(clock)
    verifier.verify(signed(authority, data), data)
    clock.now = authority.leaf.not_valid_before_utc - timedelta(minutes=1)
    data = raw_envelope(clock)
    with pytest.raises(RequestRejected, match="certificate chain not valid"):
        verifier.verify(signed(authority, data), data)
    assert len(fetches.urls) == 2


@pytest.mark.parametrize("missing", ["SignatureCertChainUrl", "Signature-256"])
def test_either_signature_header_missing_is_refused(clock, missing):
    authority = make_authority(clock.now)
    verifier, fetches = direct_verifier(clock, authority)
    data = raw_envelope(clock)
    headers = signed(authority, data)
    del headers[missing]
    with pytest.raises(RequestRejected, match="signature headers missing"):
        verifier.verify(headers, data)
    assert fetches.urls == []


@pytest.mark.parametrize("seconds", [150, -150])
def test_exactly_150_seconds_either_way_is_still_accepted(clock, seconds):
    authority = make_authority(clock.now)
    verifier, _ = direct_verifier(clock, authority)
    sent = clock.now - timedelta(seconds=seconds)
    data = raw_envelope(clock, timestamp=sent.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert verifier.verify(signed(authority, data), data)["request"]["timestamp"]


@pytest.mark.parametrize(
    ("timestamp", "reason"),
    [
        ("2026-11-24T18:00:00", "no time zone"),
        ("", "missing or invalid"),
        ("yesterday evening", "missing or invalid"),
    ],
)
def test_timestamps_without_a_zone_or_unreadable_are_refused(clock, timestamp, reason):
    authority = make_authority(clock.now)
    verifier, _ = direct_verifier(clock, authority)
    data = raw_envelope(clock, timestamp=timestamp)
    with pytest.raises(RequestRejected, match=reason):
        verifier.verify(signed(authority, data), data)


def test_the_skill_id_is_read_from_the_context_first_then_the_session():
    def made(context: str | None, session: str | None) -> dict:
        data: dict = {"request": {}}
        if context is not None:
            data["context"] = {"System": {"application": {"applicationId": context}}}
        if session is not None:
            data["session"] = {"application": {"applicationId": session}}
        return data

    assert application_id(made("from-context", "from-session")) == "from-context"
    assert application_id(made(None, "from-session")) == "from-session"
    assert application_id(made(None, None)) is None
    assert application_id({"context": {"System": "not a mapping"}, "request": {}}) is None
    assert application_id({"session": {"application": {"applicationId": 7}}}) is None


def test_a_cached_chain_expires_at_its_time_and_recent_use_keeps_it(clock):
    authority = make_authority(clock.now)
    cache = ChainCache(size=2, ttl=10)
    cache.put("u0", authority.leaf, 100.0)
    cache.put("u1", authority.leaf, 100.0)
    assert cache.get("u0", 109.5) is authority.leaf  # u0 now the most recently used
    cache.put("u2", authority.leaf, 100.0)
    assert cache.get("u1", 101.0) is None  # the least recently used went
    assert cache.get("u0", 101.0) is authority.leaf
    assert cache.get("u0", 110.0) is None  # at exactly its expiry time


def test_a_cached_chain_never_outlives_its_certificate(clock):
    authority = make_authority(clock.now)
    cache = ChainCache(ttl=10 * 365 * 86400)
    now = clock.now.timestamp()
    cache.put("u", authority.leaf, now)
    end = authority.leaf.not_valid_after_utc.timestamp()
    assert cache.get("u", end - 1) is authority.leaf
    assert cache.get("u", end) is None


def test_the_chain_is_downloaded_over_http_within_a_size_limit(clock):
    chains = {"/ok.pem": b"x" * MAX_CHAIN_BYTES, "/big.pem": b"x" * (MAX_CHAIN_BYTES + 1)}

    def app(environ, start_response):
        data = chains[environ["PATH_INFO"]]
        start_response("200 OK", [("Content-Length", str(len(data)))])
        return [data]

    with serving(app) as url:
        assert fetch_certificate_chain(f"{url}/ok.pem") == chains["/ok.pem"]
        with pytest.raises(RequestRejected, match="too large"):
            fetch_certificate_chain(f"{url}/big.pem")


def test_the_trust_store_is_read_from_a_pem_file(tmp_path, clock):
    authority = make_authority(clock.now)
    path = tmp_path / "roots.pem"
    path.write_bytes(authority.root_pem)
    verifier = RequestVerifier(
        SKILL_ID,
        load_trust_store(path),
        fetch=Fetches({CERT_URL: authority.chain_pem}),
        clock=clock,
    )
    data = raw_envelope(clock)
    assert verifier.verify(signed(authority, data), data)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "not https"),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", "host is not s3.amazonaws.com"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "port is not 443"),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "path is not under"),
        ("https://s3.amazonaws.com", "path is not under"),
        ("https://s3.amazonaws.com:99999/echo.api/x.pem", "unparseable"),
    ],
)
def test_the_url_check_says_why_a_certificate_url_is_refused(url, reason):
    with pytest.raises(RequestRejected, match=reason):
        check_cert_url(url)


def rejected_for(clock, authority, data: bytes, headers: dict[str, str], **kwargs) -> str:
    verifier, _ = direct_verifier(clock, authority, **kwargs)
    with pytest.raises(RequestRejected) as caught:
        verifier.verify(headers, data)
    return str(caught.value)


def test_a_signature_with_stray_characters_is_refused_not_cleaned_up(clock):
    authority = make_authority(clock.now)
    data = raw_envelope(clock)
    headers = signed(authority, data)
    headers["Signature-256"] = "!" + headers["Signature-256"]
    assert "signature is not base64" in rejected_for(clock, authority, data, headers)


def test_each_refusal_of_a_signed_request_says_why(clock):
    authority = make_authority(clock.now)
    data = raw_envelope(clock)
    changed = data.replace(b'"4"', b'"5"')
    assert "signature does not match the body" in rejected_for(
        clock, authority, changed, signed(authority, data)
    )
    old = raw_envelope(clock, timestamp="2026-11-24T17:00:00Z")
    assert "request timestamp outside 150 seconds" in rejected_for(
        clock, authority, old, signed(authority, old)
    )
    theirs = body(
        envelope(intent("CheckInIntent"), clock.now, api_token=None, skill_id="amzn1.ask.x")
    )
    assert "request is for another skill" in rejected_for(
        clock, authority, theirs, signed(authority, theirs)
    )


def test_a_download_failure_and_a_chain_that_is_not_pem_say_so(clock):
    authority = make_authority(clock.now)
    data = raw_envelope(clock)

    def failing(url: str) -> bytes:
        raise ConnectionResetError("gone")

    verifier = RequestVerifier(SKILL_ID, Store([authority.root]), fetch=failing, clock=clock)
    with pytest.raises(RequestRejected, match="certificate download failed: ConnectionResetError"):
        verifier.verify(signed(authority, data), data)
    garbage = RequestVerifier(
        SKILL_ID, Store([authority.root]), fetch=lambda url: b"not a chain", clock=clock
    )
    with pytest.raises(RequestRejected, match="certificate chain is not PEM"):
        garbage.verify(signed(authority, data), data)


def test_a_certificate_without_an_rsa_key_is_refused(clock):
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.alexa import pki

    authority = make_authority(clock.now)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    leaf = pki._cert(
        "echo-api.amazon.com",
        ec_key,
        "Test Intermediate",
        pki._key(3),
        clock.now - timedelta(days=1),
        clock.now + timedelta(days=30),
        False,
        dns="echo-api.amazon.com",
    )
    verifier = RequestVerifier(
        SKILL_ID,
        Store([authority.root]),
        fetch=lambda url: pki.pem(leaf, authority.intermediate),
        clock=clock,
    )
    data = raw_envelope(clock)
    with pytest.raises(RequestRejected, match="certificate key is not RSA"):
        verifier.verify(signed(authority, data), data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "body is not JSON"),
        (b"[]", "body is not an Alexa request envelope"),
        (b'{"version": "1.0"}', "body is not an Alexa request envelope"),
        (b'{"request": "launch"}', "body is not an Alexa request envelope"),
    ],
)
def test_bodies_that_are_no_alexa_envelope_are_malformed(data, reason):
    with pytest.raises(MalformedRequest, match=reason):
        parse_envelope(data)


def test_a_certificate_download_that_stalls_gives_up_after_its_timeout():
    def stalling(environ, start_response):
        time.sleep(FETCH_TIMEOUT_S + 2)
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    with serving(stalling) as url:
        started = time.monotonic()
        with pytest.raises((TimeoutError, URLError)):
            fetch_certificate_chain(f"{url}/slow.pem")
        assert time.monotonic() - started < FETCH_TIMEOUT_S + 1.5
