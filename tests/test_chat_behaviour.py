"""Every intent, through the text front end, against a real database and an injected clock."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intents.chat import chat
from intents.companion import Companion, build_companion
from intents.conversation import LAUNCH
from intents.matcher import IntentRequest
from intents.questions import heard_by
from intents.reply import CancelReminder, CancelTimer, Reply, ScheduleReminder, StartTimer
from intents.store.schema import check_ins, metadata

HOME = "local:home"


def say(companion: Companion, text: str, household: str = HOME) -> Reply:
    return companion.reply_to_text(household, text)


def question_of(reply: Reply) -> str:
    texts = [s.text for s in reply.speech.segments if s.kind == "question"]
    assert len(texts) == 1, reply.speech.plain
    return texts[0]


def kind_of(companion: Companion, text: str) -> tuple[str, str]:
    question = next(
        q for q in companion.conversation.content.questions if q.rendered("couple") == text
    )
    return question.kind, question.depth


# Tonight's question --------------------------------------------------------------------


def test_tonight_question_is_same_all_day(companion, clock):
    first = question_of(say(companion, "what's tonight's question"))
    clock.advance(hours=4, minutes=30)  # 22:30 in London, still the same evening
    assert question_of(say(companion, "tonight's question please")) == first


def test_tonight_question_is_the_same_on_another_device(companion, clock, engine):
    first = question_of(say(companion, "what's tonight's question"))
    kitchen = build_companion(
        engine=engine, clock=clock, rng=random.Random(99), timezone="Europe/London"
    )
    assert question_of(say(kitchen, "what's tonight's question")) == first


def test_tomorrow_brings_a_new_question(companion, clock):
    today = question_of(say(companion, "what's tonight's question"))
    clock.advance(days=1)
    assert question_of(say(companion, "what's tonight's question")) != today


def test_the_day_changes_at_the_households_midnight(engine, clock):
    # 18:00 UTC on the 24th is 07:00 on the 25th in Auckland (UTC+13 in November).
    kiwi = build_companion(
        engine=engine, clock=clock, rng=random.Random(1), timezone="Pacific/Auckland"
    )
    first = question_of(say(kiwi, "what's tonight's question"))
    clock.advance(hours=6, minutes=30)  # 00:30 UTC: a new UTC day, still the 25th in Auckland
    assert question_of(say(kiwi, "what's tonight's question")) == first
    clock.advance(hours=10, minutes=29)  # 10:59 UTC: 23:59 in Auckland
    assert question_of(say(kiwi, "what's tonight's question")) == first
    clock.advance(minutes=2)  # 11:01 UTC: just past Auckland midnight
    assert question_of(say(kiwi, "what's tonight's question")) != first


def test_no_question_repeats_before_the_bank_is_exhausted(companion, clock):
    # A couple's bank: no reflections for one, no romance until they ask for it.
    bank = len(heard_by(companion.conversation.content.questions, "couple"))
    heard = [question_of(say(companion, "what's tonight's question"))]
    for _ in range(bank - 1):
        heard.append(question_of(say(companion, "another one")))
    assert len(set(heard)) == bank
    assert _cycle(companion) == 1
    say(companion, "another one")
    assert _cycle(companion) == 2  # a new cycle starts only now, when every question was heard


def _cycle(companion: Companion) -> int:
    from intents.store.repository import Store

    with companion.engine.connect() as conn:
        store = Store(conn)
        return store.question_cycle(store.find_household(HOME).id)


def test_a_deeper_one_is_deeper_and_a_lighter_one_lighter(companion):
    question_of(say(companion, "what's tonight's question"))
    depths = ["light", "deeper", "deepest"]
    deeper = kind_of(companion, question_of(say(companion, "a deeper one")))[1]
    deeper_still = kind_of(companion, question_of(say(companion, "a deeper one")))[1]
    lighter = kind_of(companion, question_of(say(companion, "a lighter one")))[1]
    assert depths.index(deeper) >= 1
    assert depths.index(deeper_still) >= depths.index(deeper)
    assert depths.index(lighter) == depths.index(deeper_still) - 1


@pytest.mark.parametrize("kind", ["emotional", "physical", "intellectual", "spiritual"])
def test_asking_for_a_kind_gives_that_kind(companion, kind):
    reply = say(companion, f"a {kind} one")
    assert kind_of(companion, question_of(reply))[0] == kind
    assert reply.card is not None and reply.card.text == question_of(reply)


def test_repeat_says_the_question_again(companion):
    asked = say(companion, "what's tonight's question")
    again = say(companion, "repeat that")
    assert again.speech == asked.speech
    assert question_of(again) == question_of(asked)


def test_turns_alternate_between_named_partners(companion):
    assert "Sam and Alex" in say(companion, "we're Sam and Alex").speech.plain
    say(companion, "what's tonight's question")
    first = say(companion, "you go first").speech.plain
    second = say(companion, "your turn").speech.plain
    third = say(companion, "your turn").speech.plain
    assert "Sam" in first and "Alex" in second and "Sam" in third


def test_turns_work_without_names(companion):
    say(companion, "what's tonight's question")
    first = say(companion, "you go first")
    second = say(companion, "your turn")
    assert first.speech.plain != second.speech.plain
    assert first.end_session  # they talk to each other now; the microphone closes


# Check-ins -----------------------------------------------------------------------------


def _stored_appreciations(companion: Companion) -> list[str | None]:
    with companion.engine.connect() as conn:
        return [r.appreciation for r in conn.execute(select(check_ins).order_by(check_ins.c.id))]


def test_check_in_stores_a_rating_and_what_was_appreciated(companion):
    start = say(companion, "let's check in")
    assert start.expects_answer and "one to five" in start.speech.plain
    rated = say(companion, "four")
    assert "4" in rated.speech.plain and rated.expects_answer
    done = say(companion, "You made me tea when I was tired")
    assert done.end_session
    assert _stored_appreciations(companion) == ["You made me tea when I was tired"]


def test_check_in_stores_no_appreciation_when_skipped(companion):
    say(companion, "check in")
    say(companion, "three")
    assert say(companion, "skip").end_session
    assert _stored_appreciations(companion) == [None]


def test_check_in_reflects_the_trend_from_last_week(companion, clock):
    say(companion, "we feel a three")
    say(companion, "skip")
    clock.advance(days=7)
    reply = say(companion, "we feel a four")
    assert "up from 3 last week" in reply.speech.plain


def test_a_lower_score_is_met_gently(companion, clock):
    say(companion, "we feel a four")
    say(companion, "skip")
    clock.advance(days=2)
    text = say(companion, "we feel a two").speech.plain
    assert "2" in text and "4" in text
    for harsh in ("fail", "bad", "should", "worse"):
        assert harsh not in text.lower()


def test_a_rating_outside_one_to_five_is_asked_again(companion):
    say(companion, "let's check in")
    reply = say(companion, "seven")
    assert reply.expects_answer and "one to five" in reply.speech.plain
    assert _stored_appreciations(companion) == []
    say(companion, "five")
    assert len(_stored_appreciations(companion)) == 1


def test_how_are_we_doing_summarises_without_guilt(companion, clock):
    empty = say(companion, "how are we doing").speech.plain
    assert "nothing to look back on" in empty.lower()
    for rating in ("three", "four", "four"):
        say(companion, f"we feel a {rating}")
        say(companion, "skip")
        say(companion, "what's tonight's question")
        clock.advance(days=3)  # nights missed in between: never mentioned
    text = say(companion, "how are we doing").speech.plain
    assert "3 times" in text and "around a 4" in text
    for guilt in ("streak", "missed", "only", "fail", "should"):
        assert guilt not in text.lower()


# Encouragement, ideas, touch -----------------------------------------------------------


def _practice_sizes(companion: Companion) -> dict[str, str]:
    return {p.text: p.size for p in companion.conversation.content.practices}


def _practice_in(companion: Companion, reply: Reply) -> str:
    assert reply.card is not None
    return _practice_sizes(companion)[reply.card.text]


def test_encouragement_after_low_check_ins_offers_a_small_step(companion):
    say(companion, "we feel a one")
    say(companion, "skip")
    reply = say(companion, "encourage us")
    assert _practice_in(companion, reply) == "small"
    low = {e.text for e in companion.conversation.content.encouragements if e.mood == "low"}
    assert any(text in reply.speech.plain for text in low)


def test_encouragement_after_high_check_ins_celebrates(companion):
    say(companion, "we feel a five")
    say(companion, "skip")
    reply = say(companion, "encourage us")
    assert _practice_in(companion, reply) == "full"
    high = {e.text for e in companion.conversation.content.encouragements if e.mood == "high"}
    assert any(text in reply.speech.plain for text in high)


def test_ideas_and_touch_rituals_come_from_the_banks_without_quick_repeats(companion):
    ideas = {i.text for i in companion.conversation.content.ideas}
    rituals = {i.text for i in companion.conversation.content.touch_rituals}
    seen_ideas = [say(companion, "let's try something new").card.text for _ in range(10)]
    seen_rituals = [say(companion, "give us a touch ritual").card.text for _ in range(10)]
    assert set(seen_ideas) <= ideas and len(set(seen_ideas)) == 10
    assert set(seen_rituals) <= rituals and len(set(seen_rituals)) == 10


# Phone-free time -----------------------------------------------------------------------


def test_phone_free_time_defaults_to_twenty_minutes(companion, clock):
    reply = say(companion, "start phone free time")
    timers = [e for e in reply.effects if isinstance(e, StartTimer)]
    assert len(timers) == 1 and timers[0].ends_at == clock.now + timedelta(minutes=20)
    assert timers[0].text and reply.end_session


def test_phone_free_time_counts_down_extends_and_stops(companion, clock):
    say(companion, "start thirty minutes of phone free time")
    clock.advance(minutes=12)
    assert "18 minutes" in say(companion, "how much time is left").speech.plain
    extended = say(companion, "add ten more minutes")
    starts = [e for e in extended.effects if isinstance(e, StartTimer)]
    assert starts[0].ends_at == clock.now + timedelta(minutes=28)
    assert any(isinstance(e, CancelTimer) for e in extended.effects)
    stopped = say(companion, "stop phone free time")
    assert any(isinstance(e, CancelTimer) for e in stopped.effects)
    assert "no phone-free time running" in say(companion, "how much time is left").speech.plain


# Reminders -----------------------------------------------------------------------------


def test_reminders_are_created_listed_and_cancelled(companion):
    created = say(companion, "remind us to put our phones away at nine every night")
    schedule = [e for e in created.effects if isinstance(e, ScheduleReminder)]
    assert schedule and schedule[0].at.hour == 21 and schedule[0].timezone == "Europe/London"
    say(companion, "set a phones away reminder for ten thirty pm")
    listing = say(companion, "what reminders do we have").speech.plain
    assert "nine at night" in listing and "ten thirty at night" in listing
    cancelled = say(companion, "cancel the nine o'clock reminder")
    assert [type(e) for e in cancelled.effects] == [CancelReminder]
    assert "nine at night" not in say(companion, "what reminders do we have").speech.plain


def test_a_reminder_without_a_time_asks_for_one(companion):
    asked = say(companion, "set a phones away reminder")
    assert asked.expects_answer
    created = say(companion, "half past nine")
    assert [e.at.minute for e in created.effects if isinstance(e, ScheduleReminder)] == [30]


def test_the_same_reminder_twice_is_kept_once(companion):
    say(companion, "remind us to put our phones away at nine")
    again = say(companion, "remind us to put our phones away at nine pm")
    assert again.effects == ()
    assert "already" in again.speech.plain


def test_cancelling_with_several_reminders_asks_which(companion):
    say(companion, "remind us to put our phones away at nine")
    say(companion, "remind us to put our phones away at ten")
    asked = say(companion, "cancel our reminder")
    assert asked.expects_answer
    done = say(companion, "all")
    assert len([e for e in done.effects if isinstance(e, CancelReminder)]) == 2


# Deep dive -----------------------------------------------------------------------------


def test_deep_dive_goes_through_three_sets_and_resumes_another_evening(companion, clock, engine):
    sets = companion.conversation.content.deep_dive
    first = say(companion, "let's do a deep dive")
    assert question_of(first) == sets[0].questions[0].text
    say(companion, "next")
    clock.advance(days=1)
    later = build_companion(
        engine=engine, clock=clock, rng=random.Random(2), timezone="Europe/London"
    )
    resumed = say(later, "where were we")
    assert question_of(resumed) == sets[0].questions[1].text
    for _ in range(len(sets[0].questions) - 2):
        say(later, "next")
    end_of_set = say(later, "next")
    assert end_of_set.expects_answer and sets[1].title in end_of_set.speech.plain
    assert question_of(say(later, "yes")) == sets[1].questions[0].text


def test_deep_dive_finishes_after_the_third_set(companion):
    say(companion, "let's do a deep dive")
    total = sum(len(s.questions) for s in companion.conversation.content.deep_dive)
    replies = []
    for _ in range(total + 5):
        reply = say(companion, "next")
        replies.append(reply)
        if reply.expects_answer and not any(s.kind == "question" for s in reply.speech.segments):
            reply = say(companion, "yes")
        if reply.end_session:
            break
    assert replies[-1].end_session or reply.end_session


# Forget us -----------------------------------------------------------------------------


def _rows(companion: Companion) -> int:
    with companion.engine.connect() as conn:
        return sum(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
            if t.name != "schema_version"
        )


def test_forget_us_needs_a_yes_and_then_deletes_everything(companion):
    say(companion, "we're Sam and Alex")
    say(companion, "we feel a four")
    say(companion, "the walk")
    say(companion, "remind us to put our phones away at nine")
    say(companion, "what's tonight's question")
    kept = say(companion, "forget us")
    assert kept.expects_answer
    assert "kept" in say(companion, "no").speech.plain
    assert _rows(companion) > 0
    say(companion, "forget us")
    done = say(companion, "yes")
    assert done.end_session
    assert _rows(companion) == 0


# Help, stop, cancel, fallback, start over, yes and no ---------------------------------


def test_help_lists_what_can_be_done_and_waits(companion):
    reply = say(companion, "help")
    assert reply.expects_answer and "tonight's question" in reply.speech.plain


def test_stop_and_cancel_close_the_conversation(companion):
    assert say(companion, "stop").end_session
    say(companion, "forget us")
    cancelled = say(companion, "cancel")
    assert cancelled.end_session
    assert "Yes" not in [say(companion, "yes").speech.plain]  # the pending forget is gone
    assert _rows(companion) > 0


def test_fallback_suggests_the_most_useful_next_step(companion):
    assert "tonight's question" in say(companion, "purple elephants").speech.plain
    say(companion, "let's check in")
    hint = say(companion, "purple elephants")
    assert "one to five" in hint.speech.plain and hint.expects_answer


def test_yes_after_the_greeting_asks_tonight_question(companion):
    out = io.StringIO()
    chat(companion, HOME, stdin=io.StringIO("yes\nstop\n"), stdout=out)
    text = out.getvalue()
    assert "tonight's question?" in text.lower()
    question = companion.conversation.content.question(
        companion.conversation.engine and _tonight_id(companion)
    )
    assert question is not None and question.rendered("couple") in text


def _tonight_id(companion: Companion) -> str:
    from intents.store.schema import nightly_questions

    with companion.engine.connect() as conn:
        return conn.execute(select(nightly_questions.c.question_id)).scalar_one()


def test_start_over_goes_back_to_the_beginning(companion):
    say(companion, "let's do a deep dive")
    say(companion, "next")
    restarted = say(companion, "start over")
    assert question_of(restarted) == companion.conversation.content.deep_dive[0].questions[0].text


def test_households_never_share_tonights_question(companion):
    ours = question_of(say(companion, "what's tonight's question", household="local:a"))
    theirs = question_of(say(companion, "what's tonight's question", household="local:b"))
    for _ in range(5):  # the neighbours ask for others, more than once
        say(companion, "another one", household="local:b")
    assert question_of(say(companion, "what's tonight's question", household="local:a")) == ours
    assert question_of(say(companion, "what's tonight's question", household="local:b")) == theirs
    from intents.store.schema import nightly_questions

    with companion.engine.connect() as conn:
        rows = conn.execute(nightly_questions.select()).all()
    assert len({row.household_id for row in rows}) == 2 == len(rows)


def test_households_do_not_share_check_ins(companion):
    say(companion, "we feel a two", household="local:a")
    say(companion, "skip", household="local:a")
    text = say(companion, "how are we doing", household="local:b").speech.plain
    assert "nothing to look back on" in text.lower()


def test_the_first_visit_is_not_welcomed_back(companion):
    first = companion.reply_to(HOME, IntentRequest(LAUNCH))
    assert "welcome back" not in first.speech.plain.lower() and first.expects_answer
