"""ask-sdk-core handlers that adapt Alexa requests to the shared core and its replies back."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dt_time
from typing import Any

from ask_sdk_core.api_client import ApiClient
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Intent, Response, Slot
from ask_sdk_model.canfulfill import (
    CanFulfillIntent,
    CanFulfillIntentValues,
    CanFulfillSlot,
    CanFulfillSlotValues,
    CanUnderstandSlotValues,
)
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import AskForPermissionsConsentCard, SimpleCard

from intents.companion import Companion
from intents.conversation import LAUNCH
from intents.matcher import FALLBACK, IntentRequest
from intents.reply import Reply, ScheduleReminder, Speech, StartTimer
from intents.spoken import say_list, say_time
from intents.store.database import StoreBusy, in_transaction
from intents.store.repository import Store
from skill.effects import REMINDERS_SCOPE, Outcome, carry_out, delete_remotely
from skill.screens import render, supports_apl
from skill.ssml import to_ssml

log = logging.getLogger(__name__)

EXTRA_ALEXA_NAMES = {
    "AMAZON.FallbackIntent": FALLBACK,
    "AMAZON.NavigateHomeIntent": "Stop",
}
PERMISSION_TOKEN = "reminders-permission"
TIMEZONE_CACHE_SIZE = 1024


@dataclass
class SkillContext:
    companion: Companion
    clock: Callable[[], datetime]
    rng: random.Random


class TimeZones:
    """Device time zones from the Alexa Settings API, cached per device (bounded).

    A failed lookup is remembered too, for a while, so an unreachable API costs one timeout per
    device per hour rather than one per request.
    """

    def __init__(self, size: int = TIMEZONE_CACHE_SIZE, retry_after_s: float = 3600.0) -> None:
        self._zones: OrderedDict[str, tuple[str | None, float]] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size
        self.retry_after_s = retry_after_s

    def lookup(self, handler_input: HandlerInput) -> str | None:
        system = handler_input.request_envelope.context.system
        device_id = getattr(system.device, "device_id", None)
        if not device_id or not system.api_access_token:
            return None
        now = time.monotonic()
        with self._lock:
            cached = self._zones.get(device_id)
            if cached is not None and (cached[0] is not None or cached[1] > now):
                return cached[0]
        zone: str | None = None
        try:
            client = handler_input.service_client_factory.get_ups_service()
            found = client.get_system_time_zone(device_id)
            zone = found if isinstance(found, str) else None
        except Exception as error:  # settings are a nicety: the household's zone stays in use
            log.info("time zone lookup failed: %s", error.__class__.__name__)
        with self._lock:
            self._zones[device_id] = (zone, now + self.retry_after_s)
            self._zones.move_to_end(device_id)
            while len(self._zones) > self.size:
                self._zones.popitem(last=False)
        return zone


def household_key(handler_input: HandlerInput) -> str:
    return "alexa:" + handler_input.request_envelope.context.system.user.user_id


def person_key(handler_input: HandlerInput) -> str | None:
    person = getattr(handler_input.request_envelope.context.system, "person", None)
    return getattr(person, "person_id", None) if person else None


def session_id(handler_input: HandlerInput) -> str:
    """Alexa's session: a question asked in one session is never answered in another."""
    envelope = handler_input.request_envelope
    found = getattr(envelope.session, "session_id", None)
    return "alexa:" + (found or f"request:{envelope.request.request_id}")


def country_of(locale: str | None) -> str | None:
    """ "en-GB" -> "GB", for the help lines of the household's country."""
    if locale and "-" in locale:
        return locale.split("-", 1)[1].upper()
    return None


def slot_values(intent: Intent) -> dict[str, str]:
    """Slot values, preferring the canonical value of a custom type's entity resolution."""
    values: dict[str, str] = {}
    for name, slot in (intent.slots or {}).items():
        value = _resolved(slot) or slot.value
        if value:
            values[name] = str(value)[:200]
    return values


def _resolved(slot: Slot) -> str | None:
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH:
            for item in authority.values or []:
                return item.value.name
    return None


