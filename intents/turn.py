"""What a handler is given (a Turn) and the handler type, shared by conversation and handlers."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from intents.audience import DEFAULT_AUDIENCE, audience_of, romance_of
from intents.content import Content
from intents.matcher import IntentRequest
from intents.reply import Reply, Speech
from intents.responses import Responses
from intents.store.repository import Household, Person, Store

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Turn:
    """Everything a handler may use; handlers touch nothing else."""

    request: IntentRequest
    household: Household
    person: Person | None
    store: Store
    state: dict[str, Any]
    """The household's conversation state; saved after the handler returns."""
    now: datetime
    tz: ZoneInfo
    rng: random.Random
    content: Content
    responses: Responses
    request_id: str | None = None
    country: str | None = None
    """ISO country code of the household, for help lines (from the Alexa locale or a setting)."""
    announces: bool = True
    """Whether the front end can speak up by itself (the voice loop, the chat); Alexa cannot, so
    it needs a reminder, with consent, to say when phone-free time is over."""
    pending: str | None = None
    """What the previous reply asked for (a rating, a yes or no...), taken out of the state."""
    forgotten: bool = False
    """Set by Forget us: nothing more may be written for this household in this turn."""
    effects: list[Any] = field(default_factory=list)
    default_audience: str = DEFAULT_AUDIENCE
    """Who the household is when it has not said (a setting of the front end)."""

    @property
    def audience(self) -> str:
        """couple, friends or solo: what the household said, else the setting."""
        return audience_of(self.state, self.default_audience)

    @property
    def romance(self) -> bool:
        """Whether romantic questions may be asked (couples who opted in)."""
        return romance_of(self.state, self.audience)

    @property
    def today(self) -> date:
        """The household's calendar day: tonight's question changes at local midnight."""
        return self.now.astimezone(self.tz).date()

    def say(self, key: str, question: str | None = None, **values: object) -> Speech:
        """A reply in the household's own words: `key@solo` or `key@friends` when there is one."""
        key = self.responses.for_audience(key, self.audience)
        return self.responses.render(key, self.rng, question=question, **values)

    def slot(self, name: str) -> str | None:
        value = self.request.slots.get(name)
        return value if value else None


Handler = Callable[[Turn], Reply]
