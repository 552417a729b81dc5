"""The household's picture as plain numbers (intents/overview.py), and the export of everything
stored (intents/store/export.py) on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from intents.overview import (
    calendar,
    daily_ratings,
    evenings_talked,
    first_day,
    talked_days,
    week_start,
    weekly,
)
from intents.store.database import in_transaction
from intents.store.export import export_household
from intents.store.repository import CheckIn, Store
from intents.store.schema import HOUSEHOLD_TABLES

TODAY = date(2026, 11, 25)  # a Wednesday


def check_in(day: date, rating: int, n: int = 0) -> CheckIn:
    return CheckIn(n, day, rating, None)


def test_weeks_begin_on_monday_and_the_last_one_holds_today():
    assert week_start(TODAY) == date(2026, 11, 23)
    assert first_day(TODAY, 1) == date(2026, 11, 23)
    assert first_day(TODAY, 8) == date(2026, 10, 5)
    with pytest.raises(ValueError):
        first_day(TODAY, 0)


def test_a_day_with_several_check_ins_is_one_point_at_their_mean():
    points = daily_ratings(
        [check_in(TODAY, 5), check_in(TODAY - timedelta(days=2), 2), check_in(TODAY, 2)]
    )
    assert [(p.day, p.rating, p.check_ins) for p in points] == [
        (TODAY - timedelta(days=2), 2, 1),
        (TODAY, 3.5, 2),
    ]


def test_each_week_counts_its_check_ins_and_evenings():
    check_ins = [
        check_in(date(2026, 11, 24), 4),
        check_in(date(2026, 11, 24), 3),
        check_in(date(2026, 11, 16), 2),
        check_in(date(2026, 9, 1), 1),  # before the weeks shown
    ]
    talked = talked_days(check_ins, {date(2026, 11, 22), date(2026, 11, 25)})
    weeks = weekly(check_ins, talked, TODAY, 3)
    assert [w.start for w in weeks] == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert [w.check_ins for w in weeks] == [0, 1, 2]
    assert [w.typical for w in weeks] == [None, 2, 3.5]
    assert [w.evenings for w in weeks] == [0, 2, 2]  # the 16th and 22nd; the 24th and 25th


def test_the_calendar_marks_talked_evenings_and_leaves_later_days_blank():
    talked = {date(2026, 11, 3), date(2026, 11, 25), date(2026, 11, 26)}
    rows = calendar(talked, TODAY, 4)
    assert len(rows) == 4 and all(len(row) == 7 for row in rows)
    assert rows[0][0].day == date(2026, 11, 2)
    marked = [cell.day for row in rows for cell in row if cell.talked]
    assert marked == [date(2026, 11, 3), date(2026, 11, 25)]  # never a day that has not come
    assert [cell.later for cell in rows[-1]] == [False, False, False, True, True, True, True]
    assert evenings_talked(talked, TODAY, 4) == 2
    assert evenings_talked(talked, TODAY, 1) == 1


def test_the_export_holds_every_table_of_the_household_and_no_other(engine):
    now = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)

    def seed(conn) -> None:
        store = Store(conn)
        ours = store.household("local:home", "Europe/London", now)
        theirs = store.household("local:next-door", "Europe/London", now)
        store.set_names(ours.id, ["Sam", "Alex"])
        first = store.add_check_in(ours.id, None, now.date(), 4, now)
        store.add_appreciation(ours.id, first, "the tea")
        store.add_check_in(theirs.id, None, now.date(), 1, now)
        store.add_reminder(ours.id, "21:00", now)
        store.claim_nightly_question(ours.id, now.date(), "q1")
        store.save_state(ours.id, {"audience": "couple"}, now)

    in_transaction(engine, seed)
    data = in_transaction(engine, lambda conn: export_household(conn, "local:home"))
    json.dumps(data)  # JSON as it is
    assert set(data) == {"household"} | {t.name for t in HOUSEHOLD_TABLES}
    assert data["household"]["key"] == "local:home"
    assert [(c["rating"], c["appreciation"]) for c in data["check_ins"]] == [(4, "the tea")]
    assert [p["name"] for p in data["people"]] == ["Sam", "Alex"]
    assert data["reminders"][0]["at_time"] == "21:00"
    assert data["nightly_questions"] == [
        {"household_id": data["household"]["id"], "day": "2026-11-24", "question_id": "q1"}
    ]
    assert data["conversation_state"][0]["data"] == {"audience": "couple"}
    assert data["household"]["created_at"].startswith("2026-11-24T20:00")


def test_the_export_of_a_household_never_seen_is_empty(engine):
    data = in_transaction(engine, lambda conn: export_household(conn, "local:nobody"))
    assert data["household"] is None
    assert all(data[t.name] == [] for t in HOUSEHOLD_TABLES)
