"""The guessing game's prompts, the deep dive's sets, tasks and closing, and the guided practices'
wording: enough of each, for the right audiences, original and safe to read aloud."""

from __future__ import annotations

import itertools
import re

from rapidfuzz import fuzz, utils

from intents.content import Content

CONTENT = Content.load()
GUIDED = CONTENT.guided
SPEAKABLE = re.compile(r"[A-Za-z0-9 ,.'?!;:\-]+")
FIRST_PERSON = re.compile(r"\b(i|me|my|mine|we|us|our|ours|let's|i'm|i'd|we're|we'd)\b")
QUOTED = re.compile(r"'[^']*'")
NEAR_DUPLICATE = 85
PAIR = {"couple", "friends"}
# Words from the closeness study's own questions and tasks: none of ours may lean on them.
STUDY_ECHOES = (
    "dinner guest",
    "perfect day",
    "crystal ball",
    "telephone call",
    "age of 90",
    "sing to yourself",
    "life story",
    "four minutes",
    "embarrassing moment",
    "last cry",
    "last cried",
    "die tonight",
    "died tonight",
    "house, containing everything",
    "treasured memory",
    "terrible memory",
    "how you will die",
    "relationship with your mother",
    "would you like to be famous",
    "wish i had someone with whom",
    "greatest accomplishment",
    "the way you were raised",
)


def _device_safe(text: str) -> bool:
    """No I, me, we or us meaning the companion or the pair; quoted sentences people make
    ('we both...') are theirs to say."""
    return FIRST_PERSON.search(QUOTED.sub("", text.lower())) is None


def test_the_guessing_game_has_sixty_prompts_for_couples_and_for_friends():
    prompts = GUIDED.love_maps
    assert len(prompts) >= 60
    for audience in PAIR:
        assert sum(audience in p.audiences for p in prompts) >= 60, audience
    assert all(p.audiences and set(p.audiences) <= PAIR for p in prompts)
    assert len({p.id for p in prompts}) == len(prompts)


def test_guessing_game_prompts_are_sentence_stems_safe_to_read_aloud():
    for prompt in GUIDED.love_maps:
        assert prompt.text.endswith("..."), prompt.id
        assert len(prompt.text) <= 120, prompt.id
        assert SPEAKABLE.fullmatch(prompt.text), prompt.id
        assert _device_safe(prompt.text), prompt.id


def test_friends_never_get_a_partner_prompt():
    for prompt in GUIDED.love_maps:
        if "friends" in prompt.audiences:
            assert "partner" not in prompt.text, prompt.id


def test_no_two_guessing_game_prompts_are_near_duplicates():
    close = [
        (a.id, b.id)
        for a, b in itertools.combinations(GUIDED.love_maps, 2)
        if fuzz.token_set_ratio(a.text, b.text, processor=utils.default_process) >= NEAR_DUPLICATE
    ]
    assert close == []


def test_the_deep_dive_has_three_sets_of_twelve_with_tasks_between_questions():
    assert [len(s.questions) for s in CONTENT.deep_dive] == [12, 12, 12]
    for dive_set in CONTENT.deep_dive:
        ids = [q.id for q in dive_set.questions]
        assert len(dive_set.tasks) >= 2, dive_set.id
        for task in dive_set.tasks:
            assert task.after in ids[:-1], (dive_set.id, task.after)  # between two questions
            for text in (task.couple, task.friends):
                assert SPEAKABLE.fullmatch(text) and _device_safe(text), task.after
            assert "hold hands" not in task.friends.lower()


def test_the_tasks_include_liking_each_other_and_true_we_both_sentences():
    tasks = [t.couple.lower() for s in CONTENT.deep_dive for t in s.tasks]
    assert sum("like" in t or "admire" in t for t in tasks) >= 2
    assert sum("'we both" in t for t in tasks) >= 2


def test_the_closing_ritual_is_a_quiet_minute_and_a_sentence_each_for_both_audiences():
    for audience in PAIR:
        closing = GUIDED.closing[audience]
        assert "minute" in closing and "one sentence each" in closing
        assert SPEAKABLE.fullmatch(closing) and _device_safe(closing)
    assert "look at each other" in GUIDED.closing["couple"]


def test_deep_dive_questions_are_device_safe_and_not_the_studys_own():
    for dive_set in CONTENT.deep_dive:
        for question in dive_set.questions:
            text = question.text.lower()
            assert _device_safe(question.text), question.id
            assert not any(echo in text for echo in STUDY_ECHOES), question.id


def test_guided_practices_have_enough_for_every_audience():
    assert len(GUIDED.listening) >= 8
    assert all(set(p.audiences) <= PAIR and p.audiences for p in GUIDED.listening)
    for audience in ("couple", "friends", "solo"):
        sequences = [s for s in GUIDED.opening_up if audience in s.audiences]
        assert len(sequences) >= 2, audience
        assert all(len(s.steps) == 4 for s in sequences), audience
    assert len(GUIDED.self_care) >= 5


def test_guided_practice_wording_is_safe_to_read_aloud():
    texts = [p.text for p in GUIDED.listening] + [i.text for i in GUIDED.self_care]
    texts += [step for s in GUIDED.opening_up for step in s.steps]
    for text in texts:
        assert SPEAKABLE.fullmatch(text), text
        assert _device_safe(text), text
    for sequence in GUIDED.opening_up:
        if "friends" in sequence.audiences or "solo" in sequence.audiences:
            assert not any("partner" in step for step in sequence.steps), sequence.id
