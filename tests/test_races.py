"""Real races between processes: both start at the same instant (a barrier), on one database."""

from __future__ import annotations

import multiprocessing
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from intents.companion import build_companion
from intents.matcher import IntentRequest
from intents.store.schema import nightly_questions

HOUSEHOLDS = 12
EVENING = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def _ask_tonight(url: str, worker: int, barrier, queue) -> None:  # runs in a child process
    # Different random sources: left alone, the two processes would choose different questions.
    companion = build_companion(
        url, rng=random.Random(1000 + worker), timezone="Europe/London", clock=lambda: EVENING
    )
    answers = {}
    for n in range(HOUSEHOLDS):
        barrier.wait(timeout=60)
        reply = companion.reply_to(f"alexa:race-{n}", IntentRequest("TonightQuestion"))
        answers[n] = [s.text for s in reply.speech.segments if s.kind == "question"]
    queue.put(answers)
    companion.engine.dispose()


def _run_pair(target, url: str) -> list:
    context = multiprocessing.get_context("spawn")
    barrier, queue = context.Barrier(2), context.Queue()
    workers = [context.Process(target=target, args=(url, w, barrier, queue)) for w in range(2)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return results


def test_two_processes_claiming_tonight_at_once_both_answer_with_the_winners_question(
    db_url, engine
):
    first, second = _run_pair(_ask_tonight, db_url)
    assert first == second
    assert all(first[n] for n in range(HOUSEHOLDS))
    with engine.connect() as conn:
        nights = conn.execute(select(func.count()).select_from(nightly_questions)).scalar_one()
    assert nights == HOUSEHOLDS


def _set_reminders(url: str) -> None:
    companion = build_companion(url, timezone="Europe/London", clock=lambda: EVENING)
    for n in range(HOUSEHOLDS):
        companion.reply_to_text(f"local:race-{n}", "remind us to put our phones away at nine")
    companion.engine.dispose()


def _deliver(url: str, worker: int, barrier, queue) -> None:  # runs in a child process
    from intents.store.database import open_engine
    from local_voice.scheduler import Scheduler

    engine = open_engine(url)
    nine = EVENING + timedelta(hours=3)
    spoken = {}
    for n in range(HOUSEHOLDS):
        scheduler = Scheduler(engine, f"local:race-{n}", lambda: nine)
        barrier.wait(timeout=60)
        spoken[n] = len(scheduler.due())
    queue.put(spoken)
    engine.dispose()


def test_two_schedulers_in_two_processes_speak_a_due_reminder_exactly_once(db_url):
    _set_reminders(db_url)
    first, second = _run_pair(_deliver, db_url)
    assert [first[n] + second[n] for n in range(HOUSEHOLDS)] == [1] * HOUSEHOLDS
