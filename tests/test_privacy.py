"""Privacy: households never see each other, "forget us" leaves nothing, intimate words are never
logged, and the database file is for its owner's eyes only."""

from __future__ import annotations

import logging
import os
import stat

from sqlalchemy import func, select

from intents.store.database import open_engine
from intents.store.schema import households, metadata, remote_deletions

A, B = "local:a", "local:b"


def rows_by_table(engine, household_id: int | None = None) -> dict[str, int]:
    counts = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name == "schema_version":
                continue
            query = select(func.count()).select_from(table)
            if household_id is not None and table is remote_deletions:
                continue  # keyed by the household's key: tested on its own
            if household_id is not None:
                column = table.c.id if table is households else table.c.household_id
                query = query.where(column == household_id)
            counts[table.name] = conn.execute(query).scalar_one()
    return counts


def household_id(engine, key: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(households.c.id).where(households.c.key == key)).scalar_one()


def fill(companion, key: str) -> None:
    for line in (
        "we're Sam and Alex",
        "what's tonight's question",
        "another one",
        "we feel a four",
        "the walk we took",
        "remind us to put our phones away at nine",
        "start twenty minutes of phone free time",
    ):
        companion.reply_to_text(key, line)


def test_forget_us_removes_every_row_of_the_household_and_only_its_rows(companion):
    fill(companion, A)
    fill(companion, B)
    a = household_id(companion.engine, A)
    before_a = rows_by_table(companion.engine, a)
    assert all(n > 0 for n in before_a.values()), before_a  # every table holds something of A
    before_b = rows_by_table(companion.engine, household_id(companion.engine, B))
    companion.reply_to_text(A, "forget us")
    companion.reply_to_text(A, "yes")
    assert sum(rows_by_table(companion.engine, a).values()) == 0
    assert rows_by_table(companion.engine, household_id(companion.engine, B)) == before_b


def test_one_household_cannot_read_or_change_anothers(companion):
    fill(companion, A)
    b_summary = companion.reply_to_text(B, "how are we doing").speech.plain
    assert "nothing to look back on" in b_summary.lower()
    assert "don't have any" in companion.reply_to_text(B, "what reminders do we have").speech.plain
    companion.reply_to_text(B, "cancel all reminders")
    assert "nine at night" in companion.reply_to_text(A, "what reminders do we have").speech.plain
    companion.reply_to_text(B, "forget us")
    companion.reply_to_text(B, "yes")
    assert "4" in companion.reply_to_text(A, "how are we doing").speech.plain
    assert (
        "no phone-free time" not in companion.reply_to_text(A, "how much time is left").speech.plain
    )


def test_what_people_appreciate_never_reaches_the_logs(companion, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "you held my hand at the hospital"
    companion.reply_to_text(A, "let's check in")
    companion.reply_to_text(A, "two")
    companion.reply_to_text(A, secret)
    companion.reply_to_text(A, "how are we doing")
    assert caplog.records, "nothing was logged at all: the capture is not working"
    assert secret not in caplog.text
    assert "hospital" not in caplog.text


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "private" / "heart.db"
    engine = open_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT 1")
    engine.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
