"""Everything a front end needs, assembled once: catalog, matcher, content, wording, database."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from intents.audience import DEFAULT_AUDIENCE, parse_audience
from intents.catalog import Catalog
from intents.content import Content
from intents.conversation import Clock, Conversation, utc_now
from intents.matcher import HARD_MOMENTS, IntentRequest, Matcher
from intents.reply import Reply
from intents.responses import Responses
from intents.store.database import open_engine

FREE_TEXT_SLOTS = ("appreciation",)


@dataclass
class Companion:
    catalog: Catalog
    matcher: Matcher
    conversation: Conversation

    @property
    def engine(self) -> Engine:
        return self.conversation.engine

    def reply_to_text(self, household_key: str, text: str, **context: str | bool | None) -> Reply:
        """Understand a sentence and answer it (the path of the text chat and the voice loop)."""
        return self.conversation.handle(household_key, self.matcher.match(text), **context)

    def reply_to(
        self, household_key: str, request: IntentRequest, **context: str | bool | None
    ) -> Reply:
        return self.conversation.handle(household_key, self.screen(request), **context)

    def screen(self, request: IntentRequest) -> IntentRequest:
        """A hard moment heard inside a free answer (Alexa's appreciation slot) comes first."""
        for name in FREE_TEXT_SLOTS:
            said = request.slots.get(name)
            if said and request.name not in HARD_MOMENTS:
                heard = self.matcher.match(said)
                if heard.name in HARD_MOMENTS:
                    return IntentRequest(heard.name, {}, said)
        return request


def local_country() -> str | None:
    """The household's country for help lines: $HEART_TO_HEART_COUNTRY, else the locale (en_GB)."""
    named = os.environ.get("HEART_TO_HEART_COUNTRY", "").strip()
    if named:
        return named.upper()
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        language = value.split(".", 1)[0]
        if "_" in language:
            return language.split("_", 1)[1].upper()
    return None


def local_timezone() -> str:
    """The machine's IANA time zone name (TZ, then /etc/timezone, then /etc/localtime), or UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        return name
    try:
        text = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if text:
            return text
    except OSError:
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def build_companion(
    db_url: str | None = None,
    *,
    engine: Engine | None = None,
    clock: Clock = utc_now,
    rng: random.Random | None = None,
    timezone: str | None = None,
    audience: str | None = None,
) -> Companion:
    """`audience` (couple, friends or solo) is who a household is until it says so by voice."""
    catalog = Catalog.load()
    conversation = Conversation(
        engine or open_engine(db_url),
        Content.load(),
        Responses.load(),
        clock=clock,
        rng=rng,
        default_timezone=timezone or local_timezone(),
        default_audience=parse_audience(audience) if audience else DEFAULT_AUDIENCE,
    )
    return Companion(catalog, Matcher(catalog), conversation)
