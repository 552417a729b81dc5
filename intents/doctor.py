"""`heart-to-heart doctor`, the checks that need no audio library: the config file, the time
zone, the database and the reminders. Each check returns a CheckResult and never raises; the
voice front end adds the microphone, speakers and speech checks and prints them all."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from intents.settings import Settings, SettingsProblem
from intents.store.database import ENV_URL, open_engine, run_with_retry
from intents.store.migrations import current_revision, head, migrate
from intents.store.repository import Store
from intents.store.schema import households

Status = Literal["PASS", "FAIL", "SKIP"]
DATABASE_FIX = f"check `database` in the config file, ${ENV_URL} or --db"
TIMEZONE_FIX = 'set timezone = "Europe/London" (yours) in the config file, or TZ'
NEXT_REMINDERS = 3


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str
    """What was found."""
    fix: str = ""
    """What to do about it (empty when there is nothing to do)."""

    def line(self) -> str:
        """One line for the terminal: status, name, what was found and what to do."""
        text = f"{self.status} {self.name:<13} {self.detail}"
        return f"{text} -> {self.fix}" if self.fix else text

    def to_data(self) -> dict[str, Any]:
        return asdict(self)


def guarded(name: str, check: Callable[[], CheckResult]) -> CheckResult:
    """Run a check; an error nobody foresaw is a FAIL line of its own, never a traceback."""
    try:
        return check()
    except Exception as error:
        return CheckResult(
            name, "FAIL", f"the check itself failed: {error.__class__.__name__}: {error}"
        )


def check_config(
    settings: Settings | None, path: str, problem: SettingsProblem | None
) -> CheckResult:
    """The config file: read and valid, absent (defaults), or the problem with it."""
    if problem is not None:
        return CheckResult(
            "config", "FAIL", str(problem), "fix the file; the other checks use the defaults"
        )
    if settings is None or settings.path is None:
        return CheckResult(
            "config",
            "PASS",
            f"no file at {path}: defaults in use (`heart-to-heart config init` writes one)",
            "",
        )
    chosen = sum(source == "config file" for source in settings.sources.values())
    return CheckResult("config", "PASS", f"{settings.path} ({chosen} settings from it)")


def check_timezone(name: str, now: datetime) -> CheckResult:
    """The time zone is a real one; the local time in it."""
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return CheckResult(
            "time zone", "FAIL", f"{name!r} is not a time zone (UTC is used instead)", TIMEZONE_FIX
        )
    local = now.astimezone(zone)
    return CheckResult("time zone", "PASS", f"{name}: it is {local:%H:%M on %A %d %B} there")


@dataclass
class DatabaseCheck:
    result: CheckResult
    engine: Engine | None
    """The open engine when the database works, for the checks that read it."""


def check_database(url: str | None, now: datetime) -> DatabaseCheck:
    """Reachable, upgraded to the newest schema (as every start does), writable (in a
    transaction that is rolled back, so nothing stays)."""
    name = "database"
    try:
        engine = open_engine(url, migrate_schema=False)
        shown = make_url(str(engine.url)).render_as_string(hide_password=True)
        with engine.connect() as conn:
            before = current_revision(conn)
        run_with_retry(lambda: migrate(engine))
        with engine.connect() as conn:
            after = current_revision(conn)
        with engine.connect() as conn, conn.begin() as transaction:
            conn.execute(
                insert(households).values(
                    key=f"doctor:{uuid.uuid4().hex}", timezone="UTC", created_at=now
                )
            )
            transaction.rollback()
    except ArgumentError as error:
        return DatabaseCheck(
            CheckResult(name, "FAIL", f"not a database URL ({error})", DATABASE_FIX), None
        )
    except OperationalError as error:
        return DatabaseCheck(
            CheckResult(name, "FAIL", f"cannot be opened or written ({error.orig})", DATABASE_FIX),
            None,
        )
    except OSError as error:
        return DatabaseCheck(
            CheckResult(name, "FAIL", f"cannot be opened ({error})", DATABASE_FIX), None
        )
    except Exception as error:  # e.g. a database newer than this program
        return DatabaseCheck(
            CheckResult(name, "FAIL", f"{error.__class__.__name__}: {error}", DATABASE_FIX), None
        )
    if after != head():
        return DatabaseCheck(
            CheckResult(name, "FAIL", f"{shown}: schema at {after}, expected {head()}"), engine
        )
    if before == after:
        schema = f"schema at {after} (the newest)"
    elif before is None:
        schema = f"schema created at {after} (the newest)"
    else:
        schema = f"schema upgraded from {before} to {after} (the newest)"
    return DatabaseCheck(
        CheckResult(name, "PASS", f"{shown}: reachable, writable, {schema}"), engine
    )


def check_reminders(engine: Engine | None, household_key: str, now: datetime) -> CheckResult:
    """The next reminders due for the household, and phone-free time running."""
    name = "reminders"
    if engine is None:
        return CheckResult(name, "SKIP", "the database cannot be used (see above)")
    with engine.connect() as conn:
        store = Store(conn)
        household = store.find_household(household_key)
        if household is None:
            return CheckResult(name, "PASS", f"none yet ({household_key} has not talked yet)")
        reminders = store.reminders(household.id)
        timer = store.active_timer(household.id, now)
    try:
        zone = ZoneInfo(household.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local_now = now.astimezone(zone)
    upcoming = sorted(
        moment
        for reminder in reminders
        # one-off reminders carry the day they fall on; daily ones do not
        if (moment := next_time(reminder.at_time, local_now, getattr(reminder, "on_date", None)))
    )
    said = [when(moment, local_now.date()) for moment in upcoming[:NEXT_REMINDERS]]
    parts = [f"next: {', '.join(said)}" if said else "none set"]
    if len(upcoming) > NEXT_REMINDERS:
        parts.append(f"{len(upcoming)} in all")
    if timer is not None:
        parts.append(f"phone-free time until {timer.ends_at.astimezone(zone):%H:%M}")
    return CheckResult(name, "PASS", f"{household_key}: " + "; ".join(parts))


def next_time(at_time: str, local_now: datetime, on_date: date | None = None) -> datetime | None:
    """The next moment a reminder at HH:MM falls due from `local_now` on: today or tomorrow for a
    daily one, its own day for a one-off one (None once that has passed)."""
    hours, minutes = (int(part) for part in at_time.split(":")[:2])
    day = on_date or local_now.date()
    moment = datetime.combine(day, time(hours, minutes), tzinfo=local_now.tzinfo)
    if moment >= local_now:
        return moment
    return None if on_date else moment + timedelta(days=1)


def when(moment: datetime, today: date) -> str:
    """21:00 today, 21:00 tomorrow, 19:00 on Sat 28 Nov."""
    if moment.date() == today:
        return f"{moment:%H:%M} today"
    if moment.date() == today + timedelta(days=1):
        return f"{moment:%H:%M} tomorrow"
    return f"{moment:%H:%M} on {moment:%a %d %b}"