class CoreHandler(AbstractRequestHandler):
    """LaunchRequest and every IntentRequest go to the shared core."""

    def __init__(self, ctx: SkillContext, timezones: TimeZones) -> None:
        self.ctx = ctx
        self.timezones = timezones
        catalog = ctx.companion.catalog
        self.names = {catalog.alexa_name(n): n for n in catalog.intent_names}
        self.names.update(EXTRA_ALEXA_NAMES)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input) or is_request_type("IntentRequest")(
            handler_input
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if is_request_type("LaunchRequest")(handler_input):
            core = IntentRequest(LAUNCH)
        else:
            intent = request.intent
            finder = self.ctx.companion.matcher.slots
            slots = {}
            for name, value in slot_values(intent).items():
                known = finder.canonical(name, value)  # unresolved "romantic" is dropped
                if known is not None:
                    slots[name] = known
            core = IntentRequest(self.names.get(intent.name, FALLBACK), slots)
        reply = self.ctx.companion.reply_to(
            household_key(handler_input),
            core,
            person_key=person_key(handler_input),
            request_id=request.request_id,
            timezone=self.timezones.lookup(handler_input),
            session=session_id(handler_input),
            country=country_of(request.locale),
            announces=False,
        )
        return respond(handler_input, self.ctx, reply)


def respond(handler_input: HandlerInput, ctx: SkillContext, reply: Reply) -> Response:
    """Carry out effects, then render the reply; ask for permission when Amazon says so."""
    speech = reply.speech
    builder = handler_input.response_builder
    outcome = carry_out(
        reply.effects,
        lambda: _reminders_client(handler_input),
        ctx.companion.engine,
        ctx.clock(),
        handler_input.request_envelope.request.locale or "en-US",
    )
    delete_remotely(
        household_key(handler_input), lambda: _reminders_client(handler_input), ctx.companion.engine
    )
    responses = ctx.companion.conversation.responses
    speech = said_truly(speech, reply.effects, outcome, responses, ctx.rng)
    if outcome.permission_needed:
        builder.speak(to_ssml(speech))
        builder.add_directive(ask_for_reminders_permission())
        return builder.response
    builder.speak(to_ssml(speech))
    if reply.reprompt is not None and not reply.end_session:
        builder.ask(to_ssml(reply.reprompt))
    if reply.card is not None:
        builder.set_card(SimpleCard(reply.card.title, reply.card.text))
    shown = screen_for(handler_input, ctx, reply)
    if shown is not None:
        builder.add_directive(shown)
    builder.set_should_end_session(reply.end_session or reply.reprompt is None)
    return builder.response


def screen_for(
    handler_input: HandlerInput, ctx: SkillContext, reply: Reply
) -> RenderDocumentDirective | None:
    """What the reply shows, only on a device that says it has an APL screen."""
    if reply.screen is None:
        return None
    device = handler_input.request_envelope.context.system.device
    apl = getattr(getattr(device, "supported_interfaces", None), "alexa_presentation_apl", None)
    runtime = getattr(apl, "runtime", None)
    if not supports_apl(apl is not None, getattr(runtime, "max_version", None)):
        return None
    locale = handler_input.request_envelope.request.locale
    shown = render(reply.screen, ctx.companion.conversation.responses, locale)
    return RenderDocumentDirective(
        token=shown.token, document=shown.document, datasources=shown.datasources
    )


def said_truly(
    speech: Speech, effects: tuple[Any, ...], outcome: Outcome, responses: Any, rng: random.Random
) -> Speech:
    """The reply, unless it announces a reminder Amazon did not create: then it says what really
    happened (kept, and waiting for permission; or the service could not be reached), never
    "Done, every day at nine" followed by "I need permission"."""
    wanted = [e for e in effects if isinstance(e, ScheduleReminder | StartTimer)]
    missing = [e for e in wanted if e not in outcome.done]
    if not missing:
        if outcome.failed:
            return speech + responses.render("alexa_reminders_unavailable", rng)
        return speech
    daily = next((e for e in missing if isinstance(e, ScheduleReminder)), None)
    if daily is not None and daily.on is not None:
        kept = responses.render("alexa_plan_kept", rng, **_when(daily, responses))
    elif daily is not None:
        kept = responses.render("alexa_reminder_kept", rng, time=say_time(daily.at, responses))
    else:
        kept = responses.render("alexa_phone_free_running", rng)
    if outcome.permission_needed:
        return kept + responses.render("alexa_reminder_permission", rng)
    return kept + responses.render("alexa_reminders_unavailable", rng)


def _when(plan: ScheduleReminder, responses: Any) -> dict[str, str]:
    """A plan's day and time as they are said: "Saturday", "seven in the evening"."""
    assert plan.on is not None
    return {"day": plan.on.strftime("%A"), "time": say_time(plan.at, responses)}


def _stored_time(value: str) -> dt_time | None:
    """A time the database kept: a machine value, never re-read with the speech parser."""
    try:
        return dt_time.fromisoformat(value)
    except ValueError:
        log.warning("a stored reminder time could not be read")
        return None


def _reminders_client(handler_input: HandlerInput) -> Any:
    if not handler_input.request_envelope.context.system.api_access_token:
        return None
    return handler_input.service_client_factory.get_reminder_management_service()


def ask_for_reminders_permission() -> SendRequestDirective:
    return SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=PERMISSION_TOKEN,
    )


