"""The Vosk grammar: every sentence of the catalog, the wake phrase, and "[unk]"."""

from __future__ import annotations

import json
import re

from intents.catalog import Catalog

WAKE_PHRASE = "heart to heart"
MAX_PER_INTENT = 250
"""Whole sentences per intent; every command word is also allowed on its own, so nothing the
matcher understands is unreachable, while the grammar stays small enough to build in a moment."""
UNKNOWN = "[unk]"
_NOT_SPOKEN = re.compile(r"[^a-z' ]+")


def phrases(catalog: Catalog) -> list[str]:
    """Expanded sentences in lower case; open slots filled with their spoken samples."""
    out: dict[str, None] = {WAKE_PHRASE: None}
    for name in catalog.intent_names:
        slots = catalog.slots_of(name)
        texts: dict[str, None] = {}
        for sentence in catalog.sentences(name, expand_lists=False):
            for filled in _fill(sentence, slots, catalog):
                text = " ".join(_NOT_SPOKEN.sub(" ", filled.lower().replace("-", " ")).split())
                text = text.replace(" '", "'")  # "i" + "'m feeling" is said "i'm feeling"
                if text:
                    texts.setdefault(text, None)
        every = max(1, len(texts) // MAX_PER_INTENT)
        for text in list(texts)[::every][:MAX_PER_INTENT]:
            out.setdefault(text, None)
    words = sorted({word for phrase in out for word in phrase.split()})
    return list(out) + [w for w in words if w not in out]


def _fill(sentence: str, slots: list[str], catalog: Catalog) -> list[str]:
    open_slots = [s for s in slots if "{" + s + "}" in sentence]
    if not open_slots:
        return [sentence]
    filled = [sentence]
    for slot in open_slots:
        kind = catalog.slot_types[slot]
        spoken = list(kind.samples) or [
            said for value in kind.values for said in (value.value, *value.synonyms)
        ]
        filled = [f.replace("{" + slot + "}", said) for f in filled for said in spoken]
    return filled


def grammar_json(catalog: Catalog) -> str:
    """The catalog's Vosk grammar: its phrases, then "[unk]" for anything else."""
    return to_grammar([*phrases(catalog), UNKNOWN])


def to_grammar(phrase_list: list[str]) -> str:
    """A Vosk grammar string. Vosk reads words literally: non-ASCII must not become \\u escapes."""
    return json.dumps(phrase_list, ensure_ascii=False)


def vocabulary(catalog: Catalog) -> set[str]:
    return {word for phrase in phrases(catalog) for word in phrase.split()}
