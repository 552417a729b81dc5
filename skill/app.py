"""The Flask app: POST /alexa (verified, then dispatched through ask-sdk-core), GET /healthz."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from intents.companion import Companion, build_companion
from skill.effects import API_TIMEOUT_S, TimeoutApiClient
from skill.runtime import OtherSkill, build_runtime
from skill.verification import (
    SYSTEM_TRUST_STORE,
    CertFetcher,
    MalformedRequest,
    RequestRejected,
    RequestVerifier,
    fetch_certificate_chain,
    load_trust_store,
    parse_envelope,
)

if TYPE_CHECKING:
    from skill.home_page import HomePageConfig

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 128 * 1024
"""Real Alexa requests are a few kilobytes."""


@dataclass
class SkillConfig:
    """What the endpoint depends on: tests pass their own, production reads the environment."""

    skill_id: str | None = None
    verify_requests: bool = True
    trust_store_path: str = SYSTEM_TRUST_STORE
    cert_fetcher: CertFetcher = fetch_certificate_chain
    db_url: str | None = None
    companion: Companion | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    api_timeout: float = API_TIMEOUT_S
    api_verify: str | bool = True
    """CA bundle for Amazon's APIs (a test stub's own CA in tests)."""
    max_body_bytes: int = MAX_BODY_BYTES
    alexa_endpoint: bool = True
    """Serve POST /alexa; `heart-to-heart web` serves only the page at home."""
    home_page: HomePageConfig | None = None
    """The page at home on `/` (skill/home_page.py), when set."""

    @classmethod
    def from_environment(cls) -> SkillConfig:
        return cls(
            skill_id=os.environ.get("HEART_TO_HEART_SKILL_ID") or None,
            verify_requests=os.environ.get("HEART_TO_HEART_DEV_NO_VERIFY") != "1",
            trust_store_path=os.environ.get("HEART_TO_HEART_TRUST_STORE", SYSTEM_TRUST_STORE),
            db_url=os.environ.get("HEART_TO_HEART_DB") or None,
        )


def create_app(config: SkillConfig | None = None) -> Flask:
    config = config or SkillConfig.from_environment()
    if config.alexa_endpoint and config.verify_requests and not config.skill_id:
        raise ValueError("set HEART_TO_HEART_SKILL_ID: every request is checked against it")
    if config.alexa_endpoint and not config.verify_requests:
        log.warning("REQUEST VERIFICATION IS OFF: for development only, never in production")
    companion = config.companion or build_companion(config.db_url, clock=config.clock)
    runtime = build_runtime(
        companion,
        config.clock,
        config.skill_id,
        TimeoutApiClient(config.api_timeout, config.api_verify),
    )
    verifier = (
        RequestVerifier(
            config.skill_id or "",
            load_trust_store(config.trust_store_path),
            fetch=config.cert_fetcher,
            clock=config.clock,
        )
        if config.alexa_endpoint and config.verify_requests
        else None
    )

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes

    @app.get("/healthz")
    def healthz() -> Response:
        return _json({"status": "ok"}, 200)

    def alexa() -> Response:
        body = request.get_data(cache=False)
        try:
            if verifier is not None:
                verifier.verify(request.headers, body)
            else:
                parse_envelope(body)
            envelope = runtime.parse(body.decode("utf-8"))
        except MalformedRequest as error:
            log.info("rejected malformed request: %s", error)
            return _json({"error": "bad request"}, 400)
        except RequestRejected as error:
            log.warning("rejected unverified request: %s", error)
            return _json({"error": "bad request"}, 400)
        except UnicodeDecodeError:
            log.info("rejected a request that is not UTF-8")
            return _json({"error": "bad request"}, 400)
        try:
            payload = runtime.respond(envelope)
        except OtherSkill as error:  # another skill's request (verification off)
            log.warning("request for another skill: %s", error)
            return _json({"error": "bad request"}, 400)
        except Exception:  # our fault, not the caller's: Alexa retries, the operator sees why
            log.exception("internal error while answering a request")
            return _json({"error": "internal error"}, 500)
        return _json(payload, 200)

    if config.alexa_endpoint:
        app.add_url_rule("/alexa", view_func=alexa, methods=["POST"])

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _json({"error": error.name.lower()}, error.code or 400)

    if config.home_page is not None:
        from skill.home_page import register_home_page

        register_home_page(app, companion, config.home_page)
    return app


def _json(data: Any, status: int) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")
