"""Carry out the core's effects through Alexa's Reminders API, with timeouts and kind failures."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse
from ask_sdk_model.services.reminder_management import (
    AlertInfo,
    PushNotification,
    PushNotificationStatus,
    Recurrence,
    RecurrenceFreq,
    ReminderManagementServiceClient,
    ReminderRequest,
    SpokenInfo,
    SpokenText,
    Trigger,
    TriggerType,
)
from ask_sdk_model.services.service_exception import ServiceException
from sqlalchemy import Engine

from intents.reply import CancelReminder, CancelTimer, Effect, ScheduleReminder, StartTimer
from intents.store.database import in_transaction
from intents.store.repository import Store

log = logging.getLogger(__name__)

API_TIMEOUT_S = 2.5
"""Well inside Alexa's eight seconds, even with two calls in one turn."""
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"


class TimeoutApiClient(ApiClient):
    """ask-sdk's ApiClient over requests, with a timeout (the default client has none)."""

    def __init__(self, timeout: float = API_TIMEOUT_S, verify: str | bool = True) -> None:
        self.timeout = timeout
        self.verify = verify
        self.session = requests.Session()

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        headers = dict(request.headers or [])
        body = request.body
        if body is not None and not isinstance(body, str):
            body = json.dumps(body)
        try:
            response = self.session.request(
                request.method,
                request.url,
                headers=headers,
                data=body,
                timeout=self.timeout,
                verify=self.verify,
            )
        except requests.RequestException as error:
            raise ServiceException(
                message=f"{error.__class__.__name__}", status_code=0, headers=[], body=None
            ) from error
        return ApiClientResponse(
            headers=list(response.headers.items()),
            status_code=response.status_code,
            body=response.text,
        )


class PermissionNeeded(Exception):
    """The API said 401 or 403: ask the customer for the reminders permission."""


@dataclass
class Outcome:
    permission_needed: bool = False
    failed: bool = False
    done: list[Effect] = field(default_factory=list)


def _spoken(text: str, locale: str) -> AlertInfo:
    return AlertInfo(SpokenInfo([SpokenText(locale=locale, text=text)]))


def reminder_request(
    effect: ScheduleReminder | StartTimer, now: datetime, locale: str
) -> ReminderRequest:
    """A Reminders API request: daily SCHEDULED_ABSOLUTE, or SCHEDULED_RELATIVE for a timer."""
    if isinstance(effect, ScheduleReminder):
        trigger = Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            scheduled_time=f"{now.astimezone(ZoneInfo(effect.timezone)).date().isoformat()}"
            f"T{effect.at.strftime('%H:%M')}:00",
            time_zone_id=effect.timezone,
            recurrence=Recurrence(
                freq=RecurrenceFreq.DAILY,
                recurrence_rules=[
                    f"FREQ=DAILY;BYHOUR={effect.at.hour};BYMINUTE={effect.at.minute};BYSECOND=0"
                ],
            ),
        )
    else:
        seconds = max(1, int((effect.ends_at - now).total_seconds()))
        trigger = Trigger(object_type=TriggerType.SCHEDULED_RELATIVE, offset_in_seconds=seconds)
    return ReminderRequest(
        request_time=now.strftime("%Y-%m-%dT%H:%M:%S"),
        trigger=trigger,
        alert_info=_spoken(effect.text, locale),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


def carry_out(
    effects: tuple[Effect, ...],
    client_factory: Callable[[], ReminderManagementServiceClient | None],
    engine: Engine,
    now: datetime,
    locale: str,
) -> Outcome:
    """Create or delete reminders for the effects; store the alert tokens Amazon returns."""
    outcome = Outcome()
    if not effects:
        return outcome
    client = client_factory()
    if client is None:
        outcome.permission_needed = any(
            isinstance(e, ScheduleReminder | StartTimer) for e in effects
        )
        return outcome
    for effect in effects:
        try:
            _apply(effect, client, engine, now, locale)
            outcome.done.append(effect)
        except PermissionNeeded:
            outcome.permission_needed = True
        except ServiceException as error:
            log.warning("reminders API error %s for %s", error.status_code, type(effect).__name__)
            outcome.failed = True
    return outcome


def _apply(
    effect: Effect,
    client: ReminderManagementServiceClient,
    engine: Engine,
    now: datetime,
    locale: str,
) -> None:
    try:
        if isinstance(effect, ScheduleReminder | StartTimer):
            response: Any = client.create_reminder(reminder_request(effect, now, locale))
            token = getattr(response, "alert_token", None)
            if isinstance(effect, ScheduleReminder):
                in_transaction(
                    engine, lambda conn: Store(conn).set_reminder_token(effect.reminder_id, token)
                )
            else:
                in_transaction(
                    engine, lambda conn: Store(conn).set_timer_token(effect.timer_id, token)
                )
        elif isinstance(effect, CancelReminder | CancelTimer) and effect.token:
            client.delete_reminder(effect.token)
    except ServiceException as error:
        if error.status_code in (401, 403):
            raise PermissionNeeded from error
        if error.status_code == 404 and isinstance(effect, CancelReminder | CancelTimer):
            return  # already gone on Amazon's side: nothing to undo
        raise
