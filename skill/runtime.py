"""One skill however Alexa reaches it: what the Flask endpoint and the Lambda handler share.

Both build the skill here (companion, context, ask-sdk skill) and answer a request body here
(deserialise, check, invoke, serialise), so the two front doors cannot drift apart.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ask_sdk_core.api_client import ApiClient
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope, Response, ResponseEnvelope
from ask_sdk_model.request import Request

from intents.companion import Companion
from skill.alexa import SkillContext, build_skill
from skill.verification import MalformedRequest, application_id

log = logging.getLogger(__name__)


class OtherSkill(Exception):
    """The request names another skill's id: it is refused, never answered."""


@dataclass(frozen=True)
class UnknownRequest:
    """A well-formed request of a type this SDK version does not know (Amazon adds types over
    time): it gets an empty response rather than being mistaken for a malformed one."""

    kind: str
    application_id: str | None


Parsed = RequestEnvelope | UnknownRequest


@dataclass
class SkillRuntime:
    """The built skill and the companion behind it."""

    skill: CustomSkill
    companion: Companion
    skill_id: str | None
    serializer: DefaultSerializer = field(default_factory=DefaultSerializer)

    def parse(self, body: str) -> Parsed:
        """The request envelope, checked for the fields the skill relies on.

        Raises MalformedRequest for anything that is not a usable Alexa request."""
        try:
            data = json.loads(body)
        except ValueError as error:
            raise MalformedRequest("body is not JSON") from error
        if not isinstance(data, dict) or not isinstance(data.get("request"), dict):
            raise MalformedRequest("not an Alexa request envelope")
        try:
            envelope = self.serializer.deserialize(body, RequestEnvelope)
        except Exception as error:  # the SDK's own parsing: a bad request, not our fault
            unknown = _unknown_request(data)
            if unknown is not None:
                return unknown
            raise MalformedRequest(f"unparseable ({error.__class__.__name__})") from error
        require_fields(envelope)
        return envelope

    def respond(self, parsed: Parsed, context: Any = None) -> dict[str, Any]:
        """The response envelope as a JSON-ready dict. Raises OtherSkill for another skill's
        request; any other exception is the skill's own fault."""
        if isinstance(parsed, UnknownRequest):
            if self.skill_id and parsed.application_id != self.skill_id:
                raise OtherSkill("request is for another skill")
            log.info("request type unknown to the SDK, answered empty: %s", parsed.kind[:80])
            return self.serializer.serialize(ResponseEnvelope(version="1.0", response=Response()))
        try:
            response = self.skill.invoke(request_envelope=parsed, context=context)
        except AskSdkException as error:
            if "skill id" in str(error).lower():
                raise OtherSkill(str(error)) from error
            raise
        return self.serializer.serialize(response)


def build_runtime(
    companion: Companion,
    clock: Callable[[], datetime],
    skill_id: str | None,
    api_client: ApiClient,
    rng: random.Random | None = None,
) -> SkillRuntime:
    """The skill on top of a companion; the SDK checks every request's skill id when one is set."""
    ctx = SkillContext(companion, clock, rng or random.Random())
    return SkillRuntime(build_skill(ctx, api_client, skill_id), companion, skill_id)


def empty_response() -> dict[str, Any]:
    """A response that says nothing and ends the session."""
    return DefaultSerializer().serialize(ResponseEnvelope(version="1.0", response=Response()))


def require_fields(envelope: RequestEnvelope) -> None:
    system = envelope.context.system if envelope.context else None
    if envelope.request is None or system is None or system.user is None or not system.user.user_id:
        raise MalformedRequest("request, context.System or user missing")
    if not envelope.request.request_id or not envelope.request.object_type:
        raise MalformedRequest("request id or type missing")
    if system.application is None or not system.application.application_id:
        raise MalformedRequest("context.System.application missing")


def _unknown_request(data: dict[str, Any]) -> UnknownRequest | None:
    request = data["request"]
    kind = request.get("type")
    if not isinstance(kind, str) or kind in Request.discriminator_value_class_map:
        return None
    context = data.get("context")
    system = context.get("System") if isinstance(context, dict) else None
    user = system.get("user") if isinstance(system, dict) else None
    if not (isinstance(user, dict) and user.get("userId") and request.get("requestId")):
        return None
    found = application_id({"context": context})
    return UnknownRequest(kind, found) if found else None
