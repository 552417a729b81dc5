"""A small intent classifier: tf-idf n-grams and multinomial logistic regression.

Trained with scikit-learn (the field's well-kept library for exactly this, as in Snips NLU) on
sentences generated from the catalog's templates, our extra phrasings and out-of-scope sentences.
The fitted weights are kept as plain arrays, so answering needs only numpy: importing scikit-learn
costs more than half a second, which start-up cannot afford. The feature function below is the one
scikit-learn's vectorizer is given when training, so both sides see the same features; a test
checks that our probabilities equal scikit-learn's.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from intents.data_files import read_yaml
from intents.normalize import normalize

log = logging.getLogger(__name__)

NONE = "None"
"""The class of everything that is not for us."""
FORMAT = 3
"""Bump when features or training change in a way the cache key would not see."""
_NUMBERS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
}


def words(text: str) -> list[str]:
    """Normalised words, with numbers folded into one token so "twenty" and "45" look alike."""
    out = []
    for word in normalize(text).split():
        out.append("<n>" if word in _NUMBERS or word.isdigit() else word)
    return out


@cache
def word_clusters(language: str = "en") -> dict[str, str]:
    """Word to cluster, from training_sentences/<lang>/word_clusters.yaml."""
    path = Path(str(resources.files("intents") / "training_sentences" / language))
    data = read_yaml(path / "word_clusters.yaml")
    found: dict[str, str] = {}
    for cluster, members in data["clusters"].items():
        for word in members:
            found.setdefault(str(word), str(cluster))
    return found


def features(text: str) -> list[str]:
    """Word uni- and bigrams, word clusters, and character 3- to 5-grams within words."""
    tokens = words(text)
    clusters = word_clusters()
    feats = [f"w:{t}" for t in tokens]
    padded = ["<s>", *tokens, "</s>"]
    feats += [f"b:{a}_{b}" for a, b in zip(padded, padded[1:], strict=False)]
    grouped = [clusters.get(t, t) for t in padded]
    feats += [f"k:{g}" for t, g in zip(padded, grouped, strict=True) if g != t]
    feats += [
        f"kb:{a}_{b}"
        for (a, b), (x, y) in zip(
            zip(grouped, grouped[1:], strict=False),
            zip(padded, padded[1:], strict=False),
            strict=True,
        )
        if a != x or b != y
    ]
    for token in tokens:
        if token == "<n>":
            continue
        marked = f" {token} "
        for n in (3, 4, 5):
            feats += [f"c:{marked[i : i + n]}" for i in range(len(marked) - n + 1)]
    return feats


@dataclass(frozen=True)
class Prediction:
    label: str
    probability: float


_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "for",
        "and",
        "or",
        "in",
        "on",
        "at",
        "is",
        "it",
        "i",
        "we",
        "you",
        "me",
        "us",
        "my",
        "our",
        "your",
        "this",
        "that",
        "be",
        "do",
        "can",
        "could",
        "would",
        "will",
        "please",
        "um",
        "uh",
        "so",
        "okay",
        "ok",
        "hey",
        "alexa",
        "just",
        "like",
        "really",
        "some",
        "any",
        "what",
        "how",
    ]
)


@dataclass(frozen=True)
class Policy:
    """When a guess is acted on. Chosen by cross-validation on the training data alone
    (bench/understanding_tuning.py), never on the held-out evaluation sets."""

    confidence: float = 0.3
    """The least probability for acting on an intent."""
    foreign_confidence: float = 0.6
    """Needed instead when the sentence has a word none of our own sentences use ("pizza timer")."""
    veto: float = 0.6
    """How sure the classifier must be to overrule a template matched through a wildcard."""
    hard_total: float = 0.4
    """Hard moments: the probabilities of all their kinds together; missing one costs more."""
    hard: frozenset[str] = frozenset()
    free: frozenset[str] = frozenset()
    """Intents whose slots hold words of any kind (names, appreciations): no foreign-word test."""


def decide(
    probabilities: np.ndarray, classes: Sequence[str], foreign: bool, policy: Policy
) -> Prediction:
    """The label to act on, or NONE."""
    hard = [i for i, c in enumerate(classes) if c in policy.hard]
    if hard:
        total = float(probabilities[hard].sum())
        if total >= policy.hard_total:
            best_hard = max(hard, key=lambda i: probabilities[i])
            return Prediction(classes[best_hard], total)
    best = int(probabilities.argmax())
    label, probability = classes[best], float(probabilities[best])
    if label == NONE:
        return Prediction(NONE, probability)
    needed = (
        policy.foreign_confidence if foreign and label not in policy.free else policy.confidence
    )
    return (
        Prediction(label, probability) if probability >= needed else Prediction(NONE, probability)
    )


def has_foreign_word(text: str, known: frozenset[str]) -> bool:
    """A word that none of our own sentences use: often the sign of another domain."""
    return any(w not in known and w not in _FUNCTION_WORDS and w != "<n>" for w in words(text))


class IntentModel:
    """Fitted weights: vocabulary, idf, one row of coefficients per class."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        classes: Sequence[str],
        digest: str,
        common: frozenset[str] = frozenset(),
    ) -> None:
        self.vocabulary = vocabulary
        self.idf = idf
        self.coef_t = np.ascontiguousarray(coef.T)
        self.intercept = intercept
        self.classes = list(classes)
        self.digest = digest
        self.common = common
        """Words of our own sentences, kept with the model so start-up need not read them."""

    def scores(self, text: str) -> np.ndarray:
        """Class probabilities for one sentence."""
        counts = Counter(i for f in features(text) if (i := self.vocabulary.get(f)) is not None)
        logits = self.intercept.copy()
        if counts:
            index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), np.float64, len(counts))
            weights = tf * self.idf[index]
            weights /= np.linalg.norm(weights)
            logits = logits + weights @ self.coef_t[index]
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    def predict(self, text: str) -> Prediction:
        """The most probable label, whatever its probability."""
        probabilities = self.scores(text)
        best = int(probabilities.argmax())
        return Prediction(self.classes[best], float(probabilities[best]))

    def decide(self, text: str, policy: Policy) -> tuple[Prediction, Prediction]:
        """The most probable label, and the label to act on under `policy` (or NONE)."""
        probabilities = self.scores(text)
        best = int(probabilities.argmax())
        likeliest = Prediction(self.classes[best], float(probabilities[best]))
        foreign = has_foreign_word(text, self.common)
        return likeliest, decide(probabilities, self.classes, foreign, policy)

    def save(self, path: Path) -> None:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            terms=np.array(terms),
            idf=self.idf,
            coef=self.coef_t.T,
            intercept=self.intercept,
            classes=np.array(self.classes),
            digest=np.array(self.digest),
            common=np.array(sorted(self.common)),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(buffer.getvalue())
        partial.replace(path)  # readers never see half a file

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        with np.load(path, allow_pickle=False) as data:
            terms = [str(t) for t in data["terms"]]
            return cls(
                {t: i for i, t in enumerate(terms)},
                data["idf"],
                data["coef"],
                data["intercept"],
                [str(c) for c in data["classes"]],
                str(data["digest"]),
                frozenset(str(w) for w in data["common"]),
            )


