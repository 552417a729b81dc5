"""Training sentences for the classifier, generated reproducibly from data.

Three sources, all YAML: the catalog's templates (expanded, slots filled with spoken values),
extra phrasings per intent in training_sentences/<lang>/phrasings*.yaml, and sentences that are
not for us in training_sentences/<lang>/out_of_scope*.yaml (the None class). The same files always
give the same sentences in the same order, so the trained model is the same on every machine.
"""

from __future__ import annotations

import random
import re
import zlib
from importlib import resources
from pathlib import Path

from intents.catalog import Catalog
from intents.classifier import NONE
from intents.data_files import read_yaml
from intents.normalize import normalize

PER_TEMPLATE = 40
"""Expansions kept per template: enough to learn its words without drowning other intents."""
FILLED_PER_PHRASING = 3
SEED = 20261124
FILLERS = ("um", "uh", "okay", "hey", "alexa", "so", "hmm", "please")
_SLOT = re.compile(r"\{(\w+)\}")


def training_folder(language: str = "en") -> Path:
    return Path(str(resources.files("intents") / "training_sentences" / language))


def _spoken_values(catalog: Catalog, folder: Path) -> dict[str, list[str]]:
    """Every value a slot may be filled with: the catalog's samples and values, and ours."""
    extra = read_yaml(folder / "slot_values.yaml")["slots"]
    values: dict[str, list[str]] = {}
    for name, slot_type in catalog.slot_types.items():
        spoken = list(slot_type.samples) + [str(v) for v in extra.get(name, [])]
        for value in slot_type.values:
            spoken += [value.value, *value.synonyms]
        values[name] = list(dict.fromkeys(spoken)) or [name]
    return values


def _fill(template: str, values: dict[str, list[str]], rng: random.Random) -> str:
    return _SLOT.sub(lambda m: rng.choice(values.get(m.group(1), [m.group(1)])), template)


def load_extra(folder: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Extra phrasings per intent (phrasings*.yaml), and sentences not for us (out_of_scope*)."""
    phrasings: dict[str, list[str]] = {}
    for path in sorted(folder.glob("phrasings*.yaml")):
        for intent, sentences in read_yaml(path)["intents"].items():
            phrasings.setdefault(str(intent), []).extend(str(s) for s in sentences)
    out_of_scope: list[str] = []
    for path in sorted(folder.glob("out_of_scope*.yaml")):
        out_of_scope += [str(s) for s in read_yaml(path)["sentences"]]
    return phrasings, out_of_scope


def training_examples(catalog: Catalog, folder: Path | None = None) -> list[tuple[str, str]]:
    """(sentence, label) pairs; label NONE for sentences that are not for us."""
    rng = random.Random(SEED)
    folder = folder or training_folder(catalog.language)
    values = _spoken_values(catalog, folder)
    phrasings, out_of_scope = load_extra(folder)
    unknown = set(phrasings) - set(catalog.intent_names)
    if unknown:
        raise ValueError(f"training phrasings for intents not in the catalog: {sorted(unknown)}")
    examples: list[tuple[str, str]] = []
    for intent in catalog.intent_names:
        sentences: list[str] = []
        for template in catalog.templates(intent):
            expanded = sorted(set(catalog.expand(template, expand_lists=False)))
            if len(expanded) > PER_TEMPLATE:
                expanded = rng.sample(expanded, PER_TEMPLATE)
            sentences += [_fill(s, values, rng) for s in expanded]
        for phrasing in phrasings.get(intent, []):
            copies = FILLED_PER_PHRASING if _SLOT.search(phrasing) else 1
            sentences += [_fill(phrasing, values, rng) for _ in range(copies)]
        examples += [(normalize(s), intent) for s in sentences]
    examples += [(normalize(s), NONE) for s in out_of_scope]
    # Speech recognisers hear fillers; teach the model they carry no meaning.
    # One example in seven, picked by its own text (not its place in the list), gets a filler.
    examples += [
        (f"{FILLERS[stable % len(FILLERS)]} {text}", label)
        for text, label in examples
        if (stable := zlib.crc32(f"{label}:{text}".encode())) % 7 == 0
    ]
    seen: set[tuple[str, str]] = set()
    unique = []
    for example in examples:
        if example[0] and example not in seen:
            seen.add(example)
            unique.append(example)
    return unique


def common_words(catalog: Catalog, folder: Path | None = None) -> frozenset[str]:
    """Words of our own sentences (templates, rules and phrasings, slots left out): never a name.

    Read from the template text itself, not its expansions, so start-up stays quick.
    """
    phrasings, _ = load_extra(folder or training_folder(catalog.language))
    texts = [t for intent in catalog.intent_names for t in catalog.templates(intent)]
    texts += [str(rule) for rule in (catalog.data.get("expansion_rules") or {}).values()]
    texts += [s for sentences in phrasings.values() for s in sentences]
    found: set[str] = set()
    for text in texts:
        text = re.sub(r"\{\w+\}|<\w+>", " ", text)
        found.update(normalize(re.sub(r"[()\[\]|]", " ", text)).split())
    return frozenset(found)


def sources(catalog: Catalog, folder: Path | None = None) -> list[Path]:
    """Every file the classifier is built from: templates, training data and the code itself."""
    import intents.classifier
    import intents.normalize

    here = Path(__file__)
    templates = Path(str(resources.files("intents") / "sentences" / catalog.language))
    data = folder or training_folder(catalog.language)
    code = [here, Path(intents.classifier.__file__), Path(intents.normalize.__file__)]
    return sorted(templates.glob("*.yaml")) + sorted(data.glob("*.yaml")) + code
