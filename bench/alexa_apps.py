"""WSGI factories for bench/alexa_endpoint.py: our skill, and a bare ask-sdk-core hello skill,
both behind the same request verification, trusting a benchmark authority (paths in env vars)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, Response
from flask import Flask, request

from skill.app import SkillConfig, create_app
from skill.verification import RequestRejected, RequestVerifier, load_trust_store


def _fetcher():  # noqa: ANN202
    chain = Path(os.environ["BENCH_CHAIN_PEM"]).read_bytes()
    return lambda url: chain


def create_bench_app() -> Flask:
    return create_app(
        SkillConfig(
            skill_id=os.environ["BENCH_SKILL_ID"],
            trust_store_path=os.environ["BENCH_ROOT_PEM"],
            cert_fetcher=_fetcher(),
            db_url=os.environ["HEART_TO_HEART_DB"],
        )
    )


class Hello(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello").response


def create_hello_app() -> Flask:
    """The baseline: ask-sdk-core saying hello, verified the same way, no database."""
    builder = CustomSkillBuilder()
    builder.add_request_handler(Hello())
    skill = builder.create()
    serializer = DefaultSerializer()
    verifier = RequestVerifier(
        os.environ["BENCH_SKILL_ID"], load_trust_store(os.environ["BENCH_ROOT_PEM"]), _fetcher()
    )
    app = Flask(__name__)

    @app.post("/alexa")
    def alexa():  # noqa: ANN202
        body = request.get_data()
        try:
            verifier.verify(request.headers, body)
        except RequestRejected:
            return {"error": "bad request"}, 400
        envelope = serializer.deserialize(body.decode(), RequestEnvelope)
        response = skill.invoke(request_envelope=envelope, context=None)
        return json.dumps(serializer.serialize(response)), 200, {"Content-Type": "application/json"}

    return app
