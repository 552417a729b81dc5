"""Alexa request envelopes, shaped like the ones Alexa sends."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
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
    screen: Viewport | None = None,
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
    data = {
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
    return with_screen(data, screen) if screen else data


@dataclass(frozen=True)
class Viewport:
    """A device screen as Alexa describes it (sizes in pixels)."""

    shape: str
    pixel_width: int
    pixel_height: int
    dpi: int
    max_version: str = "2023.3"
    """The newest APL version the device's runtime reads."""


ECHO_SHOW_5 = Viewport("RECTANGLE", 960, 480, 160)
ECHO_SHOW_8 = Viewport("RECTANGLE", 1280, 800, 213)
ECHO_SHOW_15 = Viewport("RECTANGLE", 1920, 1080, 160)
ECHO_SPOT = Viewport("ROUND", 480, 480, 160)


def with_screen(data: dict[str, Any], viewport: Viewport) -> dict[str, Any]:
    """Mark the envelope's device as one with an APL screen, as an Echo Show reports it."""
    system = data["context"]["System"]
    system["device"]["supportedInterfaces"]["Alexa.Presentation.APL"] = {
        "runtime": {"maxVersion": viewport.max_version}
    }
    size = {"pixelWidth": viewport.pixel_width, "pixelHeight": viewport.pixel_height}
    data["context"]["Viewport"] = {
        "experiences": [{"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False}],
        "mode": "HUB",
        "shape": viewport.shape,
        **size,
        "currentPixelWidth": viewport.pixel_width,
        "currentPixelHeight": viewport.pixel_height,
        "dpi": viewport.dpi,
        "touch": ["SINGLE"],
        "video": {"codecs": ["H_264_42", "H_264_41"]},
    }
    data["context"]["Viewports"] = [
        {
            "type": "APL",
            "id": "main",
            "shape": viewport.shape,
            "dpi": viewport.dpi,
            "presentationType": "STANDARD",
            "canRotate": False,
            "configuration": {
                "current": {"mode": "HUB", "size": {"type": "DISCRETE", **size}},
            },
        }
    ]
    return data


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
