"""Phones-away reminders and phone-free timers through a local HTTPS Reminders API."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from intents.store.schema import reminders, timers
from tests.alexa.envelopes import intent


def tokens(companion, table) -> list[str | None]:
    with companion.engine.connect() as conn:
        return [r.token for r in conn.execute(select(table).order_by(table.c.id))]


def test_a_daily_reminder_is_created_in_the_devices_time_zone(world, companion):
    alexa, service = world
    reply = alexa.send(intent("ReminderCreateIntent", time="21:00"))
    assert reply.status == 200
    assert "every day at nine at night" in reply.ssml.lower() and "say-as" not in reply.ssml
    [created] = service.created
    trigger = created["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["timeZoneId"] == "America/New_York"
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0"
    ]
    assert created["alertInfo"]["spokenInfo"]["content"][0]["text"]
    assert service.authorizations[-1] == "Bearer test-access-token"
    assert tokens(companion, reminders) == ["tok-1"]


def test_cancelling_a_reminder_deletes_it_on_amazons_side(world, companion):
    alexa, service = world
    alexa.send(intent("ReminderCreateIntent", time="21:00"))
    reply = alexa.send(intent("ReminderCancelIntent", time="21:00"))
    assert reply.status == 200 and "Cancelled" in reply.ssml
    assert service.deleted == ["tok-1"]
    assert tokens(companion, reminders) == []


def test_phone_free_time_asks_before_its_end_reminder_and_says_when_it_will_ring(world, companion):
    alexa, service = world
    offer = alexa.send(intent("PhoneFreeStartIntent", minutes="20"))
    assert offer.status == 200 and not offer.ends and "reminder" in offer.ssml
    assert offer.ssml.rstrip("</speak>").rstrip().endswith("?")
    assert service.created == [] and tokens(companion, timers) == [None]
    reply = alexa.send(intent("AMAZON.YesIntent"))
    assert reply.ends and "twenty minutes" not in reply.ssml
    [created] = service.created
    assert created["trigger"] == {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": 1200}
    assert tokens(companion, timers) == ["tok-1"]
    assert "stop phone-free time" in reply.ssml  # how to cancel it


def test_no_to_the_end_reminder_creates_none_even_when_the_time_is_extended(world, companion):
    alexa, service = world
    alexa.send(intent("PhoneFreeStartIntent", minutes="20"))
    declined = alexa.send(intent("AMAZON.NoIntent"))
    assert declined.ends and "no reminder" in declined.ssml.lower()
    alexa.send(intent("PhoneFreeExtendIntent", minutes="10"))
    assert service.created == [] and tokens(companion, timers) == [None]


def test_unauthorised_means_asking_for_permission(world, companion):
    alexa, service = world
    service.mode = "401"
    reply = alexa.send(intent("ReminderCreateIntent", time="21:00"))
    assert "done" not in reply.ssml.lower() and "nine at night" in reply.ssml
    assert "isn't set" in reply.ssml and "permission" in reply.ssml
    directive = reply.data["response"]["directives"][0]
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    scope = directive["payload"]["permissionScopes"][0]["permissionScope"]
    assert scope == "alexa::alerts:reminders:skill:readwrite"
    service.mode = "ok"
    accepted = alexa.send(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "token": "reminders-permission",
            "status": {"code": "200", "message": "OK"},
            "payload": {"permissionScope": scope, "status": "ACCEPTED"},
        }
    )
    assert "every day at nine at night" in accepted.ssml
    assert tokens(companion, reminders) == ["tok-1"]


def _accept(alexa):
    return alexa.send(
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


def test_after_permission_the_wanted_end_of_phone_free_time_is_created_too(world, companion):
    alexa, service = world
    service.mode = "401"
    alexa.send(intent("ReminderCreateIntent", time="21:00"))
    alexa.send(intent("PhoneFreeStartIntent", minutes="30"))
    asked = alexa.send(intent("AMAZON.YesIntent"))
    assert "done" not in asked.ssml.lower() and "permission" in asked.ssml
    service.mode = "ok"
    accepted = _accept(alexa)
    assert "every day at nine at night" in accepted.ssml and "phone-free" in accepted.ssml
    assert len(service.created) == 2
    assert tokens(companion, reminders) != [None] and tokens(companion, timers) != [None]


def test_many_reminders_waiting_for_permission_are_created_side_by_side_within_3_s(
    world, companion
):
    alexa, service = world
    service.mode = "401"
    for hour in range(12, 22):
        alexa.send(intent("ReminderCreateIntent", time=f"{hour}:30"))
    service.mode, service.slow_seconds = "slow", 0.8
    started = time.monotonic()
    accepted = _accept(alexa)
    elapsed = time.monotonic() - started
    assert accepted.status == 200 and elapsed < 4.0  # ten calls of 0.8 s one after another: 8 s
    deadline = time.monotonic() + 10  # a call still running at the reply's deadline finishes later
    while None in tokens(companion, reminders) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(service.created) == 10
    assert None not in tokens(companion, reminders)


def test_a_reminder_api_that_does_not_answer_in_time_is_never_reported_as_set(world, companion):
    alexa, service = world
    service.mode = "401"
    alexa.send(intent("ReminderCreateIntent", time="21:00"))
    service.mode, service.slow_seconds = "slow", 5.0
    accepted = _accept(alexa)
    assert "every day at" not in accepted.ssml and "couldn't reach" in accepted.ssml


def test_a_server_error_becomes_a_kind_apology(world, companion):
    alexa, service = world
    service.mode = "500"
    reply = alexa.send(intent("ReminderCreateIntent", time="21:00"))
    assert reply.status == 200
    assert "couldn't reach the reminders service" in reply.ssml


def test_a_slow_api_times_out_well_inside_alexas_budget(world, companion):
    alexa, service = world
    service.mode = "slow"
    started = time.monotonic()
    reply = alexa.send(intent("ReminderCreateIntent", time="21:00"))
    elapsed = time.monotonic() - started
    assert reply.status == 200 and "couldn't reach" in reply.ssml
    assert elapsed < 6.0  # the API call gives up after 1 s in tests (2.5 s in production)


@pytest.mark.parametrize(
    ("sent", "hour", "minute", "said"),
    [
        ("09:00", 21, 0, "nine at night"),
        ("10:30", 22, 30, "ten thirty at night"),
        ("21:15", 21, 15, "nine fifteen at night"),
        ("19:05", 19, 5, "seven oh five in the evening"),
    ],
)
def test_alexa_times_before_noon_follow_one_rule_the_evening_and_are_said_back(
    world, companion, sent, hour, minute, said
):
    alexa, service = world
    reply = alexa.send(intent("ReminderCreateIntent", time=sent))
    assert f"every day at {said}" in reply.ssml.lower()
    [created] = service.created
    rule = created["trigger"]["recurrence"]["recurrenceRules"][0]
    assert f"BYHOUR={hour};BYMINUTE={minute};" in rule


def test_reminders_waiting_for_permission_keep_their_stored_time(world, companion):
    alexa, service = world
    companion.reply_to_text(
        "alexa:amzn1.ask.account.TESTUSER",
        "remind us to put our phones away at eleven in the morning",
    )
    reply = alexa.send(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": "200"},
            "token": "reminders-permission",
            "payload": {"status": "ACCEPTED"},
        }
    )
    assert reply.status == 200
    [created] = service.created
    assert "BYHOUR=11;BYMINUTE=0;" in created["trigger"]["recurrence"]["recurrenceRules"][0]


def queued(companion) -> list[str]:
    from intents.store.schema import remote_deletions

    with companion.engine.connect() as conn:
        return [r.token for r in conn.execute(select(remote_deletions.c.token))]


def set_reminders(alexa, count: int) -> None:
    for n in range(count):
        hour, minute = 19 + n // 4, (n % 4) * 15
        alexa.send(intent("ReminderCreateIntent", time=f"{hour:02d}:{minute:02d}"))


def test_forget_us_deletes_amazons_reminders_concurrently_within_alexas_time(world, companion):
    alexa, service = world
    set_reminders(alexa, 10)  # the most a household may have
    assert len(service.reminders) == 10
    service.mode, service.slow_seconds = "slow", 0.8  # each deletion takes 0.8 s
    alexa.send(intent("ForgetUsIntent"))
    started = time.monotonic()
    done = alexa.send(intent("AMAZON.YesIntent"))
    elapsed = time.monotonic() - started
    assert done.status == 200 and "gone" in done.ssml
    # One after another this would take 8 s, Alexa's whole budget; side by side, two rounds.
    assert elapsed < 8  # Alexa's limit; one after another the calls alone would take 8 s
    assert service.reminders == {} and queued(companion) == []


def test_a_failed_deletion_keeps_its_token_until_amazon_confirms(world, companion):
    alexa, service = world
    set_reminders(alexa, 3)
    service.mode = "500"
    alexa.send(intent("ForgetUsIntent"))
    alexa.send(intent("AMAZON.YesIntent"))
    assert sorted(queued(companion)) == ["tok-1", "tok-2", "tok-3"]
    assert len(service.reminders) == 3  # still firing at Amazon: the tokens are kept
    service.mode = "ok"
    alexa.end_session()
    alexa.send({"type": "LaunchRequest"})
    assert service.reminders == {} and queued(companion) == []
