"""One-off reminders (plans): the schema revision that allows them beside daily reminders, and
their creation on Amazon's side as a reminder without recurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import create_engine, insert, select

from intents.store.database import open_engine
from intents.store.migrations import _config, current_revision, head, migrate
from intents.store.repository import Store
from intents.store.schema import households, reminders
from tests.alexa.envelopes import intent

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def test_a_daily_reminder_survives_the_upgrade_and_plans_can_share_its_time(db_url):
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0002")
        conn.execute(
            insert(households).values(id=1, key="local:old", timezone="UTC", created_at=NOW)
        )
        conn.execute(insert(reminders).values(household_id=1, at_time="21:00", created_at=NOW))
    migrate(engine)
    engine.dispose()
    engine = open_engine(db_url)
    with engine.begin() as conn:
        assert current_revision(conn) == head()
        store = Store(conn)
        [daily] = store.reminders(1)
        assert daily.at_time == "21:00" and daily.on_date is None
        assert store.add_reminder(1, "21:00", NOW) is None  # one daily reminder per time
        saturday = store.add_reminder(1, "21:00", NOW, date(2026, 11, 28))
        assert saturday is not None and saturday.on_date == date(2026, 11, 28)
        assert store.add_reminder(1, "21:00", NOW, date(2026, 11, 28)) is None  # once a day
        assert store.add_reminder(1, "21:00", NOW, date(2026, 12, 5)) is not None
        assert [r.on_date for r in store.reminders(1)].count(None) == 1
    engine.dispose()


def test_the_revision_goes_back_down_keeping_daily_reminders(db_url):
    engine = open_engine(db_url)
    with engine.begin() as conn:
        Store(conn).household("local:a", "UTC", NOW)
        store = Store(conn)
        store.add_reminder(1, "21:00", NOW)
        store.add_reminder(1, "19:00", NOW, date(2026, 11, 28))
    with engine.begin() as conn:
        command.downgrade(_config(conn), "0002")
        rows = conn.execute(select(reminders.c.at_time)).scalars().all()
    assert rows == ["21:00"]
    engine.dispose()


def test_a_plan_on_alexa_is_one_reminder_at_its_date_without_recurrence(world, companion):
    alexa, service = world
    reply = alexa.send(intent("PlanIdeaIntent", day="saturday", time="19:00"))
    assert reply.status == 200
    assert "saturday" in reply.ssml.lower() and "cancel our plan" in reply.ssml.lower()
    [created] = service.created
    trigger = created["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["scheduledTime"] == "2026-11-28T19:00:00"
    assert trigger["timeZoneId"] == "America/New_York"
    assert not trigger.get("recurrence")
    with companion.engine.connect() as conn:
        [row] = conn.execute(select(reminders.c.on_date, reminders.c.token)).all()
    assert row.on_date == date(2026, 11, 28) and row.token == "tok-1"


def test_a_plan_waiting_for_permission_is_called_a_plan_then_and_once_set(world, companion):
    alexa, service = world
    service.mode = "401"
    asked = alexa.send(intent("PlanIdeaIntent", day="friday", time="19:00"))
    text = asked.ssml.lower()
    assert "plan for friday" in text and "isn't set" in text and "phones-away" not in text
    service.mode = "ok"
    accepted = alexa.send(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "token": "reminders-permission",
            "status": {"code": "200", "message": "OK"},
            "payload": {
                "permissionScope": "alexa::alerts:reminders:skill:readwrite",
                "status": "ACCEPTED",
            },
        }
    )
    said = accepted.ssml.lower()
    assert "on friday at seven in the evening" in said and "every day" not in said
    [created] = service.created
    assert created["trigger"]["scheduledTime"] == "2026-11-27T19:00:00"
    assert not created["trigger"].get("recurrence")
