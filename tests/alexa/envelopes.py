"""Alexa request envelopes, shaped like the ones Alexa sends."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

SKILL_ID = "amzn1.ask.skill.00000000-1111-2222-3333-444444444444"
USER_ID = "amzn1.ask.account.TESTUSER"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


def envelope(
    request: dict[str, Any],
    now: datetime,
    user_id: str = USER_ID,
    skill_id: str = SKILL_ID,
    api_endpoint: str = "https://api.amazonalexa.com",
    api_token: str | None = "test-access-token",
    person_id: str | None = None,
    new_session: bool = True,
    session_id: str | None = None,
) -> dict[str, Any]:
    request = {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locale": "en-US",
        **request,
    }
    system: dict[str, Any] = {
        "application": {"applicationId": skill_id},
        "user": {"userId": user_id},
        "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}},
        "apiEndpoint": api_endpoint,
    }
    if api_token:
        system["apiAccessToken"] = api_token
    if person_id:
        system["person"] = {"personId": person_id}
    return {
        "version": "1.0",
        "session": {
            "new": new_session,
            "sessionId": session_id or new_session_id(),
            "application": {"applicationId": skill_id},
            "user": {"userId": user_id},
            "attributes": {},
        },
        "context": {"System": system},
        "request": request,
    }


def new_session_id() -> str:
    return f"amzn1.echo-api.session.{uuid.uuid4()}"


def launch() -> dict[str, Any]:
    return {"type": "LaunchRequest"}


def intent(name: str, **slots: str) -> dict[str, Any]:
    return {
        "type": "IntentRequest",
        "dialogState": "COMPLETED",
        "intent": {
            "name": name,
            "confirmationStatus": "NONE",
            "slots": {
                k: {"name": k, "value": v, "confirmationStatus": "NONE"} for k, v in slots.items()
            },
        },
    }


def resolved_slot(request: dict[str, Any], slot: str, spoken: str, canonical: str) -> dict:
    """Add entity resolution to a custom-type slot, as Alexa does for a synonym."""
    request["intent"]["slots"][slot] = {
        "name": slot,
        "value": spoken,
        "confirmationStatus": "NONE",
        "resolutions": {
            "resolutionsPerAuthority": [
                {
                    "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.QuestionDepth",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": canonical, "id": canonical}}],
                }
            ]
        },
    }
    return request


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()
