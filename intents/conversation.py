"""One turn of conversation: a request in, a reply out, the household's state saved in between."""

from __future__ import annotations

import dataclasses
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Engine

from intents.audience import DEFAULT_AUDIENCE, audience_of
from intents.content import Content
from intents.handlers import route
from intents.matcher import HARD_MOMENTS, IntentRequest
from intents.reply import Reply, Speech
from intents.responses import Responses
from intents.store.database import in_transaction
from intents.store.repository import Household, Store
from intents.turn import Clock, Handler, Turn, utc_now

log = logging.getLogger(__name__)

LAUNCH = "Launch"
"""The request a front end sends when somebody opens the companion without asking anything."""
PENDING_TTL = timedelta(minutes=5)
"""An unanswered question is forgotten after this long."""
CONFIRM_TTL = timedelta(minutes=2)
"""A question whose "yes" destroys something expires sooner."""
DESTRUCTIVE = frozenset({"forget"})
LOOK = "Look"
"""The request of a turn that only looks (Conversation.look): no handler answers it."""
T = TypeVar("T")


def zone(name: str | None, default: str) -> ZoneInfo:
    for candidate in (name, default, "UTC"):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


class Conversation:
    """The shared core behind every front end."""

    def __init__(
        self,
        engine: Engine,
        content: Content,
        responses: Responses,
        *,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        default_timezone: str = "UTC",
        default_audience: str = DEFAULT_AUDIENCE,
    ) -> None:
        self.engine = engine
        self.content = content
        self.responses = responses
        self.clock = clock
        self.rng = rng or random.Random()
        self.default_timezone = default_timezone
        self.default_audience = default_audience
        """Who a household is until it says (couple, friends or solo)."""
        self.route: Callable[[Turn], Handler] = route

    def handle(
        self,
        household_key: str,
        request: IntentRequest,
        *,
        person_key: str | None = None,
        request_id: str | None = None,
        timezone: str | None = None,
        session: str | None = None,
        country: str | None = None,
        announces: bool = True,
    ) -> Reply:
        """Answer one request in one transaction (retried as a whole if the database is busy).

        `session` names the conversation (Alexa's sessionId, the voice loop's open window, the
        chat process): a question asked in one conversation is never answered from another.
        `announces` is False for a front end that cannot speak up by itself (Alexa): the end of
        phone-free time then needs a reminder, which is only created when people say yes to it.
        """
        context = _Context(person_key, request_id, timezone, session, country, announces)
        return in_transaction(
            self.engine, lambda conn: self._turn(conn, household_key, request, context)
        )

    def look(self, household_key: str, read: Callable[[Turn], T]) -> T:
        """Run `read` on a turn of the household that answers nothing (the home page looking in):
        what it claims is kept, but the conversation's state is not saved, so looking never
        changes what a spoken conversation is in the middle of."""
        context = _Context(None, None, None, None, None, True)
        return in_transaction(
            self.engine,
            lambda conn: read(self._open_turn(conn, household_key, IntentRequest(LOOK), context)),
        )

    def _open_turn(
        self, conn: Connection, household_key: str, request: IntentRequest, context: _Context
    ) -> Turn:
        """The household (created on first use), its state, and everything a handler may use."""
        person_key, timezone = context.person_key, context.timezone
        store = Store(conn)
        now = self.clock()
        tz_name = str(zone(timezone, self.default_timezone)) if timezone else self.default_timezone
        household, state = store.household_and_state(household_key, tz_name, now)
        if timezone and household.timezone != tz_name:
            store.set_timezone(household.id, tz_name)
            household = Household(household.id, household.key, tz_name)
        person = store.person_for_key(household.id, person_key) if person_key else None
        return Turn(
            request=request,
            household=household,
            person=person,
            store=store,
            state=state,
            now=now,
            tz=zone(household.timezone, self.default_timezone),
            rng=self.rng,
            content=self.content,
            responses=self.responses,
            request_id=context.request_id,
            country=context.country,
            default_audience=self.default_audience,
            announces=context.announces,
        )

    def _turn(
        self,
        conn: Connection,
        household_key: str,
        request: IntentRequest,
        context: _Context,
    ) -> Reply:
        turn = self._open_turn(conn, household_key, request, context)
        household, store, now = turn.household, turn.store, turn.now
        turn.pending = _still_pending(turn.state, context.session, now)
        handler = self.route(turn)
        private = request.name in HARD_MOMENTS  # neither logged nor kept for "repeat"
        log.info("intent %s household %s", "(private)" if private else request.name, household.id)
        reply = handler(turn)
        if turn.effects:
            reply = dataclasses.replace(reply, effects=tuple(turn.effects) + reply.effects)
        if not turn.forgotten:
            if "pending" in turn.state:
                turn.state["pending_session"] = context.session
                turn.state["pending_at"] = now.isoformat()
            if private:
                turn.state.pop("last", None)
            elif request.name != "Repeat":
                turn.state["last"] = {
                    "speech": reply.speech.to_data(),
                    "reprompt": reply.reprompt.to_data() if reply.reprompt else None,
                }
            store.save_state(household.id, turn.state, now)
        return reply

    def announcement(self, key: str, household_key: str | None = None) -> Speech:
        """Something said unprompted: a reminder or the end of phone-free time, worded for the
        household when it is named (someone on their own hears no "each other")."""
        if household_key is not None:
            key = self.responses.for_audience(key, self.audience(household_key))
        return self.responses.render(key, self.rng)

    def audience(self, household_key: str) -> str:
        """Who the household said it is, else the setting; read without changing anything."""

        def read(conn: Connection) -> str:
            store = Store(conn)
            household = store.find_household(household_key)
            state = store.state(household.id) if household else {}
            return audience_of(state, self.default_audience)

        return in_transaction(self.engine, read)


@dataclass(frozen=True)
class _Context:
    person_key: str | None
    request_id: str | None
    timezone: str | None
    session: str | None
    country: str | None
    announces: bool


def _still_pending(state: dict[str, Any], session: str | None, now: datetime) -> str | None:
    """What the last reply asked, if it was asked in this conversation and not too long ago."""
    pending = state.pop("pending", None)
    asked_in = state.pop("pending_session", None)
    asked_at = state.pop("pending_at", None)
    if pending is None:
        return None
    if asked_in != session or not asked_at:
        return None
    try:
        age = now - datetime.fromisoformat(asked_at)
    except (TypeError, ValueError):
        return None
    limit = CONFIRM_TTL if pending in DESTRUCTIVE else PENDING_TTL
    return pending if timedelta(0) <= age <= limit else None