class PermissionAnswerHandler(AbstractRequestHandler):
    """Connections.Response to our AskFor: accepted, denied or not answered."""

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        """Only the answer to our own AskFor for the reminders scope (not Buy, Upsell, ...)."""
        if not is_request_type("Connections.Response")(handler_input):
            return False
        request = handler_input.request_envelope.request
        scope = (getattr(request, "payload", None) or {}).get("permissionScope", REMINDERS_SCOPE)
        return (
            getattr(request, "name", None) == "AskFor"
            and getattr(request, "token", None) in (PERMISSION_TOKEN, None)
            and scope == REMINDERS_SCOPE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        payload = request.payload or {}
        status = str(payload.get("status", "NOT_ANSWERED")).upper()
        responses = self.ctx.companion.conversation.responses
        builder = handler_input.response_builder
        if status == "ACCEPTED":
            speech = self._schedule_pending(handler_input)
        elif status == "DENIED":
            speech = responses.render("alexa_permission_denied", self.ctx.rng)
        else:
            speech = responses.render("alexa_reminder_permission_card", self.ctx.rng)
            builder.set_card(AskForPermissionsConsentCard(permissions=[REMINDERS_SCOPE]))
        return builder.speak(to_ssml(speech)).set_should_end_session(True).response

    def _schedule_pending(self, handler_input: HandlerInput) -> Speech:
        """Create on Amazon's side every reminder that waited for permission (the daily ones and
        a wanted end of phone-free time), side by side, and say only what really happened."""
        companion = self.ctx.companion
        key = household_key(handler_input)
        now = self.ctx.clock()
        said = companion.conversation.announcement  # worded for the household (alone or not)
        text = said("reminder_announcement", key).plain
        plan = said("plan_announcement", key).plain
        end = said("phone_free_end", key).plain

        def pending(conn: Any) -> list[ScheduleReminder | StartTimer]:
            store = Store(conn)
            household = store.find_household(key)
            if household is None:
                return []
            waiting: list[ScheduleReminder | StartTimer] = [
                ScheduleReminder(
                    r.id, at, household.timezone, plan if r.on_date else text, on=r.on_date
                )
                for r in store.reminders(household.id)
                if r.token is None and (at := _stored_time(r.at_time)) is not None
            ]
            timer = store.active_timer(household.id, now)
            wanted = store.state(household.id).get("end_reminder")
            if timer is not None and timer.token is None and wanted == timer.id:
                waiting.append(StartTimer(timer.id, timer.ends_at, end))
            return waiting

        effects = tuple(in_transaction(companion.engine, pending))
        outcome = carry_out(
            effects,
            lambda: _reminders_client(handler_input),
            companion.engine,
            now,
            handler_input.request_envelope.request.locale or "en-US",
        )
        responses = companion.conversation.responses
        rng = self.ctx.rng
        daily = [e for e in outcome.done if isinstance(e, ScheduleReminder) and e.on is None]
        plans = [e for e in outcome.done if isinstance(e, ScheduleReminder) and e.on is not None]
        timer_set = any(isinstance(e, StartTimer) for e in outcome.done)
        parts = []
        if daily:
            times = say_list([say_time(e.at, responses) for e in daily], responses)
            parts.append(responses.render("alexa_permission_accepted_daily", rng, times=times))
        for plan in plans:
            parts.append(
                responses.render("alexa_permission_accepted_plan", rng, **_when(plan, responses))
            )
        if timer_set:
            parts.append(responses.render("alexa_permission_accepted_timer", rng))
        if len(outcome.done) < len(effects):
            parts.append(responses.render("alexa_reminders_unavailable", rng))
        if not parts:
            return responses.render("alexa_permission_accepted", rng)
        speech = parts[0]
        for part in parts[1:]:
            speech = speech + part
        return speech


SILENT_REQUESTS = (
    "System.ExceptionEncountered",
    "AlexaSkillEvent.",
    "AudioPlayer.",
    "PlaybackController.",
    "Messaging.MessageReceived",
    "Alexa.Presentation.APL.RuntimeError",
)
"""Request types that must get no speech at all (Alexa forbids or ignores it)."""


class SilentHandler(AbstractRequestHandler):
    """Requests that must get no speech at all: errors Alexa reports about our last response,
    skill events (enabled, disabled, permissions changed...), audio player and playback controller
    events, and messages. A log line and an empty reply."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        kind = handler_input.request_envelope.request.object_type or ""
        return kind.startswith(SILENT_REQUESTS)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = getattr(request, "error", None) or next(
            iter(getattr(request, "errors", None) or []), None
        )
        log.warning(
            "%s: %s",
            request.object_type,
            getattr(error, "object_type", None) or getattr(error, "message", None) or "no detail",
        )
        return handler_input.response_builder.response


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class CanFulfillHandler(AbstractRequestHandler):
    """Name-free interaction: say YES only for our own intents and slots we understand."""

    def __init__(self, ctx: SkillContext) -> None:
        catalog = ctx.companion.catalog
        self.known = {catalog.alexa_name(n): n for n in catalog.intent_names}
        self.catalog = catalog
        self.finder = ctx.companion.matcher.slots

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("CanFulfillIntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        """YES only when every slot is one we understand and can act on; a slot we cannot
        fulfil makes the whole answer NO (never a YES with a NO slot)."""
        intent = handler_input.request_envelope.request.intent
        ours = (
            intent is not None
            and intent.name in self.known
            and not intent.name.startswith("AMAZON.")
        )
        slots = {}
        if ours:
            expected = set(self.catalog.slots_of(self.known[intent.name]))
            for name, slot in (intent.slots or {}).items():
                said = slot_values(Intent(name=intent.name, slots={name: slot})).get(name)
                understood = name in expected and (
                    said is None or self.finder.understands(name, said)
                )
                yes_no = CanUnderstandSlotValues.YES if understood else CanUnderstandSlotValues.NO
                slots[name] = CanFulfillSlot(
                    can_understand=yes_no,
                    can_fulfill=CanFulfillSlotValues.YES if understood else CanFulfillSlotValues.NO,
                )
        fulfils = ours and all(s.can_fulfill == CanFulfillSlotValues.YES for s in slots.values())
        verdict = CanFulfillIntentValues.YES if fulfils else CanFulfillIntentValues.NO
        handler_input.response_builder.set_can_fulfill_intent(
            CanFulfillIntent(can_fulfill=verdict, slots=slots or None)
        )
        return handler_input.response_builder.response


class UnknownRequestHandler(AbstractRequestHandler):
    """Any other request type gets a graceful spoken reply."""

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        speech = self.ctx.companion.conversation.responses.render(
            "alexa_unknown_request", self.ctx.rng
        )
        return handler_input.response_builder.speak(to_ssml(speech)).response


class ApologyHandler(AbstractExceptionHandler):
    """The last line of defence: a spoken apology, never an error page."""

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        key = "alexa_busy" if isinstance(exception, StoreBusy) else "alexa_apology"
        log.error("handler failed: %s", exception.__class__.__name__, exc_info=exception)
        speech = self.ctx.companion.conversation.responses.render(key, self.ctx.rng)
        return handler_input.response_builder.speak(to_ssml(speech)).response


def build_skill(ctx: SkillContext, api_client: ApiClient, skill_id: str | None) -> CustomSkill:
    builder = CustomSkillBuilder(api_client=api_client)
    if skill_id:
        builder.skill_id = skill_id
    timezones = TimeZones()
    builder.add_request_handler(CanFulfillHandler(ctx))
    builder.add_request_handler(CoreHandler(ctx, timezones))
    builder.add_request_handler(PermissionAnswerHandler(ctx))
    builder.add_request_handler(SessionEndedHandler())
    builder.add_request_handler(SilentHandler())
    builder.add_request_handler(UnknownRequestHandler(ctx))
    builder.add_exception_handler(ApologyHandler(ctx))
    return builder.create()
