"""Carry out the core's effects through Alexa's Reminders API, with timeouts and kind failures."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
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
DELETIONS_DEADLINE_S = 3.0
"""All the remote deletions of one request together, however many reminders are pending."""
DELETIONS_AT_ONCE = 8
DELETIONS_PER_REQUEST = 64
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


EFFECTS_AT_ONCE = 8
EFFECTS_DEADLINE_S = 3.0
"""Reminder calls run side by side; the reply leaves after at most this long (Alexa allows 8 s).
A call still running then is reported as not done, and stores its token if it completes."""


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
    """A Reminders API request: SCHEDULED_ABSOLUTE daily, or once for a plan (no recurrence),
    or SCHEDULED_RELATIVE for a timer."""
    if isinstance(effect, ScheduleReminder) and effect.on is not None:
        trigger = Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            scheduled_time=f"{effect.on.isoformat()}T{effect.at.strftime('%H:%M')}:00",
            time_zone_id=effect.timezone,
        )
    elif isinstance(effect, ScheduleReminder):
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
    pool = ThreadPoolExecutor(max_workers=min(EFFECTS_AT_ONCE, len(effects)))
    futures = {pool.submit(_apply, e, client, engine, now, locale): e for e in effects}
    finished, late = wait(futures, timeout=EFFECTS_DEADLINE_S)
    pool.shutdown(wait=False, cancel_futures=True)  # a late call finishes (and stores) later
    for future in finished:
        effect = futures[future]
        try:
            future.result()
            outcome.done.append(effect)
        except PermissionNeeded:
            outcome.permission_needed = True
        except ServiceException as error:
            log.warning("reminders API error %s for %s", error.status_code, type(effect).__name__)
            outcome.failed = True
        except Exception as error:  # a network error: not set, and said so
            log.warning("reminders API unreachable: %s", error.__class__.__name__)
            outcome.failed = True
    if late:
        log.warning("%d reminders API calls still running at the deadline", len(late))
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


@dataclass
class Deletions:
    confirmed: int = 0
    pending: int = 0


def delete_remotely(
    owner_key: str,
    client_factory: Callable[[], ReminderManagementServiceClient | None],
    engine: Engine,
) -> Deletions:
    """Delete the household's Amazon reminders still queued, concurrently, within a deadline.

    A token is forgotten only when Amazon confirms (or says it has no such reminder); one that
    failed or ran out of time stays queued for the household's next request. Nothing here
    delays the reply by more than DELETIONS_DEADLINE_S.
    """
    tokens = in_transaction(
        engine, lambda conn: Store(conn).remote_deletions(owner_key, DELETIONS_PER_REQUEST)
    )
    if not tokens:
        return Deletions()
    client = client_factory()
    if client is None:
        return Deletions(pending=len(tokens))
    pool = ThreadPoolExecutor(max_workers=min(DELETIONS_AT_ONCE, len(tokens)))
    futures = {pool.submit(_delete_one, client, token): token for token in tokens}
    finished, _late = wait(futures, timeout=DELETIONS_DEADLINE_S)
    pool.shutdown(wait=False, cancel_futures=True)
    confirmed = [futures[f] for f in finished if f.result()]
    failed = [t for t in tokens if t not in confirmed]

    def record(conn: Any) -> None:
        store = Store(conn)
        for token in confirmed:
            store.deleted_remotely(owner_key, token)
        for token in failed:
            store.remote_deletion_failed(owner_key, token)

    in_transaction(engine, record)
    if failed:
        log.warning("%d Amazon reminder deletions left for a later request", len(failed))
    return Deletions(confirmed=len(confirmed), pending=len(failed))


def _delete_one(client: ReminderManagementServiceClient, token: str) -> bool:
    """True when Amazon no longer has the reminder."""
    try:
        client.delete_reminder(token)
        return True
    except ServiceException as error:
        if error.status_code != 404:
            log.warning("reminder deletion failed: %s %s", error.status_code, error)
        return error.status_code == 404
    except Exception as error:  # a worker must answer, whatever went wrong
        log.warning("reminder deletion failed: %s", error.__class__.__name__)
        return False
