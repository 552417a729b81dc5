"""Several processes on one database: nothing lost, nothing doubled, nothing half-written."""

from __future__ import annotations

import multiprocessing
import random

import pytest
from sqlalchemy import func, select

from intents.companion import build_companion
from intents.matcher import IntentRequest
from intents.reply import Reply
from intents.store.schema import check_ins, metadata, nightly_questions
from intents.turn import Turn

PER_PROCESS = 40


def _check_in_many(url: str, worker: int, count: int, queue) -> None:  # runs in a child process
    companion = build_companion(url, rng=random.Random(worker), timezone="Europe/London")
    acknowledged = 0
    for n in range(count):
        reply = companion.reply_to(
            "alexa:shared",
            IntentRequest("CheckIn", {"rating": str(1 + n % 5)}),
            request_id=f"req-{worker}-{n}",
        )
        acknowledged += "A " in reply.speech.plain
    question = companion.reply_to("alexa:shared", IntentRequest("TonightQuestion"))
    queue.put((acknowledged, [s.text for s in question.speech.segments if s.kind == "question"]))
    companion.engine.dispose()


def test_two_processes_writing_at_once_lose_nothing(db_url, engine):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=_check_in_many, args=(db_url, w, PER_PROCESS, queue))
        for w in range(2)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert sum(acknowledged for acknowledged, _ in results) == 2 * PER_PROCESS
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(check_ins)).scalar_one()
        distinct = conn.execute(
            select(func.count(func.distinct(check_ins.c.request_id)))
        ).scalar_one()
        nights = conn.execute(select(func.count()).select_from(nightly_questions)).scalar_one()
    assert stored == distinct == 2 * PER_PROCESS
    assert nights == 1
    assert results[0][1] == results[1][1]  # the same question, whichever process asked first


def test_a_retried_request_is_stored_once(companion):
    for _ in range(3):
        companion.reply_to("alexa:x", IntentRequest("CheckIn", {"rating": "3"}), request_id="same")
    with companion.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(check_ins)).scalar_one() == 1


def test_a_failing_turn_leaves_nothing_half_written(companion):
    def writes_then_fails(turn: Turn) -> Reply:
        turn.store.add_check_in(turn.household.id, None, turn.today, 4, turn.now)
        raise RuntimeError("the handler broke after writing")

    companion.conversation.route = lambda turn: writes_then_fails
    with pytest.raises(RuntimeError):
        companion.reply_to_text("local:a", "we feel a four")
    with companion.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name != "schema_version":
                assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
