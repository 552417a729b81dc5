"""What the config file says about a household, given to it without overwriting what it chose.

Names from the config file are a starting point: they are set only when the household has none
yet, so "we're Sam and Alex" said later is never undone at the next start. The time zone is this
computer's (or the configured one): local households live where the computer is. (The configured
audience is not stored: it is the companion's default until the household says otherwise.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine

from intents.store.database import in_transaction
from intents.store.repository import Store


def set_up_household(
    engine: Engine,
    key: str,
    *,
    names: Sequence[str],
    timezone: str,
    now: datetime,
) -> None:
    """Create the household if needed, in `timezone`; give it `names` if it has none."""

    def work(conn: Connection) -> None:
        store = Store(conn)
        household = store.household(key, timezone, now)
        if household.timezone != timezone:
            store.set_timezone(household.id, timezone)
        if names and not any(person.name for person in store.people(household.id)):
            store.set_names(household.id, list(names))

    in_transaction(engine, work)
