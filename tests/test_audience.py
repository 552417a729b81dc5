"""Couples, close friends and people on their own, through the text front end: who hears what."""

from __future__ import annotations

import random

import pytest

from intents.audience import parse_audience
from intents.companion import Companion, build_companion
from intents.content import AUDIENCES, ROMANCE, Content, Question, render
from intents.questions import heard_by
from intents.reply import Reply
from intents.responses import Responses
from tests.command import heart_to_heart

HOME = "local:home"
CONTENT = Content.load()
RESPONSES = Responses.load()
BY_TEXT = {(a, q.rendered(a)): q for q in CONTENT.questions for a in AUDIENCES}


def say(companion: Companion, text: str) -> Reply:
    return companion.reply_to_text(HOME, text)


def question_in(reply: Reply, audience: str) -> Question:
    texts = [s.text for s in reply.speech.segments if s.kind == "question"]
    assert len(texts) == 1, reply.speech.plain
    return BY_TEXT[(audience, texts[0])]


def variants(key: str) -> list[str]:
    return RESPONSES.templates[key]


def opened_with(reply: Reply, key: str) -> bool:
    """Whether the reply starts with one of the variants of `key` (up to its first mark)."""
    starts = [v.split("[pause]")[0].split("{")[0].strip() for v in variants(key)]
    return any(reply.speech.plain.startswith(s) for s in starts if s)


# Rendering and the choice of questions, as pure functions ---------------------------------


def test_other_becomes_partner_for_a_couple_and_friend_for_friends():
    text = "What does {other} do that makes an ordinary evening feel easy?"
    assert (
        render(text, "couple")
        == "What does your partner do that makes an ordinary evening feel easy?"
    )
    assert (
        render(text, "friends")
        == "What does your friend do that makes an ordinary evening feel easy?"
    )


def test_romance_is_heard_only_by_couples_who_asked():
    romance = Question("emotional-light-900", "emotional", "light", "Which?", ("couple",), ROMANCE)
    plain = Question("emotional-light-901", "emotional", "light", "What?", AUDIENCES, None)
    bank = [romance, plain]
    assert heard_by(bank, "couple") == [plain]
    assert heard_by(bank, "couple", romance=True) == [romance, plain]
    assert heard_by(bank, "friends", romance=True) == [plain]


def test_what_friends_and_people_on_their_own_hear_never_assumes_a_partner():
    for audience in ("friends", "solo"):
        for question in heard_by(CONTENT.questions, audience):
            text = question.rendered(audience).lower()
            assert "partner" not in text and "{" not in text, question.id
            assert question.theme != ROMANCE, question.id


def test_every_audience_has_questions_of_every_kind_and_depth():
    for audience in AUDIENCES:
        bank = heard_by(CONTENT.questions, audience)
        kinds_and_depths = {(q.kind, q.depth) for q in bank}
        assert len(kinds_and_depths) == 12, audience


def test_an_audience_setting_outside_the_three_is_a_clear_error():
    assert parse_audience(" Friends ") == "friends"
    with pytest.raises(ValueError, match="couple, friends, solo"):
        parse_audience("flatmates")


def test_every_audience_and_romance_reply_has_three_variants():
    keys = [f"audience_set_{a}" for a in AUDIENCES] + [f"audience_same_{a}" for a in AUDIENCES]
    keys += ["audience_missing", "romance_on", "romance_already_on", "romance_off"]
    keys += ["romance_already_off", "romance_couples_only_friends", "romance_couples_only_solo"]
    keys += [k for k in RESPONSES.templates if "@" in k]
    for key in keys:
        assert len(variants(key)) >= 3, key


def test_every_wording_for_one_audience_replaces_a_wording_that_exists():
    for key in RESPONSES.templates:
        if "@" in key:
            base, audience = key.split("@")
            assert base in RESPONSES.templates and audience in AUDIENCES, key


# Through the text front end ----------------------------------------------------------------


def test_friends_never_hear_a_couples_question_or_romance_night_after_night(companion, clock):
    say(companion, "we're friends")
    say(companion, "add some romance")
    for _ in range(60):
        reply = say(companion, "what's tonight's question")
        question = question_in(reply, "friends")
        assert "friends" in question.audiences and question.theme != ROMANCE, question.id
        extra = question_in(say(companion, "another emotional one"), "friends")
        assert "friends" in extra.audiences and extra.theme != ROMANCE, extra.id
        clock.advance(days=1)


def test_just_me_gives_a_reflection_for_one_with_no_turns(companion):
    set_reply = say(companion, "it's just me")
    assert opened_with(set_reply, "audience_set_solo")
    reply = say(companion, "what's tonight's question")
    assert "solo" in question_in(reply, "solo").audiences
    assert opened_with(reply, "tonight_question@solo")
    assert "turn" not in reply.speech.plain.lower()
    turns = say(companion, "your turn")
    assert opened_with(turns, "turn_solo")
    for _ in range(30):
        assert "solo" in question_in(say(companion, "a deeper one"), "solo").audiences