def digest_of(examples: Sequence[tuple[str, str]]) -> str:
    """A fingerprint of training sentences (two equal lists give equal models)."""
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for text, label in examples:
        h.update(f"{label}\t{text}\n".encode())
    return h.hexdigest()[:16]


def digest_of_sources(paths: Sequence[Path]) -> str:
    """A fingerprint of everything a model is built from: data files and the code that reads them.

    Cheap to compute at start-up (no template is expanded), and any edit to a template, a training
    file, the feature function or the training code gives a new fingerprint and so a new model.
    """
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for path in sorted(paths):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def train(
    examples: Sequence[tuple[str, str]],
    regularisation: float = 30.0,
    digest: str = "",
    common: frozenset[str] = frozenset(),
    balanced: bool = False,
) -> IntentModel:
    """Fit on (sentence, label) pairs; deterministic for the same examples."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [t for t, _ in examples]
    labels = [label for _, label in examples]
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2)
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(
        C=regularisation, max_iter=3000, class_weight="balanced" if balanced else None
    )
    model.fit(matrix, labels)
    return IntentModel(
        {str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
        vectorizer.idf_.astype(np.float64),
        model.coef_.astype(np.float64),
        model.intercept_.astype(np.float64),
        [str(c) for c in model.classes_],
        digest or digest_of(examples),
        common,
    )


def load_or_train(
    digest: str,
    examples: Callable[[], Sequence[tuple[str, str]]],
    cache: Path | None,
    common: Callable[[], frozenset[str]] = frozenset,
) -> IntentModel:
    """The model for sources with this digest: from the cache if trained before, else trained now.

    The file is written whole and renamed into place, so processes starting together (gunicorn
    workers) never read half a model; at worst each trains once.
    """
    path = cache / f"intents-{digest}.npz" if cache else None
    if path is not None and path.exists():
        try:
            return IntentModel.load(path)
        except (OSError, ValueError, KeyError) as error:
            log.warning("retraining: the cached model could not be read (%s)", error)
    found = examples()
    log.info("training the intent classifier on %d sentences", len(found))
    model = train(found, digest=digest, common=common())
    if path is not None:
        try:
            model.save(path)
        except OSError as error:
            log.warning("the trained model could not be cached (%s)", error)
    return model
