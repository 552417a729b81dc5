"""The numpy all-MiniLM-L6-v2 behind the meaning-twin test gives the model's published figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from tests import content_meaning as meaning

LABELLED = yaml.safe_load(
    Path(__file__).with_name("content_twins_labelled.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def encoder():
    try:
        return meaning.encoder()
    except meaning.ModelMissing as missing:
        pytest.skip(str(missing))


def test_similarities_match_the_ones_sentence_transformers_publishes(encoder):
    # From the sentence-transformers README, computed there with torch and this model.
    vectors = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    published = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    assert np.abs(vectors @ vectors.T - published).max() < 5e-4


def test_embeddings_are_unit_length_and_independent_of_batch_padding(encoder):
    short, long = "Hello?", "What does a good evening with the people you love look like to you?"
    alone = encoder.encode([short])[0]
    padded = encoder.encode([short, long])[0]
    assert np.linalg.norm(alone) == pytest.approx(1.0, abs=1e-5)
    assert np.abs(alone - padded).max() < 1e-5


def test_the_issues_own_twins_are_flagged_and_unrelated_questions_are_not(encoder):
    assert (
        meaning.similarity(
            "How do you want to be cared for when you are ill?",
            "How can I care for you better when you feel unwell?",
        )
        >= meaning.TWIN_THRESHOLD
    )
    assert (
        meaning.similarity(
            "When do you feel most connected to the world around you?",
            "When have you felt most at one with the world?",
        )
        >= meaning.TWIN_THRESHOLD
    )
    assert meaning.similarity("What is your favourite film?", "How did you sleep?") < 0.3


def test_the_threshold_separates_the_labelled_pairs_as_documented(encoder):
    twins = [meaning.similarity(a, b) for a, b in LABELLED["twins"]]
    different = [meaning.similarity(a, b) for a, b in LABELLED["different"]]
    caught = sum(s >= meaning.TWIN_THRESHOLD for s in twins)
    false_alarms = sum(s >= meaning.TWIN_THRESHOLD for s in different)
    assert caught >= 12 and false_alarms <= 5, (caught, false_alarms)
