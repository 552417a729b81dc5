"""The content banks: enough of everything, original wording, safe to speak."""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, utils

from intents.content import (
    AUDIENCES,
    DEPTHS,
    KINDS,
    MOODS,
    OTHER,
    PAIR_AUDIENCES,
    PRACTICES,
    ROMANCE,
    SIZES,
    THEMES,
    Content,
)
from tests import content_meaning as meaning

CONTENT = Content.load()
HERE = Path(__file__).parent
SPEAKABLE = re.compile(r"[A-Za-z0-9 ,.'?!;:\-]+")
NEAR_DUPLICATE = 85


def _all_items() -> list[tuple[str, str]]:
    """Everything said aloud, as it is said (a question's {other} as a couple hears it)."""
    items = [(q.id, q.rendered("couple")) for q in CONTENT.questions]
    items += [(e.id, e.text) for e in CONTENT.encouragements]
    items += [(p.id, p.text) for p in CONTENT.practices]
    items += [(i.id, i.text) for i in CONTENT.ideas + CONTENT.touch_rituals]
    items += [(q.id, q.text) for s in CONTENT.deep_dive for q in s.questions]
    return items


def test_there_are_at_least_1000_questions_with_200_of_each_kind():
    kinds = Counter(q.kind for q in CONTENT.questions)
    assert len(CONTENT.questions) >= 1000
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 200


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_every_depth(kind):
    depths = Counter(q.depth for q in CONTENT.questions if q.kind == kind)
    assert set(depths) == set(DEPTHS)
    assert min(depths.values()) >= 60


def test_other_banks_are_big_enough():
    assert len(CONTENT.encouragements) >= 60
    assert {e.mood for e in CONTENT.encouragements} == set(MOODS)
    assert len(CONTENT.ideas) >= 40
    assert len(CONTENT.touch_rituals) >= 20
    assert len(CONTENT.deep_dive) == 3
    assert sum(len(s.questions) for s in CONTENT.deep_dive) >= 36
    assert all(len(s.questions) >= 12 for s in CONTENT.deep_dive)


def test_every_practice_comes_in_both_sizes():
    pairs = Counter((p.practice, p.size) for p in CONTENT.practices)
    for practice, size in itertools.product(PRACTICES, SIZES):
        assert pairs[(practice, size)] >= 3, (practice, size)


def test_ids_and_texts_are_unique():
    items = _all_items()
    ids = Counter(i for i, _ in items)
    texts = Counter(t.lower() for _, t in items)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in texts.items() if n > 1] == []


def test_no_two_questions_are_near_duplicates():
    questions = [(q.id, q.text) for q in CONTENT.questions]
    questions += [(q.id, q.text) for s in CONTENT.deep_dive for q in s.questions]
    close = [
        (a, b)
        for (a, ta), (b, tb) in itertools.combinations(questions, 2)
        if fuzz.token_set_ratio(ta, tb, processor=utils.default_process) >= NEAR_DUPLICATE
    ]
    assert close == []


def test_questions_are_short_spoken_questions():
    for q in list(CONTENT.questions) + [q for s in CONTENT.deep_dive for q in s.questions]:
        assert len(q.text) <= 200, q.id
        assert q.text.endswith("?"), q.id


def test_nothing_breaks_ssml_or_speech():
    for item_id, text in _all_items():
        assert SPEAKABLE.fullmatch(text), item_id
        assert "<" not in text and "&" not in text


def test_question_ids_carry_their_kind_and_depth():
    for q in CONTENT.questions:
        assert q.kind in KINDS and q.depth in DEPTHS
        assert q.id.startswith(f"{q.kind}-{q.depth}-"), q.id


# Audiences, themes and labels (issue 11) ---------------------------------------------------

AUDIENCE_TARGETS = {"couple": 200, "friends": 140, "solo": 75}
"""Questions per kind that each audience can hear, at least."""
ROMANCE_MINIMUM = 40
FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself|we|us|our|ours|ourselves|let's)\b", re.I)
"""A speaker saying these means itself, or the pair as if it were one of them."""
NOT_FOR_ONE = re.compile(r"\b(partners?|friends?|each other|the two of you|both of you)\b", re.I)
PARTNER = re.compile(r"\bpartners?\b", re.I)
SHARED_HOME = re.compile(
    r"\b(live together|living together|lived together|moved? in together|moving in together"
    r"|share a home|shared home|home together|your bedroom|in bed together|the house you share)\b",
    re.I,
)
PHYSICAL_WORDS = re.compile(
    r"\b(" + (HERE / "content_physical_words.txt").read_text(encoding="utf-8").strip() + r")\b",
    re.I,
)


