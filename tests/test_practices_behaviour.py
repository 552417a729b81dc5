"""The guessing game, the deep dive's tasks and closing, and the guided practices, through the
text front end against a real database and an injected clock."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from sqlalchemy import select

from intents.companion import Companion
from intents.reply import Reply, ScheduleReminder
from intents.store.schema import reminders, timers

HOME = "local:home"
SCORE_WORDS = re.compile(r"\b(points?|scores?|scored|wins?|winner|won|lose|loses|lost|correct)\b")


def say(companion: Companion, text: str) -> Reply:
    return companion.reply_to_text(HOME, text, session="s")


def question_of(reply: Reply) -> str:
    texts = [s.text for s in reply.speech.segments if s.kind == "question"]
    assert len(texts) == 1, reply.speech.plain
    return texts[0]


def _guided(companion: Companion):
    guided = companion.conversation.content.guided
    assert guided is not None
    return guided


# The guessing game (love maps) ------------------------------------------------------------


def test_love_maps_alternates_who_guesses_and_who_answers_by_name(companion):
    say(companion, "we're Sam and Alex")
    first = say(companion, "let's play love maps")
    second = say(companion, "next")
    third = say(companion, "next")
    for reply, guesser, answerer in (
        (first, "Sam", "Alex"),
        (second, "Alex", "Sam"),
        (third, "Sam", "Alex"),
    ):
        text = reply.speech.plain
        assert text.index(guesser) < text.index(answerer), text
        assert f"would {answerer} finish" in text or f"how {answerer} would finish" in text, text
        assert reply.end_session  # they talk to each other, not to the companion
    prompts = {question_of(r) for r in (first, second, third)}
    assert len(prompts) == 3
    texts = {p.text for p in _guided(companion).love_maps}
    assert prompts <= texts


def test_love_maps_without_names_says_one_of_you_then_swaps(companion):
    first = say(companion, "let's play the guessing game").speech.plain
    second = say(companion, "next").speech.plain
    assert "One of you" in first or "one of you" in first or "Whoever" in first
    assert (
        "answered last time" in second
        or "just answered" in second
        or "last time's answerer" in second
    )


def test_love_maps_keeps_no_score_and_ends_warmly_on_stop(companion):
    replies = [say(companion, "quiz us about each other")]
    replies += [say(companion, "next") for _ in range(5)]
    end = say(companion, "stop")
    assert end.end_session
    for reply in replies + [end]:
        assert not SCORE_WORDS.search(reply.speech.plain.lower()), reply.speech.plain
    after = say(companion, "next")  # the game is over: "next" is a question again
    assert "guess" not in after.speech.plain.lower()


def test_love_maps_keeps_repeat_and_fallback_inside_the_game(companion):
    asked = say(companion, "let's play love maps")
    assert say(companion, "repeat that").speech == asked.speech
    lost = say(companion, "purple elephants")
    assert lost.expects_answer and lost.speech.plain.endswith("?")
    assert "next" in lost.speech.plain.lower() or "another" in lost.speech.plain.lower()
    assert say(companion, "next").end_session


def test_love_maps_friends_never_hear_couple_prompts(companion):
    say(companion, "we're friends")
    couple_only = {p.text for p in _guided(companion).love_maps if "friends" not in p.audiences}
    heard = [question_of(say(companion, "let's play love maps"))]
    heard += [question_of(say(companion, "next")) for _ in range(40)]
    assert not set(heard) & couple_only


def test_love_maps_for_one_person_explains_kindly_and_offers_a_question(companion):
    say(companion, "it's just me")
    reply = say(companion, "let's play love maps")
    assert reply.expects_answer and reply.speech.plain.endswith("?")
    assert "two" in reply.speech.plain
    assert any(s.kind == "question" for s in say(companion, "yes").speech.segments)


# The deep dive: sets in order, tasks between questions, closing ritual ---------------------


def _run_dive(companion: Companion) -> list[Reply]:
    replies = [say(companion, "let's do a deep dive")]
    for _ in range(60):
        reply = say(companion, "next")
        if reply.expects_answer and not any(s.kind == "question" for s in reply.speech.segments):
            replies.append(reply)
            reply = say(companion, "yes")
        replies.append(reply)
        if not any(s.kind == "question" for s in reply.speech.segments):
            break
    return replies


def test_the_deep_dive_runs_its_three_sets_in_order_with_tasks_and_a_closing_ritual(companion):
    sets = companion.conversation.content.deep_dive
    replies = _run_dive(companion)
    asked = [
        question_of(r) for r in replies if any(s.kind == "question" for s in r.speech.segments)
    ]
    assert asked == [q.text for s in sets for q in s.questions]
    for dive_set in sets:
        assert dive_set.tasks
        for task in dive_set.tasks:
            carrying = [r for r in replies if task.couple in r.speech.plain]
            assert len(carrying) == 1, task.after
            assert question_of(carrying[0]) == next(
                q.text for q in dive_set.questions if q.id == task.after
            )
            assert carrying[0].speech.plain.index(task.couple) > carrying[0].speech.plain.index(
                question_of(carrying[0])
            )
    closing = replies[-1]
    assert closing.end_session
    assert _guided(companion).closing["couple"] in closing.speech.plain
    assert "minute" in closing.speech.plain and "one sentence each" in closing.speech.plain
    again = say(companion, "let's do a deep dive")  # finished: a new dive starts afresh
    assert question_of(again) == sets[0].questions[0].text


def test_a_task_comes_between_questions_not_instead_of_one(companion):
    sets = companion.conversation.content.deep_dive
    first_task = sets[0].tasks[0]
    position = [q.id for q in sets[0].questions].index(first_task.after)
    say(companion, "let's do a deep dive")
    for _ in range(position):
        say(companion, "next")
    after_task = say(companion, "next")
    assert question_of(after_task) == sets[0].questions[position + 1].text
    assert first_task.couple not in after_task.speech.plain


def test_friends_get_friend_tasks_and_a_friend_closing(companion):
    say(companion, "we're friends")
    sets = companion.conversation.content.deep_dive
    replies = _run_dive(companion)
    spoken = " ".join(r.speech.plain for r in replies)
    for task in (t for s in sets for t in s.tasks):
        assert task.friends in spoken
        if task.couple != task.friends:
            assert task.couple not in spoken
    assert "hold hands" not in spoken.lower()
    assert _guided(companion).closing["friends"] in replies[-1].speech.plain


def test_the_deep_dive_for_one_person_explains_kindly(companion):
    say(companion, "it's just me")
    reply = say(companion, "let's do a deep dive")
    assert reply.expects_answer and reply.speech.plain.endswith("?")
    assert not any(s.kind == "question" for s in reply.speech.segments)


# Active listening ----------------------------------------------------------------------


def test_active_listening_speaks_says_back_checks_and_swaps(companion):
    say(companion, "we're Sam and Alex")
    start = say(companion, "let's do some active listening")
    assert start.end_session and "two minutes" in start.speech.plain
    assert "Sam" in start.speech.plain and "done" in start.speech.plain.lower()
    topic = question_of(start)
    assert topic in {p.text for p in _guided(companion).listening}
    said_back = say(companion, "done")
    assert said_back.end_session and "Alex" in said_back.speech.plain
    assert (
        "say back" in said_back.speech.plain.lower()
        or "tell sam what you heard" in said_back.speech.plain.lower()
    )
    check = say(companion, "done")
    assert check.expects_answer and check.speech.plain.endswith("?")
    assert "mostly" in check.speech.plain.lower()
    swapped = say(companion, "mostly")
    assert swapped.end_session
    assert question_of(swapped) != topic
    text = swapped.speech.plain
    assert text.index("Alex") < text.rindex("Sam")  # Alex speaks now, Sam listens
    say(companion, "done")
    say(companion, "done")
    close = say(companion, "yes")
    assert close.end_session and not any(s.kind == "question" for s in close.speech.segments)


def test_active_listening_takes_no_as_an_answer_and_says_how_to_come_back_on_alexa(companion):
    # Alexa cannot speak up by itself: no timer, and people are told how to come back.
    start = companion.reply_to_text(HOME, "can we try a listening exercise", announces=False)
    assert "tell heart talks" in start.speech.plain.lower()
    assert _timers(companion) == []
    say(companion, "done")
    say(companion, "done")
    unclear = say(companion, "purple elephants")
    assert unclear.expects_answer and "mostly" in unclear.speech.plain.lower()
    after_no = say(companion, "no")
    assert after_no.end_session and any(s.kind == "question" for s in after_no.speech.segments)


def test_active_listening_can_be_stopped(companion):
    say(companion, "let's do some active listening")
    stopped = say(companion, "stop")
    assert stopped.end_session and "fine" in stopped.speech.plain.lower()
    assert "listen" not in say(companion, "next").speech.plain.lower()


def test_active_listening_for_one_person_offers_a_reflection(companion):
    say(companion, "it's just me")
    offer = say(companion, "let's do some active listening")
    assert offer.expects_answer and offer.speech.plain.endswith("?")
    step = say(companion, "yes")
    assert question_of(step) in {
        s for seq in _guided(companion).opening_up if "solo" in seq.audiences for s in seq.steps
    }


# Opening up (vulnerability) ----------------------------------------------------------------


def test_opening_up_rises_through_four_steps_and_closes_warmly(companion):
    first = say(companion, "let's open up to each other")
    sequence = next(s for s in _guided(companion).opening_up if s.steps[0] == question_of(first))
    assert "couple" in sequence.audiences and len(sequence.steps) == 4
    assert "stop" in first.speech.plain.lower() and first.end_session
    heard = [question_of(first)] + [question_of(say(companion, "next")) for _ in range(3)]
    assert heard == list(sequence.steps)
    done = say(companion, "next")
    assert done.end_session and not any(s.kind == "question" for s in done.speech.segments)


def test_opening_up_has_an_easy_way_out_at_any_step(companion):
    say(companion, "let's open up to each other")
    say(companion, "next")
    out = say(companion, "we'd rather stop")
    assert out.end_session and "fine" in out.speech.plain.lower()
    assert not any(s.kind == "question" for s in out.speech.segments)


def test_opening_up_for_friends_and_for_one(companion):
    say(companion, "we're friends")
    friends = question_of(say(companion, "let's open up to each other"))
    say(companion, "stop")
    say(companion, "it's just me")
    solo = question_of(say(companion, "let's open up to each other"))
    by_text = {step: seq.audiences for seq in _guided(companion).opening_up for step in seq.steps}
    assert by_text[friends] == ("friends",) and by_text[solo] == ("solo",)


# Touch for every audience ---------------------------------------------------------------------


def test_touch_rituals_suit_the_audience(companion):
    rituals = {r.text: r.audiences for r in companion.conversation.content.touch_rituals}
    say(companion, "we're friends")
    for _ in range(8):
        reply = say(companion, "suggest a touch ritual")
        assert reply.card is not None and "friends" in rituals[reply.card.text]
    say(companion, "it's just me")
    care = {i.text for i in _guided(companion).self_care}
    for _ in range(4):
        reply = say(companion, "suggest a touch ritual")
        assert reply.card is not None and reply.card.text in care
    say(companion, "we're a couple")
    heard = {say(companion, "suggest a touch ritual").card.text for _ in range(12)}
    assert any(rituals[t] == ("couple",) for t in heard)


# Trying something new: planning an idea as a one-off reminder ----------------------------------


def _plans(companion: Companion) -> list[tuple[str, date | None, date | None]]:
    with companion.engine.connect() as conn:
        rows = conn.execute(
            select(reminders.c.at_time, reminders.c.on_date, reminders.c.last_delivered_on)
        )
        return [tuple(r) for r in rows]


def test_an_idea_is_planned_for_a_day_and_time_said_back_with_how_to_cancel(companion):
    # The clock fixture: Tuesday 24 November 2026, 18:00 in London.
    idea = say(companion, "give us an idea").card.text
    asked = say(companion, "let's do it on saturday")
    assert asked.expects_answer and "Saturday" in asked.speech.plain
    done = say(companion, "seven")
    assert done.end_session
    text = done.speech.plain
    assert "Saturday" in text and "seven in the evening" in text and "cancel our plan" in text
    assert idea in text
    assert _plans(companion) == [("19:00", date(2026, 11, 28), None)]
    (effect,) = [e for e in done.effects if isinstance(e, ScheduleReminder)]
    assert effect.on == date(2026, 11, 28) and effect.at == time(19, 0) and idea in effect.text


def test_a_plan_with_its_time_is_set_at_once_and_cancelled(companion):
    reply = say(companion, "remind us on friday at seven")
    assert reply.end_session and "Friday" in reply.speech.plain
    assert _plans(companion) == [("19:00", date(2026, 11, 27), None)]
    say(companion, "remind us to put our phones away at seven")  # a daily one at the same time
    assert len(_plans(companion)) == 2
    gone = say(companion, "cancel our plan")
    assert gone.end_session
    assert _plans(companion) == [("19:00", None, None)]


def test_a_weekday_named_on_that_day_means_today_if_the_time_is_ahead(companion):
    say(companion, "let's do it on tuesday at nine")  # Tuesday 18:00 now: tonight at nine
    say(companion, "let's do it on tuesday at five")  # already past: next Tuesday
    assert sorted(_plans(companion)) == [
        ("17:00", date(2026, 12, 1), None),
        ("21:00", date(2026, 11, 24), None),
    ]


def test_a_plan_fires_once_in_the_voice_loop(companion, clock):
    from local_voice.scheduler import Scheduler

    say(companion, "let's do it tomorrow at eight")
    scheduler = Scheduler(companion.engine, HOME, clock)
    assert scheduler.due() == []
    clock.now = datetime(2026, 11, 25, 20, 0, 30, tzinfo=clock.now.tzinfo)  # 20:00 in London
    (announced,) = scheduler.due()
    assert announced.key == "plan_announcement"
    assert scheduler.due() == []
    clock.advance(days=1)
    assert scheduler.due() == []
    clock.advance(days=6)
    assert scheduler.due() == []


# Saying only what is true ---------------------------------------------------------------------


def test_how_are_we_doing_names_the_window_each_figure_covers(companion, clock):
    # Check-ins are summed over fourteen days, evenings talked over the last seven.
    say(companion, "we feel a four")
    say(companion, "skip")
    clock.advance(days=10)
    say(companion, "what's tonight's question")
    clock.advance(days=3)
    text = say(companion, "how are we doing").speech.plain.lower()
    assert "last two weeks you checked in once" in text
    assert "seven days" in text and "one evening" in text and "this week" not in text
    clock.advance(days=7)  # the question is now eight days old, the check-in twenty
    assert "nothing to look back on" in say(companion, "how are we doing").speech.plain.lower()


def test_encouragement_without_check_ins_claims_nothing_about_the_household(companion):
    words = {e.text for e in companion.conversation.content.encouragements}
    for _ in range(6):
        text = say(companion, "encourage us").speech.plain
        assert not any(w in text for w in words), text
        assert "steady" not in text.lower()
    say(companion, "we feel a four")
    say(companion, "skip")
    after = say(companion, "encourage us").speech.plain
    assert any(w in after for w in words), after


# Timed practices where the front end can speak up (the voice loop) ------------------------------


def _timers(companion: Companion) -> list[tuple[str | None, bool]]:
    with companion.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(timers.c.kind, timers.c.stopped))]


def test_the_listening_two_minutes_are_announced_by_the_voice_loop(companion, clock):
    from local_voice.scheduler import Scheduler

    start = say(companion, "let's do some active listening")
    assert (
        "two minutes are up" in start.speech.plain
        or "two minutes have passed" in (start.speech.plain)
        or "Two minutes starts now" in start.speech.plain
    )
    assert _timers(companion) == [("listening", False)]
    none = say(companion, "how much phone free time is left")  # not phone-free time
    assert "no phone-free time" in none.speech.plain.lower()
    scheduler = Scheduler(companion.engine, HOME, clock)
    clock.advance(minutes=1)
    assert scheduler.due() == []
    clock.advance(minutes=1, seconds=5)
    (announcement,) = scheduler.due()
    assert announcement.key == "listening_time_up"
    assert "done" in companion.conversation.announcement(announcement.key).plain.lower()


def test_saying_done_early_silences_the_listening_timer(companion, clock):
    from local_voice.scheduler import Scheduler

    say(companion, "let's do some active listening")
    clock.advance(seconds=70)
    say(companion, "done")
    assert _timers(companion) == [("listening", True)]
    clock.advance(minutes=5)
    assert Scheduler(companion.engine, HOME, clock).due() == []


def test_the_closing_minute_is_announced_by_the_voice_loop(companion, clock):
    from local_voice.scheduler import Scheduler

    closing = _run_dive(companion)[-1]
    assert (
        "minute is up" in closing.speech.plain
        or "minute has passed" in (closing.speech.plain)
        or "minute starts now" in closing.speech.plain
    )
    assert _timers(companion) == [("closing", False)]
    clock.advance(minutes=1, seconds=1)
    (announcement,) = Scheduler(companion.engine, HOME, clock).due()
    assert announcement.key == "dive_minute_up"
    assert "one sentence each" in companion.conversation.announcement(announcement.key).plain


def test_on_alexa_the_closing_ritual_sets_no_timer(companion):
    replies = [companion.reply_to_text(HOME, "let's do a deep dive", announces=False)]
    for _ in range(40):
        reply = companion.reply_to_text(HOME, "next", announces=False)
        if reply.expects_answer:
            reply = companion.reply_to_text(HOME, "yes", announces=False)
        replies.append(reply)
        if not any(s.kind == "question" for s in reply.speech.segments):
            break
    assert "one sentence each" in replies[-1].speech.plain
    assert _timers(companion) == []
