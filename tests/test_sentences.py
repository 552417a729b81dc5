"""Every template has a test sentence, and every test sentence means what its fixture says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hassil import recognize

from intents.catalog import Catalog
from intents.matcher import Matcher
from intents.normalize import normalize

FIXTURES = Path(__file__).parent / "sentences" / "en"
CATALOG = Catalog.load()
MATCHER = Matcher(CATALOG)


def _cases() -> list[tuple[str, str, dict[str, str], str]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        for block in yaml.safe_load(path.read_text())["tests"]:
            intent = block["intent"]
            for sentence in block["sentences"]:
                slots = {k: str(v) for k, v in (intent.get("slots") or {}).items()}
                cases.append((sentence, str(intent["name"]), slots, path.name))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("sentence", "intent", "slots", "source"), CASES)
def test_sentence_matches_its_intent_and_slots(sentence, intent, slots, source):
    request = MATCHER.match(sentence)
    assert request.name == intent, f"{sentence!r} ({source})"
    for name, value in slots.items():
        assert request.slots.get(name) == value, f"{sentence!r}: slot {name}"


def test_fixture_files_mirror_sentence_files():
    sentence_files = {p.name for p in Path(CATALOG_FOLDER()).glob("*.yaml")} - {"_common.yaml"}
    assert {p.name for p in FIXTURES.glob("*.yaml")} == sentence_files


def CATALOG_FOLDER() -> Path:  # noqa: N802 - reads like the constant it stands for
    import intents

    return Path(intents.__file__).parent / "sentences" / "en"


def test_every_intent_has_test_sentences():
    tested = {intent for _, intent, _, _ in CASES}
    assert set(CATALOG.intent_names) - tested == set()


def test_every_template_is_exercised_by_a_test_sentence():
    used: set[tuple[str, str]] = set()
    for sentence, _intent, _slots, _source in CASES:
        result = recognize(normalize(sentence), CATALOG.intents, language="en")
        if result is not None and result.intent_sentence is not None:
            used.add((result.intent.name, result.intent_sentence.text or ""))
    missing = [
        (name, template)
        for name in CATALOG.intent_names
        for template in CATALOG.templates(name)
        if (name, template) not in used
    ]
    assert missing == []


def test_every_slot_has_an_alexa_type():
    for slot in CATALOG.slot_types.values():
        assert slot.alexa_type, slot.name
        if slot.is_wildcard:
            assert slot.samples, f"open slot {slot.name} needs spoken samples for the Vosk grammar"
