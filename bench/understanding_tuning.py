"""Choose the classifier's acting policy without looking at the held-out sets.

Five-fold cross-validation over our hand-written phrasings and out-of-scope sentences (template
expansions always stay in training). For each policy (intents.classifier.Policy) it prints, on the
held-out folds: intent accuracy, hard moments recognised, out-of-scope sentences acted on and
out-of-scope sentences taken as a hard moment. The evaluation sets in tests/ are never read here,
so the figures bench/understanding.py prints stay honest.

Run: ./dev bench understanding_tuning
"""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intents.catalog import Catalog  # noqa: E402
from intents.classifier import NONE, Policy, decide, has_foreign_word, train, words  # noqa: E402
from intents.matcher import FREE_SLOTS, HARD_MOMENTS  # noqa: E402
from intents.training import training_examples  # noqa: E402


def main() -> None:
    catalog = Catalog.load()
    examples = training_examples(catalog)
    templated = {s for intent in catalog.intent_names for s in catalog.sentences(intent)}
    written = [e for e in examples if e[0] not in templated]
    fixed = [e for e in examples if e[0] in templated]
    random.Random(1).shuffle(written)
    folds = [written[i::5] for i in range(5)]
    rows = []  # (probabilities, classes, foreign, label)
    for k in range(5):
        training = fixed + [e for j, f in enumerate(folds) if j != k for e in f]
        model = train(training)
        known = frozenset(w for text, label in training if label != NONE for w in words(text))
        for text, label in folds[k]:
            rows.append((model.scores(text), model.classes, has_foreign_word(text, known), label))
    print(
        f"{'confidence':>10} {'foreign':>8} {'hard sum':>8} | {'intents':>8} {'hard':>6}"
        f" {'oos acted':>9} {'oos hard':>8}"
    )
    for confidence, foreign, hard_total in itertools.product(
        (0.3, 0.4, 0.5), (0.6, 0.8, 1.01), (0.3, 0.4, 0.5)
    ):
        policy = Policy(
            confidence=confidence,
            foreign_confidence=foreign,
            hard_total=hard_total,
            hard=HARD_MOMENTS,
            free=FREE_SLOTS,
        )
        ins = hard = outs = right = found = acted = acted_hard = 0
        for probabilities, classes, is_foreign, label in rows:
            got = decide(probabilities, classes, is_foreign, policy).label
            if label == NONE:
                outs += 1
                acted += got != NONE
                acted_hard += got in HARD_MOMENTS
            elif label in HARD_MOMENTS:
                hard += 1
                found += got in HARD_MOMENTS
            else:
                ins += 1
                right += got == label
        print(
            f"{confidence:>10} {foreign:>8} {hard_total:>8} | {right / ins:>8.1%}"
            f" {found / hard:>6.1%} {acted / outs:>9.1%} {acted_hard / outs:>8.1%}"
        )


if __name__ == "__main__":
    main()
