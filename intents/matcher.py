"""Text to intent: the templates first, then a classifier trained from them for everything else.

In the manner of Snips NLU: a deterministic parser (an exact lookup of template sentences, then
hassil) answers what the templates say; a probabilistic one (intents.classifier, with a None class
of sentences that are not for us) generalises to what people really say, and slot finders
(intents.entities) read the values. A template match that rests on a wildcard ("thanks for
{appreciation}") stands unless the classifier is confident it means something else, so "thanks for
nothing" is left alone; names are checked by the name finder, so "we are tom and jerry fans" sets
no names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from hassil import recognize
from platformdirs import user_cache_dir
from rapidfuzz import fuzz, process, utils

from intents.catalog import Catalog
from intents.classifier import (
    NONE,
    IntentModel,
    Policy,
    Prediction,
    digest_of_sources,
    load_or_train,
)
from intents.entities import SlotFinder, find_names
from intents.normalize import normalize
from intents.training import common_words, sources, training_examples

FALLBACK = "Fallback"
FUZZY_CUTOFF = 90.0
MAX_INPUT_CHARS = 500
HARD_MOMENTS = frozenset({"Distress", "Conflict", "Unsafe", "SelfHarm"})
"""Intents that are heard ahead of anything else, in any state."""
FREE_SLOTS = frozenset({"SetNames", "Appreciation"})
"""Intents whose slots may hold any word (names, what was appreciated)."""
POLICY = Policy(hard=HARD_MOMENTS, free=FREE_SLOTS)
"""When the classifier's guess is acted on (see intents.classifier.Policy)."""
ENV_CACHE = "HEART_TO_HEART_CACHE"


@dataclass(frozen=True)
class IntentRequest:
    """What somebody asked for, whichever front end heard it."""

    name: str
    slots: dict[str, str] = field(default_factory=dict)
    text: str = ""
    """What was said, as said (kept for free answers such as an appreciation; never logged)."""
    guessed: bool = False
    """True when the classifier inferred it (no template says so): a free answer may be meant."""


def model_cache() -> Path:
    """Where trained models are kept: $HEART_TO_HEART_CACHE, else the user cache folder."""
    root = os.environ.get(ENV_CACHE) or user_cache_dir("heart-to-heart")
    return Path(root) / "models"


class Matcher:
    """Match an utterance to an intent of the catalog; Fallback when nothing fits."""

    def __init__(self, catalog: Catalog, model: IntentModel | None = None) -> None:
        self.catalog = catalog
        self.model = model or load_or_train(
            digest_of_sources(sources(catalog)),
            lambda: training_examples(catalog),
            model_cache(),
            lambda: common_words(catalog),
        )
        self.slots = SlotFinder(catalog, self.model.common)
        self._wildcards = {n for n, t in catalog.slot_types.items() if t.is_wildcard}
        # Sentences without slots, for snapping near misses ("whats tonights question").
        self._exact: dict[str, str] = {}
        for name in catalog.intent_names:
            if catalog.slots_of(name):
                continue
            for sentence in catalog.sentences(name):
                self._exact.setdefault(normalize(sentence), name)
        self._choices = list(self._exact)

    def exact_intent(self, text: str) -> str | None:
        """The intent whose template sentence this is word for word, if any (the fast path)."""
        return self._exact.get(normalize(text))

    def match(self, text: str) -> IntentRequest:
        said = " ".join(text[:MAX_INPUT_CHARS].split())
        clean = without_asides(normalize(said))
        if not clean:
            return IntentRequest(FALLBACK, {}, said)
        exact = self._exact.get(clean)
        if exact:
            return IntentRequest(exact, {}, said)
        likeliest, guess = self.model.decide(clean, POLICY)
        if guess.label in HARD_MOMENTS:  # ahead of every template
            return IntentRequest(guess.label, {}, said, True)
        if SELF_HARM_WORDS.search(clean):  # a safety net under the classifier, never over it
            return IntentRequest("SelfHarm", {}, said, True)
        result = recognize(clean, self.catalog.intents, language=self.catalog.language)
        if result is not None and self._template_stands(result, likeliest, clean):
            slots = {name: _slot_text(entity.value) for name, entity in result.entities.items()}
            found = self.slots.find(result.intent.name, said)
            for name in ("name", "other_name"):
                if name in found:
                    slots[name] = found[name]
            for name, value in found.items():  # said in words no template spells ("an hour")
                slots.setdefault(name, value)
            return IntentRequest(result.intent.name, slots, said)
        if guess.label != NONE:
            slots = self.slots.find(guess.label, said)
            if guess.label == "SetNames" and "name" not in slots and "name" not in clean:
                return IntentRequest(FALLBACK, {}, said)  # "call us an uber": no name in it
            return IntentRequest(guess.label, slots, said, True)
        if likeliest.probability < POLICY.confidence:
            best = process.extractOne(
                clean,
                self._choices,
                scorer=fuzz.ratio,
                processor=utils.default_process,
                score_cutoff=FUZZY_CUTOFF,
            )
            if best is not None:
                return IntentRequest(self._exact[best[0]], {}, said)
        return IntentRequest(FALLBACK, {}, said)

    def _template_stands(self, result: object, guess: Prediction, clean: str) -> bool:
        """A wildcard template stands unless the classifier is sure it means something else;
        names are checked by the name finder instead, which knows our own words are not names."""
        intent = result.intent.name  # type: ignore[attr-defined]
        entities = result.entities  # type: ignore[attr-defined]
        if "name" in entities:  # the name finder knows a name from "fans" or "wedding"
            return find_names(clean, self.slots.common) is not None
        if not any(name in self._wildcards for name in entities):
            return True
        return guess.label == intent or guess.probability < POLICY.veto


SELF_HARM_WORDS = re.compile(
    r"\b(?:suicide|suicidal|kill(?:ing)? myself|end(?:ing)? my (?:own )?life|"
    r"take my (?:own )?life|self harm(?:ing)?|harm(?:ing)? myself|hurt(?:ing)? myself|"
    r"cut(?:ting)? myself|don't want to be alive|better off dead|better off without me)\b"
)
"""Words that are never small talk. Whatever the classifier thinks of the rest of the sentence
("suicide keeps crossing my mind"), the companion answers with care and the help line: a kind
word wrongly offered costs little, a crisis missed costs a great deal."""

_ASIDES = re.compile(
    r"(?: (?:by the way|just so you know|if that's okay|if that's ok|if you don't mind|"
    r"if you can|if you could|please))+$"
)


def without_asides(clean: str) -> str:
    """The request without a courtesy tacked on at the end ("i'm aiden by the way", "add ten
    minutes please"): such asides carry no meaning, and templates do not spell them all out.
    A sentence that is nothing but courtesy ("thank you") keeps it."""
    core = _ASIDES.sub("", clean)
    return core if len(core.split()) >= 2 else clean


def _slot_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
