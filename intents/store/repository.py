"""Queries of one turn, all on one connection inside one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from intents.store.schema import (
    HOUSEHOLD_TABLES,
    asked_questions,
    check_ins,
    conversation_state,
    households,
    nightly_questions,
    people,
    reminders,
    remote_deletions,
    timers,
)


@dataclass(frozen=True)
class Household:
    id: int
    key: str
    timezone: str


@dataclass(frozen=True)
class Person:
    id: int
    position: int
    name: str | None


@dataclass(frozen=True)
class CheckIn:
    id: int
    day: date
    rating: int
    person_id: int | None


@dataclass(frozen=True)
class Reminder:
    id: int
    household_id: int
    at_time: str
    """HH:MM in the household's time zone."""
    token: str | None
    last_delivered_on: date | None
    created_at: datetime | None = None
    on_date: date | None = None
    """The one local day a one-off reminder fires on; None for a daily reminder."""


@dataclass(frozen=True)
class Timer:
    id: int
    household_id: int
    started_at: datetime
    ends_at: datetime
    token: str | None
    kind: str | None = None
    """None for phone-free time; else the guided practice it times (listening, closing)."""


def insert_ignoring_conflicts(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert a row unless a unique key already has one; True when this call inserted it."""
    statement: Insert
    if conn.dialect.name == "postgresql":
        statement = postgresql.insert(table).values(**values).on_conflict_do_nothing()
    elif conn.dialect.name == "sqlite":
        statement = sqlite.insert(table).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - other databases: a savepoint keeps the transaction usable
        from sqlalchemy.exc import IntegrityError

        try:
            with conn.begin_nested():
                conn.execute(insert(table).values(**values))
            return True
        except IntegrityError:
            return False
    # RETURNING, not rowcount: with PostgreSQL's drivers the rowcount of an insert is unreliable.
    return conn.execute(statement.returning(literal_column("1"))).first() is not None


# The statements every turn runs, built once: building a statement costs more than running it.
_HOUSEHOLD_AND_STATE = (
    select(households, conversation_state.c.data)
    .outerjoin(conversation_state, conversation_state.c.household_id == households.c.id)
    .where(households.c.key == bindparam("key"))
)
_UPDATE_STATE = (
    update(conversation_state)
    .where(conversation_state.c.household_id == bindparam("household"))
    .values(data=bindparam("data"), updated_at=bindparam("now"))
)
_NIGHTLY_QUESTION = select(nightly_questions.c.question_id).where(
    nightly_questions.c.household_id == bindparam("household"),
    nightly_questions.c.day == bindparam("day"),
)


class Store:
    """Reads and writes for one household turn; the caller owns the transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # Households and people -------------------------------------------------------------
    def household(self, key: str, timezone: str, now: datetime) -> Household:
        """The household with this key, created on first use (by whichever process is first)."""
        found = self.find_household(key)
        if found is not None:
            return found
        insert_ignoring_conflicts(
            self.conn, households, {"key": key, "timezone": timezone, "created_at": now}
        )
        row = self.conn.execute(select(households).where(households.c.key == key)).one()
        return Household(row.id, row.key, row.timezone)

    def household_and_state(
        self, key: str, timezone: str, now: datetime
    ) -> tuple[Household, dict[str, Any]]:
        """The household (created on first use) and its conversation state, in one query."""
        row = self.conn.execute(_HOUSEHOLD_AND_STATE, {"key": key}).first()
        if row is None:
            return self.household(key, timezone, now), {}
        return Household(row.id, row.key, row.timezone), json.loads(row.data) if row.data else {}

    def find_household(self, key: str) -> Household | None:
        row = self.conn.execute(select(households).where(households.c.key == key)).first()
        return Household(row.id, row.key, row.timezone) if row else None

    def set_timezone(self, household_id: int, timezone: str) -> None:
        self.conn.execute(
            update(households).where(households.c.id == household_id).values(timezone=timezone)
        )

    def people(self, household_id: int) -> list[Person]:
        rows = self.conn.execute(
            select(people).where(people.c.household_id == household_id).order_by(people.c.position)
        )
        return [Person(r.id, r.position, r.name) for r in rows]

    def set_names(self, household_id: int, names: list[str]) -> None:
        for position, name in enumerate(names):
            done = self.conn.execute(
                update(people)
                .where(people.c.household_id == household_id, people.c.position == position)
                .values(name=name)
            ).rowcount
            if not done:
                self.conn.execute(
                    insert(people).values(household_id=household_id, position=position, name=name)
                )

    def person_for_key(self, household_id: int, key: str) -> Person:
        """The person behind a voice profile (Alexa personId), added as the next position."""
        row = self.conn.execute(
            select(people).where(people.c.household_id == household_id, people.c.key == key)
        ).first()
        if row is None:
            unkeyed = self.conn.execute(
                select(people)
                .where(people.c.household_id == household_id, people.c.key.is_(None))
                .order_by(people.c.position)
            ).first()
            if unkeyed is not None:
                self.conn.execute(update(people).where(people.c.id == unkeyed.id).values(key=key))
                return Person(unkeyed.id, unkeyed.position, unkeyed.name)
            position = self.conn.execute(
                select(func.coalesce(func.max(people.c.position) + 1, 0)).where(
                    people.c.household_id == household_id
                )
            ).scalar_one()
            new_id = self.conn.execute(
                insert(people).values(household_id=household_id, position=position, key=key)
            ).inserted_primary_key[0]
            return Person(new_id, position, None)
        return Person(row.id, row.position, row.name)

    # Conversation state ----------------------------------------------------------------
    def state(self, household_id: int) -> dict[str, Any]:
        data = self.conn.execute(
            select(conversation_state.c.data).where(
                conversation_state.c.household_id == household_id
            )
        ).scalar()
        return json.loads(data) if data else {}

    def save_state(self, household_id: int, state: dict[str, Any], now: datetime) -> None:
        data = json.dumps(state, separators=(",", ":"))
        done = self.conn.execute(
            _UPDATE_STATE, {"household": household_id, "data": data, "now": now}
        ).rowcount
        if not done:
            insert_ignoring_conflicts(
                self.conn,
                conversation_state,
                {"household_id": household_id, "data": data, "updated_at": now},
            )

    # Questions -------------------------------------------------------------------------
    def nightly_question(self, household_id: int, day: date) -> str | None:
        return self.conn.execute(
            _NIGHTLY_QUESTION, {"household": household_id, "day": day}
        ).scalar()

    def claim_nightly_question(self, household_id: int, day: date, question_id: str) -> str:
        """Make question_id tonight's unless another device was first; return the one kept."""
        insert_ignoring_conflicts(
            self.conn,
            nightly_questions,
            {"household_id": household_id, "day": day, "question_id": question_id},
        )
        winner = self.nightly_question(household_id, day)
        assert winner is not None
        return winner

    def replace_nightly_question(self, household_id: int, day: date, question_id: str) -> None:
        """Tonight's question changes (the household said it is someone else): every device
        then gets the new one."""
        self.conn.execute(
            update(nightly_questions)
            .where(
                nightly_questions.c.household_id == household_id,
                nightly_questions.c.day == day,
            )
            .values(question_id=question_id)
        )

    def question_cycle(self, household_id: int) -> int:
        return int(
            self.conn.execute(
                select(func.coalesce(func.max(asked_questions.c.cycle), 0)).where(
                    asked_questions.c.household_id == household_id
                )
            ).scalar_one()
        )

    def asked_in_cycle(self, household_id: int, cycle: int) -> list[str]:
        """Question ids asked in a cycle, oldest first."""
        rows = self.conn.execute(
            select(asked_questions.c.question_id)
            .where(asked_questions.c.household_id == household_id, asked_questions.c.cycle == cycle)
            .order_by(asked_questions.c.id)
        )
        return [r.question_id for r in rows]

    def record_asked(self, household_id: int, question_id: str, cycle: int, now: datetime) -> None:
        insert_ignoring_conflicts(
            self.conn,
            asked_questions,
            {
                "household_id": household_id,
                "question_id": question_id,
                "cycle": cycle,
                "asked_at": now,
            },
        )

    def days_with_questions(self, household_id: int, since: date) -> set[date]:
        rows = self.conn.execute(
            select(nightly_questions.c.day).where(
                nightly_questions.c.household_id == household_id, nightly_questions.c.day >= since
            )
        )
        return {r.day for r in rows}

    # Check-ins -------------------------------------------------------------------------
    def add_check_in(
        self,
        household_id: int,
        person_id: int | None,
        day: date,
        rating: int,
        now: datetime,
        request_id: str | None = None,
    ) -> int:
        """Store a rating; a retried request (same request_id) stores nothing new."""
        values = {
            "household_id": household_id,
            "person_id": person_id,
            "day": day,
            "rating": rating,
            "created_at": now,
            "request_id": request_id,
        }
        if request_id is not None:
            insert_ignoring_conflicts(self.conn, check_ins, values)
            return int(
                self.conn.execute(
                    select(check_ins.c.id).where(check_ins.c.request_id == request_id)
                ).scalar_one()
            )
        return int(self.conn.execute(insert(check_ins).values(**values)).inserted_primary_key[0])

    def add_appreciation(self, household_id: int, check_in_id: int, text: str) -> None:
        self.conn.execute(
            update(check_ins)
            .where(check_ins.c.id == check_in_id, check_ins.c.household_id == household_id)
            .values(appreciation=text)
        )

    def check_ins(self, household_id: int, since: date) -> list[CheckIn]:
        rows = self.conn.execute(
            select(check_ins)
            .where(check_ins.c.household_id == household_id, check_ins.c.day >= since)
            .order_by(check_ins.c.day, check_ins.c.id)
        )
        return [CheckIn(r.id, r.day, r.rating, r.person_id) for r in rows]

    # Reminders -------------------------------------------------------------------------
    def add_reminder(
        self, household_id: int, at_time: str, now: datetime, on_date: date | None = None
    ) -> Reminder | None:
        """A new daily reminder (or a one-off on `on_date`), or None when one is already set."""
        if not insert_ignoring_conflicts(
            self.conn,
            reminders,
            {
                "household_id": household_id,
                "at_time": at_time,
                "created_at": now,
                "on_date": on_date,
            },
        ):
            return None
        return next(
            r for r in self.reminders(household_id) if r.at_time == at_time and r.on_date == on_date
        )

    def reminders(self, household_id: int | None = None) -> list[Reminder]:
        """One household's reminders, or every household's (for a scheduler)."""
        query = select(reminders).order_by(reminders.c.at_time)
        if household_id is not None:
            query = query.where(reminders.c.household_id == household_id)
        return [
            Reminder(
                r.id,
                r.household_id,
                r.at_time,
                r.token,
                r.last_delivered_on,
                r.created_at,
                r.on_date,
            )
            for r in self.conn.execute(query)
        ]

    def delete_reminder(self, household_id: int, reminder_id: int) -> None:
        self.conn.execute(
            delete(reminders).where(
                reminders.c.id == reminder_id, reminders.c.household_id == household_id
            )
        )

    def set_reminder_token(self, reminder_id: int, token: str | None) -> None:
        self.conn.execute(
            update(reminders).where(reminders.c.id == reminder_id).values(token=token)
        )

    def mark_reminder_delivered(self, reminder_id: int, day: date) -> bool:
        """Claim today's delivery; False when another process already delivered it."""
        return (
            self.conn.execute(
                update(reminders)
                .where(
                    reminders.c.id == reminder_id,
                    (reminders.c.last_delivered_on.is_(None))
                    | (reminders.c.last_delivered_on < day),
                )
                .values(last_delivered_on=day)
            ).rowcount
            == 1
        )

    # Phone-free timers -----------------------------------------------------------------
    def start_timer(
        self, household_id: int, started_at: datetime, ends_at: datetime, kind: str | None = None
    ) -> Timer:
        new_id = self.conn.execute(
            insert(timers).values(
                household_id=household_id,
                started_at=started_at,
                ends_at=ends_at,
                stopped=False,
                announced=False,
                kind=kind,
            )
        ).inserted_primary_key[0]
        return Timer(int(new_id), household_id, started_at, ends_at, None, kind)

    def active_timer(
        self, household_id: int, now: datetime, kind: str | None = None
    ) -> Timer | None:
        """The running timer of this kind (None: phone-free time)."""
        same_kind = timers.c.kind.is_(None) if kind is None else timers.c.kind == kind
        row = self.conn.execute(
            select(timers)
            .where(
                timers.c.household_id == household_id,
                timers.c.stopped.is_(False),
                timers.c.ends_at > now,
                same_kind,
            )
            .order_by(timers.c.ends_at.desc())
        ).first()
        return _timer(row) if row else None

    def due_timers(self, now: datetime) -> list[Timer]:
        """Timers of every household that ended and were not announced yet."""
        rows = self.conn.execute(
            select(timers).where(
                timers.c.stopped.is_(False), timers.c.announced.is_(False), timers.c.ends_at <= now
            )
        )
        return [_timer(r) for r in rows]

    def pending_timers(self) -> list[Timer]:
        rows = self.conn.execute(
            select(timers).where(timers.c.stopped.is_(False), timers.c.announced.is_(False))
        )
        return [_timer(r) for r in rows]

    def extend_timer(self, timer_id: int, ends_at: datetime) -> None:
        self.conn.execute(update(timers).where(timers.c.id == timer_id).values(ends_at=ends_at))

    def stop_timer(self, timer_id: int) -> None:
        self.conn.execute(update(timers).where(timers.c.id == timer_id).values(stopped=True))

    def set_timer_token(self, timer_id: int, token: str | None) -> None:
        self.conn.execute(update(timers).where(timers.c.id == timer_id).values(token=token))

    def mark_timer_announced(self, timer_id: int) -> bool:
        return (
            self.conn.execute(
                update(timers)
                .where(timers.c.id == timer_id, timers.c.announced.is_(False))
                .values(announced=True)
            ).rowcount
            == 1
        )

    # Forgetting ------------------------------------------------------------------------
    def forget(self, household_id: int, now: datetime) -> None:
        """Delete every row of the household, the household itself last.

        Amazon's copies of its reminders must go too: their tokens are kept in remote_deletions,
        under the household's key, until Amazon confirms each deletion.
        """
        key = self.conn.execute(
            select(households.c.key).where(households.c.id == household_id)
        ).scalar()
        tokens = [r.token for r in self.reminders(household_id) if r.token]
        tokens += [
            row.token
            for row in self.conn.execute(
                select(timers.c.token).where(
                    timers.c.household_id == household_id, timers.c.token.is_not(None)
                )
            )
        ]
        for token in tokens:
            insert_ignoring_conflicts(
                self.conn,
                remote_deletions,
                {"owner_key": key, "token": token, "created_at": now, "attempts": 0},
            )
        for table in HOUSEHOLD_TABLES:
            self.conn.execute(delete(table).where(table.c.household_id == household_id))
        self.conn.execute(delete(households).where(households.c.id == household_id))

    def remote_deletions(self, owner_key: str, limit: int) -> list[str]:
        """Tokens of Amazon reminders still to delete for this household key, oldest first."""
        query = (
            select(remote_deletions.c.token)
            .where(remote_deletions.c.owner_key == owner_key)
            .order_by(remote_deletions.c.id)
            .limit(limit)
        )
        return [row.token for row in self.conn.execute(query)]

    def deleted_remotely(self, owner_key: str, token: str) -> None:
        """Amazon confirmed (or had no such reminder): nothing left to remember."""
        self.conn.execute(
            delete(remote_deletions).where(
                remote_deletions.c.owner_key == owner_key, remote_deletions.c.token == token
            )
        )

    def remote_deletion_failed(self, owner_key: str, token: str) -> None:
        self.conn.execute(
            update(remote_deletions)
            .where(remote_deletions.c.owner_key == owner_key, remote_deletions.c.token == token)
            .values(attempts=remote_deletions.c.attempts + 1)
        )


def _timer(row: Any) -> Timer:
    return Timer(row.id, row.household_id, row.started_at, row.ends_at, row.token, row.kind)
