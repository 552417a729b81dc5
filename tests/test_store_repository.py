"""The store's promises, checked on a real database: what it keeps, for whom, and its claims."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import Engine, select

from intents.store.repository import Store
from intents.store.schema import check_ins, remote_deletions

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
T = TypeVar("T")


@pytest.fixture
def run(engine: Engine) -> Iterator[Callable[[Callable[[Store], T]], T]]:
    """Run one piece of work in its own committed transaction, as a turn does."""

    def in_turn(work: Callable[[Store], T]) -> T:
        with engine.begin() as conn:
            return work(Store(conn))

    yield in_turn


def home(store: Store, key: str = "alexa:home") -> int:
    return store.household(key, "Europe/London", NOW).id


# Households and conversation state -----------------------------------------------------------
def test_a_household_is_made_on_first_use_and_found_again_by_its_key(run):
    first = run(lambda s: s.household("alexa:home", "Europe/London", NOW))
    again = run(lambda s: s.household("alexa:home", "America/New_York", NOW))
    assert again == first
    assert (first.key, first.timezone) == ("alexa:home", "Europe/London")
    assert run(lambda s: s.find_household("alexa:home")) == first
    assert run(lambda s: s.find_household("alexa:nobody")) is None
    other = run(lambda s: s.household("alexa:other", "Europe/Paris", NOW))
    assert other.id != first.id


def test_a_new_time_zone_is_kept_for_that_household_only(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    run(lambda s: s.set_timezone(ours, "Asia/Tokyo"))
    assert run(lambda s: s.find_household("alexa:home")).timezone == "Asia/Tokyo"
    assert run(lambda s: s.find_household("alexa:theirs")).timezone == "Europe/London"
    assert theirs != ours


def test_conversation_state_starts_empty_and_keeps_the_latest_save(run):
    household, state = run(lambda s: s.household_and_state("alexa:home", "Europe/London", NOW))
    assert (household.key, household.timezone, state) == ("alexa:home", "Europe/London", {})
    assert run(lambda s: s.household_and_state("alexa:home", "Europe/London", NOW))[1] == {}
    run(lambda s: s.save_state(household.id, {"step": 1}, NOW))
    run(lambda s: s.save_state(household.id, {"step": 2, "names": ["Ana", "Sam"]}, NOW))
    found, state = run(lambda s: s.household_and_state("alexa:home", "Europe/London", NOW))
    assert (found, state) == (household, {"step": 2, "names": ["Ana", "Sam"]})
    assert run(lambda s: s.state(household.id)) == {"step": 2, "names": ["Ana", "Sam"]}
    other = run(lambda s: home(s, "alexa:other"))
    assert run(lambda s: s.state(other)) == {}


# People --------------------------------------------------------------------------------------
def test_names_are_set_in_order_and_renamed_in_place(run):
    household, other = run(lambda s: (home(s), home(s, "alexa:other")))
    run(lambda s: s.set_names(household, ["Ana", "Sam"]))
    run(lambda s: s.set_names(household, ["Ana", "Sami"]))
    people = run(lambda s: s.people(household))
    assert [(p.position, p.name) for p in people] == [(0, "Ana"), (1, "Sami")]
    assert run(lambda s: s.people(other)) == []


def test_a_voice_profile_takes_the_first_unclaimed_person_then_a_new_place(run):
    household = run(home)
    run(lambda s: s.set_names(household, ["Ana", "Sam"]))
    ana = run(lambda s: s.person_for_key(household, "voice-a"))
    assert (ana.position, ana.name) == (0, "Ana")
    assert run(lambda s: s.person_for_key(household, "voice-a")) == ana
    sam = run(lambda s: s.person_for_key(household, "voice-b"))
    assert (sam.position, sam.name) == (1, "Sam")
    third = run(lambda s: s.person_for_key(household, "voice-c"))
    assert (third.position, third.name) == (2, None)
    assert run(lambda s: s.person_for_key(household, "voice-c")) == third
    assert len({ana.id, sam.id, third.id}) == 3


def test_the_first_voice_profile_of_a_household_without_names_is_its_first_person(run):
    household, other = run(lambda s: (home(s), home(s, "alexa:other")))
    run(lambda s: s.set_names(other, ["X", "Y"]))
    first = run(lambda s: s.person_for_key(household, "voice-a"))
    assert (first.position, first.name) == (0, None)
    assert [p.id for p in run(lambda s: s.people(household))] == [first.id]


# Questions -----------------------------------------------------------------------------------
def test_tonights_question_goes_to_the_first_claim_and_each_household_has_its_own(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    assert run(lambda s: s.nightly_question(ours, TODAY)) is None
    assert run(lambda s: s.claim_nightly_question(ours, TODAY, "q-1")) == "q-1"
    assert run(lambda s: s.claim_nightly_question(ours, TODAY, "q-2")) == "q-1"
    assert run(lambda s: s.claim_nightly_question(theirs, TODAY, "q-3")) == "q-3"
    tomorrow = TODAY + timedelta(days=1)
    assert run(lambda s: s.claim_nightly_question(ours, tomorrow, "q-4")) == "q-4"
    run(lambda s: s.replace_nightly_question(ours, TODAY, "q-5"))
    assert run(lambda s: s.nightly_question(ours, TODAY)) == "q-5"
    assert run(lambda s: s.nightly_question(ours, tomorrow)) == "q-4"
    assert run(lambda s: s.nightly_question(theirs, TODAY)) == "q-3"


def test_questions_asked_are_kept_per_cycle_oldest_first_and_once(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    assert run(lambda s: s.question_cycle(ours)) == 0
    for question in ("q-2", "q-1", "q-2"):
        run(lambda s, q=question: s.record_asked(ours, q, 0, NOW))
    run(lambda s: s.record_asked(ours, "q-3", 1, NOW))
    run(lambda s: s.record_asked(theirs, "q-9", 4, NOW))
    assert run(lambda s: s.asked_in_cycle(ours, 0)) == ["q-2", "q-1"]
    assert run(lambda s: s.asked_in_cycle(ours, 1)) == ["q-3"]
    assert run(lambda s: s.question_cycle(ours)) == 1
    assert run(lambda s: s.question_cycle(theirs)) == 4


def test_days_with_a_question_count_from_the_first_day_asked_for(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    for days_ago in (0, 6, 7):
        day = TODAY - timedelta(days=days_ago)
        run(lambda s, d=day: s.claim_nightly_question(ours, d, "q-1"))
    run(lambda s: s.claim_nightly_question(theirs, TODAY - timedelta(days=1), "q-1"))
    since = TODAY - timedelta(days=6)
    assert run(lambda s: s.days_with_questions(ours, since)) == {TODAY, since}


# Check-ins -----------------------------------------------------------------------------------
def test_check_ins_come_back_by_day_from_the_day_asked_for_and_per_household(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    person = run(lambda s: s.person_for_key(ours, "voice-a")).id
    week_ago = TODAY - timedelta(days=7)
    late = run(lambda s: s.add_check_in(ours, None, TODAY, 4, NOW))
    early = run(lambda s: s.add_check_in(ours, person, week_ago, 2, NOW))
    run(lambda s: s.add_check_in(ours, None, week_ago - timedelta(days=1), 5, NOW))
    run(lambda s: s.add_check_in(theirs, None, TODAY, 1, NOW))
    found = run(lambda s: s.check_ins(ours, week_ago))
    assert [(c.id, c.day, c.rating, c.person_id) for c in found] == [
        (early, week_ago, 2, person),
        (late, TODAY, 4, None),
    ]


def test_a_retried_request_stores_its_check_in_once(run):
    household = run(home)
    first = run(lambda s: s.add_check_in(household, None, TODAY, 4, NOW, request_id="req-1"))
    again = run(lambda s: s.add_check_in(household, None, TODAY, 4, NOW, request_id="req-1"))
    other = run(lambda s: s.add_check_in(household, None, TODAY, 3, NOW, request_id="req-2"))
    assert again == first != other
    assert [c.id for c in run(lambda s: s.check_ins(household, TODAY))] == [first, other]


def test_an_appreciation_is_kept_with_its_own_households_check_in(run, engine):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    check_in = run(lambda s: s.add_check_in(ours, None, TODAY, 5, NOW))
    run(lambda s: s.add_appreciation(theirs, check_in, "not theirs to write"))
    assert _appreciation(engine, check_in) is None
    run(lambda s: s.add_appreciation(ours, check_in, "the walk by the river"))
    assert _appreciation(engine, check_in) == "the walk by the river"


def _appreciation(engine: Engine, check_in_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.execute(
            select(check_ins.c.appreciation).where(check_ins.c.id == check_in_id)
        ).scalar_one()


# Reminders -----------------------------------------------------------------------------------
def test_a_reminder_is_set_once_per_time_and_a_one_off_once_per_day_and_time(run):
    household = run(home)
    daily = run(lambda s: s.add_reminder(household, "21:00", NOW))
    assert daily is not None
    assert (daily.household_id, daily.at_time, daily.token) == (household, "21:00", None)
    assert (daily.last_delivered_on, daily.created_at, daily.on_date) == (None, NOW, None)
    assert run(lambda s: s.add_reminder(household, "21:00", NOW)) is None
    once = run(lambda s: s.add_reminder(household, "21:00", NOW, on_date=TODAY))
    assert once is not None and once.on_date == TODAY and once.id != daily.id
    assert run(lambda s: s.add_reminder(household, "21:00", NOW, on_date=TODAY)) is None
    assert [r.id for r in run(lambda s: s.reminders(household))] == [daily.id, once.id]


def test_reminders_come_back_in_time_order_per_household_or_all_for_a_scheduler(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    run(lambda s: s.add_reminder(ours, "22:00", NOW))
    run(lambda s: s.add_reminder(theirs, "21:30", NOW))
    run(lambda s: s.add_reminder(ours, "20:15", NOW))
    assert [r.at_time for r in run(lambda s: s.reminders(ours))] == ["20:15", "22:00"]
    everyone = run(lambda s: s.reminders())
    assert [(r.household_id, r.at_time) for r in everyone] == [
        (ours, "20:15"),
        (theirs, "21:30"),
        (ours, "22:00"),
    ]


def test_a_reminder_is_deleted_only_by_its_own_household_and_keeps_its_token(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    reminder = run(lambda s: s.add_reminder(ours, "21:00", NOW))
    run(lambda s: s.set_reminder_token(reminder.id, "amzn-token"))
    assert run(lambda s: s.reminders(ours))[0].token == "amzn-token"
    run(lambda s: s.delete_reminder(theirs, reminder.id))
    assert len(run(lambda s: s.reminders(ours))) == 1
    run(lambda s: s.delete_reminder(ours, reminder.id))
    assert run(lambda s: s.reminders(ours)) == []


def test_a_reminders_delivery_is_claimed_once_a_day(run):
    household = run(home)
    reminder = run(lambda s: s.add_reminder(household, "21:00", NOW))
    other = run(lambda s: s.add_reminder(household, "22:00", NOW))
    assert run(lambda s: s.mark_reminder_delivered(reminder.id, TODAY)) is True
    assert run(lambda s: s.mark_reminder_delivered(reminder.id, TODAY)) is False
    yesterday = TODAY - timedelta(days=1)
    assert run(lambda s: s.mark_reminder_delivered(reminder.id, yesterday)) is False
    kept = {r.id: r.last_delivered_on for r in run(lambda s: s.reminders(household))}
    assert kept == {reminder.id: TODAY, other.id: None}
    tomorrow = TODAY + timedelta(days=1)
    assert run(lambda s: s.mark_reminder_delivered(reminder.id, tomorrow)) is True


# Timers --------------------------------------------------------------------------------------
def test_a_started_timer_is_active_until_it_ends_or_is_stopped(run):
    household, other = run(lambda s: (home(s), home(s, "alexa:other")))
    ends = NOW + timedelta(minutes=20)
    timer = run(lambda s: s.start_timer(household, NOW, ends))
    assert (timer.household_id, timer.started_at, timer.ends_at, timer.token) == (
        household,
        NOW,
        ends,
        None,
    )
    active = run(lambda s: s.active_timer(household, NOW))
    assert active is not None and (active.id, active.ends_at) == (timer.id, ends)
    assert run(lambda s: s.active_timer(household, ends)) is None
    assert run(lambda s: s.active_timer(other, NOW)) is None
    run(lambda s: s.stop_timer(timer.id))
    assert run(lambda s: s.active_timer(household, NOW)) is None


def test_the_active_timer_is_the_one_that_ends_last(run):
    household = run(home)
    run(lambda s: s.start_timer(household, NOW, NOW + timedelta(minutes=10)))
    later = run(lambda s: s.start_timer(household, NOW, NOW + timedelta(minutes=30)))
    run(lambda s: s.start_timer(household, NOW, NOW + timedelta(minutes=20)))
    assert run(lambda s: s.active_timer(household, NOW)).id == later.id


def test_an_extended_timer_ends_later_and_keeps_its_token(run):
    household = run(home)
    timer = run(lambda s: s.start_timer(household, NOW, NOW + timedelta(minutes=20)))
    later = NOW + timedelta(minutes=45)
    run(lambda s: s.extend_timer(timer.id, later))
    run(lambda s: s.set_timer_token(timer.id, "amzn-timer"))
    active = run(lambda s: s.active_timer(household, NOW + timedelta(minutes=30)))
    assert (active.id, active.ends_at, active.token) == (timer.id, later, "amzn-timer")


def test_timers_of_every_household_are_due_when_ended_and_announced_once(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    ending = NOW + timedelta(minutes=20)
    mine = run(lambda s: s.start_timer(ours, NOW, ending))
    theirs_timer = run(lambda s: s.start_timer(theirs, NOW, ending))
    stopped = run(lambda s: s.start_timer(ours, NOW, ending))
    later = run(lambda s: s.start_timer(ours, NOW, ending + timedelta(minutes=1)))
    run(lambda s: s.stop_timer(stopped.id))
    assert run(lambda s: s.due_timers(ending - timedelta(seconds=1))) == []
    assert {t.id for t in run(lambda s: s.due_timers(ending))} == {mine.id, theirs_timer.id}
    pending = {t.id for t in run(lambda s: s.pending_timers())}
    assert pending == {mine.id, theirs_timer.id, later.id}
    assert run(lambda s: s.mark_timer_announced(mine.id)) is True
    assert run(lambda s: s.mark_timer_announced(mine.id)) is False
    assert {t.id for t in run(lambda s: s.due_timers(ending))} == {theirs_timer.id}
    assert {t.id for t in run(lambda s: s.pending_timers())} == {theirs_timer.id, later.id}
    due = run(lambda s: s.due_timers(ending))[0]
    assert (due.household_id, due.started_at, due.ends_at) == (theirs, NOW, ending)


# Forgetting ----------------------------------------------------------------------------------
def test_forgetting_removes_every_row_of_the_household_and_queues_amazons_copies(run, engine):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    for household in (ours, theirs):
        run(lambda s, h=household: s.set_names(h, ["Ana"]))
        run(lambda s, h=household: s.save_state(h, {"step": 1}, NOW))
        run(lambda s, h=household: s.add_check_in(h, None, TODAY, 4, NOW))
        run(lambda s, h=household: s.claim_nightly_question(h, TODAY, "q-1"))
        run(lambda s, h=household: s.record_asked(h, "q-1", 0, NOW))
    with_token = run(lambda s: s.add_reminder(ours, "21:00", NOW))
    run(lambda s: s.add_reminder(ours, "22:00", NOW))
    run(lambda s: s.set_reminder_token(with_token.id, "reminder-token"))
    timer = run(lambda s: s.start_timer(ours, NOW, NOW + timedelta(minutes=20)))
    run(lambda s: s.set_timer_token(timer.id, "timer-token"))
    run(lambda s: s.start_timer(ours, NOW, NOW + timedelta(minutes=5)))
    theirs_reminder = run(lambda s: s.add_reminder(theirs, "21:00", NOW))
    run(lambda s: s.set_reminder_token(theirs_reminder.id, "their-token"))

    run(lambda s: s.forget(ours, NOW))

    assert run(lambda s: s.find_household("alexa:home")) is None
    assert run(lambda s: s.state(ours)) == {}
    assert run(lambda s: s.people(ours)) == []
    assert run(lambda s: s.check_ins(ours, TODAY)) == []
    assert run(lambda s: s.nightly_question(ours, TODAY)) is None
    assert run(lambda s: s.asked_in_cycle(ours, 0)) == []
    assert run(lambda s: s.reminders(ours)) == []
    assert run(lambda s: s.pending_timers()) == []
    assert run(lambda s: s.remote_deletions("alexa:home", 10)) == ["reminder-token", "timer-token"]
    assert run(lambda s: s.remote_deletions("alexa:theirs", 10)) == []
    # the other household keeps everything
    assert run(lambda s: s.find_household("alexa:theirs")) is not None
    assert [p.name for p in run(lambda s: s.people(theirs))] == ["Ana"]
    assert run(lambda s: s.state(theirs)) == {"step": 1}
    assert len(run(lambda s: s.check_ins(theirs, TODAY))) == 1
    assert run(lambda s: s.nightly_question(theirs, TODAY)) == "q-1"
    assert run(lambda s: s.asked_in_cycle(theirs, 0)) == ["q-1"]
    assert [r.token for r in run(lambda s: s.reminders(theirs))] == ["their-token"]


def test_amazon_deletions_are_handed_out_oldest_first_and_kept_until_confirmed(run, engine):
    household = run(home)
    for n, at in enumerate(("20:00", "21:00", "22:00")):
        reminder = run(lambda s, at=at: s.add_reminder(household, at, NOW))
        run(lambda s, r=reminder, n=n: s.set_reminder_token(r.id, f"token-{n}"))
    other = run(lambda s: home(s, "alexa:other"))
    run(lambda s: s.set_reminder_token(s.add_reminder(other, "21:00", NOW).id, "token-0"))
    run(lambda s: s.forget(household, NOW))
    run(lambda s: s.forget(other, NOW))
    assert run(lambda s: s.remote_deletions("alexa:home", 2)) == ["token-0", "token-1"]
    run(lambda s: s.remote_deletion_failed("alexa:home", "token-0"))
    run(lambda s: s.remote_deletion_failed("alexa:home", "token-0"))
    assert _attempts(engine) == {
        ("alexa:home", "token-0"): 2,
        ("alexa:home", "token-1"): 0,
        ("alexa:home", "token-2"): 0,
        ("alexa:other", "token-0"): 0,
    }
    run(lambda s: s.deleted_remotely("alexa:home", "token-0"))
    assert run(lambda s: s.remote_deletions("alexa:home", 10)) == ["token-1", "token-2"]
    assert run(lambda s: s.remote_deletions("alexa:other", 10)) == ["token-0"]


def _attempts(engine: Engine) -> dict[tuple[str, str], int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                remote_deletions.c.owner_key, remote_deletions.c.token, remote_deletions.c.attempts
            )
        )
        return {(r.owner_key, r.token): r.attempts for r in rows}


def test_a_voice_profile_is_matched_within_its_own_household_only(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    run(lambda s: s.set_names(theirs, ["Kim"]))
    kim = run(lambda s: s.person_for_key(theirs, "voice-a"))
    here = run(lambda s: s.person_for_key(ours, "voice-a"))
    assert here.id != kim.id
    assert [p.id for p in run(lambda s: s.people(ours))] == [here.id]


def test_each_new_voice_profile_gets_a_person_of_its_own(run):
    household = run(home)
    first = run(lambda s: s.person_for_key(household, "voice-a"))
    second = run(lambda s: s.person_for_key(household, "voice-b"))
    third = run(lambda s: s.person_for_key(household, "voice-c"))
    assert [p.position for p in (first, second, third)] == [0, 1, 2]
    assert run(lambda s: s.person_for_key(household, "voice-b")) == second


def test_an_appreciation_goes_to_one_check_in_only(run, engine):
    household = run(home)
    first = run(lambda s: s.add_check_in(household, None, TODAY, 5, NOW))
    second = run(lambda s: s.add_check_in(household, None, TODAY, 4, NOW))
    run(lambda s: s.add_appreciation(household, second, "the soup"))
    assert (_appreciation(engine, first), _appreciation(engine, second)) == (None, "the soup")


def test_deleting_one_reminder_keeps_the_others(run):
    household = run(home)
    nine = run(lambda s: s.add_reminder(household, "21:00", NOW))
    ten = run(lambda s: s.add_reminder(household, "22:00", NOW))
    run(lambda s: s.delete_reminder(household, nine.id))
    assert [r.id for r in run(lambda s: s.reminders(household))] == [ten.id]


def test_a_practice_timer_and_phone_free_time_run_side_by_side(run):
    household = run(home)
    ends = NOW + timedelta(minutes=5)
    practice = run(lambda s: s.start_timer(household, NOW, ends, kind="listening"))
    assert practice.kind == "listening"
    assert run(lambda s: s.active_timer(household, NOW)) is None
    found = run(lambda s: s.active_timer(household, NOW, kind="listening"))
    assert (found.id, found.kind) == (practice.id, "listening")
    assert run(lambda s: s.active_timer(household, NOW, kind="closing")) is None
    phone_free = run(lambda s: s.start_timer(household, NOW, NOW + timedelta(minutes=20)))
    assert phone_free.kind is None
    assert run(lambda s: s.active_timer(household, NOW)).id == phone_free.id
    assert run(lambda s: s.active_timer(household, NOW, kind="listening")).id == practice.id
    assert {t.kind for t in run(lambda s: s.due_timers(ends))} == {"listening"}


def test_forgetting_queues_only_its_own_households_timer_tokens(run):
    ours, theirs = run(lambda s: (home(s), home(s, "alexa:theirs")))
    their_timer = run(lambda s: s.start_timer(theirs, NOW, NOW + timedelta(minutes=20)))
    run(lambda s: s.set_timer_token(their_timer.id, "their-timer"))
    run(lambda s: s.forget(ours, NOW))
    assert run(lambda s: s.remote_deletions("alexa:home", 10)) == []
    assert [t.token for t in run(lambda s: s.pending_timers())] == ["their-timer"]
