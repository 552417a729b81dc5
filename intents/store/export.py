"""Everything stored about one household, as JSON-ready data: "export everything stored"."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from intents.store.schema import HOUSEHOLD_TABLES, conversation_state, households


def export_household(conn: Connection, key: str) -> dict[str, Any]:
    """Every row of every household table for the household `key`, table by table (empty when
    nothing is stored). The conversation state is stored as JSON text and exported as JSON."""
    row = conn.execute(select(households).where(households.c.key == key)).first()
    if row is None:
        return {"household": None, **{table.name: [] for table in HOUSEHOLD_TABLES}}
    data: dict[str, Any] = {"household": _plain(row._mapping)}
    for table in HOUSEHOLD_TABLES:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = conn.execute(select(table).where(table.c.household_id == row.id).order_by(*order))
        data[table.name] = [_plain(r._mapping) for r in rows]
    for state in data[conversation_state.name]:
        state["data"] = json.loads(state["data"])
    return data


def _plain(mapping: Any) -> dict[str, Any]:
    return {name: _value(value) for name, value in mapping.items()}


def _value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