def test_a_check_in_on_your_own_asks_about_yourself(companion):
    say(companion, "I'm on my own tonight")
    assert opened_with(say(companion, "check in"), "checkin_start@solo")


def test_romance_comes_only_after_a_couple_opts_in_and_stops_when_they_opt_out(companion):
    def romance_among(draws: int) -> int:
        found = 0
        for n in range(draws):
            wish = "another emotional one" if n % 2 else "another physical one"
            found += question_in(say(companion, wish), "couple").theme == ROMANCE
        return found

    say(companion, "what's tonight's question")
    assert romance_among(150) == 0
    assert opened_with(say(companion, "add some romance"), "romance_on")
    assert romance_among(150) > 0
    assert opened_with(say(companion, "no romance questions please"), "romance_off")
    assert romance_among(150) == 0


def test_friends_asking_for_romance_hear_it_is_for_couples(companion):
    say(companion, "we're best friends")
    assert opened_with(say(companion, "add some romance"), "romance_couples_only_friends")


def test_the_audience_is_kept_across_restarts(companion, engine, clock):
    say(companion, "we're friends")
    later = build_companion(engine=engine, clock=clock, rng=random.Random(3), timezone="UTC")
    for _ in range(20):
        assert "friends" in question_in(say(later, "another one"), "friends").audiences
    assert opened_with(say(later, "we are friends"), "audience_same_friends")


def test_tonights_question_changes_when_the_household_says_who_it_is(companion):
    first = question_in(say(companion, "what's tonight's question"), "couple")
    say(companion, "it's just me")
    now = question_in(say(companion, "what's tonight's question"), "solo")
    assert "solo" in now.audiences
    assert first.id == now.id or "solo" not in first.audiences


def test_the_setting_chooses_the_audience_until_the_household_says_otherwise(engine, clock):
    friends = build_companion(
        engine=engine, clock=clock, rng=random.Random(5), timezone="UTC", audience="friends"
    )
    for _ in range(20):
        assert "friends" in question_in(say(friends, "another one"), "friends").audiences
    say(friends, "it's just me")
    assert "solo" in question_in(say(friends, "another one"), "solo").audiences


# The chat command's setting -----------------------------------------------------------------


def test_chat_with_audience_solo_offers_a_reflection(tmp_path):
    result = heart_to_heart(
        tmp_path / "heart.db", "chat", "--audience", "solo", "--once", "what's tonight's question"
    )
    assert result.returncode == 0, result.stderr
    starts = [v.split("[pause]")[0].strip() for v in variants("tonight_question@solo")]
    assert any(s in result.stdout for s in starts), result.stdout


def test_chat_with_an_unknown_audience_is_a_message_not_a_traceback(tmp_path):
    result = heart_to_heart(tmp_path / "heart.db", "chat", "--audience", "flatmates")
    assert result.returncode == 2
    assert "couple" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("said", "audience"),
    [
        ("it's me and my husband tonight", "couple"),
        ("me and my girlfriend", "couple"),
        ("we're engaged", "couple"),
        ("we're not a couple we're housemates", "friends"),
        ("me and my best mate", "friends"),
        ("we're just pals", "friends"),
        ("it's only me", "solo"),
        ("i'm on my own this evening", "solo"),
        ("just one of us tonight", "solo"),
    ],
)
def test_who_is_here_follows_the_people_named(said, audience):
    from intents.entities import find_audience

    assert find_audience(said) == audience


def test_someone_on_their_own_can_give_just_their_name(companion):
    companion.reply_to_text("local:solo", "it's just me tonight")
    reply = companion.reply_to_text("local:solo", "my name is aiden")
    assert "Aiden" in reply.speech.plain
    with companion.engine.connect() as conn:
        from intents.store.repository import Store

        store = Store(conn)
        people = store.people(store.find_household("local:solo").id)
    assert [p.name for p in people] == ["Aiden"]


def test_a_couple_giving_one_name_is_asked_for_both(companion):
    reply = companion.reply_to_text("local:pair", "my name is aiden")
    assert reply.expects_answer and "names" in reply.speech.plain


def test_announcements_are_worded_for_someone_on_their_own(companion):
    companion.reply_to_text("local:solo", "it's just me tonight")
    conversation = companion.conversation
    for key in ("reminder_announcement", "phone_free_end", "plan_announcement"):
        for _ in range(12):  # every variant, whichever the random source picks
            said = conversation.announcement(key, "local:solo").plain.lower()
            assert "each other" not in said and "two of you" not in said and "together" not in said
    couple = {
        conversation.announcement("reminder_announcement", "local:pair").plain for _ in range(12)
    }
    assert any("each other" in s or "together" in s for s in couple)
