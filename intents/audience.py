"""Who a household is (a couple, close friends, one person on their own) and what it opted into.

Kept in the household's conversation state; pure functions over that state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intents.content import AUDIENCES

AUDIENCE_KEY = "audience"
"""Where the audience is kept in the household's conversation state."""
ROMANCE_KEY = "romance"
"""True once a couple asked for romantic questions; False or absent otherwise."""
DEFAULT_AUDIENCE = "couple"


def audience_of(state: Mapping[str, Any], default: str = DEFAULT_AUDIENCE) -> str:
    """The household's audience: what it said, else the setting, else a couple."""
    said = state.get(AUDIENCE_KEY)
    if said in AUDIENCES:
        return said
    return default if default in AUDIENCES else DEFAULT_AUDIENCE


def romance_of(state: Mapping[str, Any], audience: str) -> bool:
    """Romance is for couples who asked for it, and for nobody else."""
    return audience == "couple" and state.get(ROMANCE_KEY) is True


def parse_audience(value: str) -> str:
    """An audience from a setting or a flag; a clear error for anything else."""
    cleaned = value.strip().lower()
    if cleaned not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {value!r}")
    return cleaned
