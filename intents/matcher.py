"""Text to intent: hassil over the catalog, tolerant of how speech recognisers write things."""

from __future__ import annotations

from dataclasses import dataclass, field

from hassil import recognize
from rapidfuzz import fuzz, process, utils

from intents.catalog import Catalog
from intents.normalize import normalize

FALLBACK = "Fallback"
FUZZY_CUTOFF = 90.0
MAX_INPUT_CHARS = 500


@dataclass(frozen=True)
class IntentRequest:
    """What somebody asked for, whichever front end heard it."""

    name: str
    slots: dict[str, str] = field(default_factory=dict)
    text: str = ""
    """What was said, as said (kept for free answers such as an appreciation; never logged)."""


class Matcher:
    """Match an utterance to an intent of the catalog; Fallback when nothing fits."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        # Sentences without slots, for snapping near misses ("whats tonights question").
        self._exact: dict[str, str] = {}
        for name in catalog.intent_names:
            if catalog.slots_of(name):
                continue
            for sentence in catalog.sentences(name):
                self._exact.setdefault(normalize(sentence), name)
        self._choices = list(self._exact)

    def match(self, text: str) -> IntentRequest:
        said = " ".join(text[:MAX_INPUT_CHARS].split())
        clean = normalize(said)
        if not clean:
            return IntentRequest(FALLBACK, {}, said)
        exact = self._exact.get(clean)
        if exact:
            return IntentRequest(exact, {}, said)
        result = recognize(clean, self.catalog.intents, language=self.catalog.language)
        if result is not None:
            slots = {name: _slot_text(entity.value) for name, entity in result.entities.items()}
            return IntentRequest(result.intent.name, slots, said)
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


def _slot_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