def _allowed(name: str) -> dict[str, str]:
    """A reviewed allow-list (tests/<name>.yaml): id -> reason; every entry needs a reason."""
    entries = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))["allowed"]
    allowed = {str(e["id"]): str(e.get("reason") or "").strip() for e in entries or []}
    assert all(allowed.values()), f"{name}: every entry needs a reason"
    return allowed


def _raw_questions() -> list[dict]:
    entries = []
    for path in sorted(Path(meaning.CONTENT).glob("questions_*.yaml")):
        entries += yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    return entries


def test_every_question_declares_its_audiences_and_a_known_theme():
    for entry in _raw_questions():
        audiences = entry.get("audiences")
        assert audiences, f"{entry['id']}: no audiences"
        assert set(audiences) <= set(AUDIENCES) and len(set(audiences)) == len(audiences), entry
        assert entry.get("theme") in (None, *THEMES), entry["id"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_audience_is_well_served_in_every_kind_and_depth(audience):
    for kind in KINDS:
        heard = [q for q in CONTENT.questions if q.kind == kind and audience in q.audiences]
        heard = [q for q in heard if q.theme != ROMANCE]
        assert len(heard) >= AUDIENCE_TARGETS[audience], (audience, kind, len(heard))
        assert {q.depth for q in heard} == set(DEPTHS), (audience, kind)


def test_there_are_enough_romance_questions_and_they_are_for_couples_only():
    romance = [q for q in CONTENT.questions if q.theme == ROMANCE]
    assert len(romance) >= ROMANCE_MINIMUM
    assert [q.id for q in romance if q.audiences != ("couple",)] == []


def test_other_is_used_only_where_there_is_another_person():
    for q in CONTENT.questions:
        if OTHER in q.text:
            assert set(q.audiences) <= set(PAIR_AUDIENCES), q.id
        assert "{" not in q.text.replace(OTHER, ""), q.id


def test_no_question_speaks_in_the_first_person():
    allowed = _allowed("content_first_person_allowed")
    found = [
        (t.id, t.text)
        for t in meaning.all_questions()
        if FIRST_PERSON.search(t.text) and t.id not in allowed
    ]
    assert found == []


def test_questions_for_one_never_assume_someone_else_is_there():
    found = [
        (q.id, q.text)
        for q in CONTENT.questions
        if "solo" in q.audiences and (NOT_FOR_ONE.search(q.text) or OTHER in q.text)
    ]
    assert found == []


def test_questions_for_friends_never_assume_a_partner_romance_or_a_shared_home():
    found = [
        (q.id, q.text)
        for q in CONTENT.questions
        if "friends" in q.audiences
        and (PARTNER.search(q.text) or SHARED_HOME.search(q.text) or q.theme == ROMANCE)
    ]
    assert found == []


def test_would_you_rather_is_the_theme_of_exactly_the_would_you_rather_questions():
    found = [
        (q.id, q.theme, q.text)
        for q in CONTENT.questions
        if (q.theme == "would_you_rather") != q.text.startswith("Would you rather")
    ]
    assert found == []


def test_physical_questions_are_about_the_body_the_senses_or_being_near():
    allowed = _allowed("content_physical_allowed")
    found = [
        (q.id, q.text)
        for q in CONTENT.questions
        if q.kind == "physical" and not PHYSICAL_WORDS.search(q.text) and q.id not in allowed
    ]
    assert found == []


def test_touch_rituals_say_who_they_suit_and_some_suit_friends():
    raw = yaml.safe_load((Path(meaning.CONTENT) / "touch_rituals.yaml").read_text("utf-8"))
    for entry in raw["touch_rituals"]:
        assert entry.get("audiences") and set(entry["audiences"]) <= {"couple", "friends"}, entry
    friends = [r for r in CONTENT.touch_rituals if "friends" in r.audiences]
    assert len(friends) >= 5
    assert all("couple" in r.audiences for r in CONTENT.touch_rituals)


def test_allow_lists_name_only_questions_that_exist():
    ids = {t.id for t in meaning.all_questions()}
    for name in ("content_first_person_allowed", "content_physical_allowed"):
        assert set(_allowed(name)) <= ids, name
    for pair in meaning.allowed_pairs(HERE / "content_twins_allowed.yaml"):
        assert pair <= ids, pair


def test_no_two_questions_ask_the_same_thing_in_other_words():
    """Meaning twins (tests/content_meaning.py): every pair at or above the threshold is
    resolved or reviewed in tests/content_twins_allowed.yaml with a reason."""
    try:
        texts = meaning.all_questions()
        pairs = meaning.twins(texts)
    except meaning.ModelMissing as missing:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(str(missing))
    allowed = meaning.allowed_pairs(HERE / "content_twins_allowed.yaml")
    flagged = [
        (round(p.similarity, 3), p.a.id, p.a.text, p.b.id, p.b.text)
        for p in pairs
        if frozenset((p.a.id, p.b.id)) not in allowed
    ]
    assert flagged == []
