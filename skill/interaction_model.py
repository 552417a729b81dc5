"""The Alexa interaction model and skill manifest, generated from the intent catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from intents.catalog import Catalog

INVOCATION_NAME = "heart talks"
"""Two words people say easily. "Heart to Heart" stays the display name, but an invocation name
may not hold connecting words such as "to" (Amazon's invocation name requirements), and
"ask heart to heart to start..." parses badly."""
LOCALE = "en-US"
BUILT_INS_WITHOUT_SAMPLES = ("AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent")
MODEL_PATH = Path("interactionModels") / "custom" / f"{LOCALE}.json"


def interaction_model(catalog: Catalog) -> dict[str, Any]:
    intents: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for name in catalog.intent_names:
        alexa_name = catalog.alexa_name(name)
        samples = []
        for sample in catalog.sentences(name, expand_lists=False):
            if seen.setdefault(sample, alexa_name) == alexa_name:
                samples.append(sample)
        intent: dict[str, Any] = {"name": alexa_name, "samples": samples}
        slots = catalog.slots_of(name)
        if slots:
            intent["slots"] = [
                {"name": slot, "type": catalog.slot_types[slot].alexa_type} for slot in slots
            ]
        intents.append(intent)
    intents += [{"name": name, "samples": []} for name in BUILT_INS_WITHOUT_SAMPLES]
    types = [
        {
            "name": slot.alexa_type,
            "values": [
                {
                    "id": value.value,
                    "name": {"value": value.value, "synonyms": list(value.synonyms)},
                }
                for value in slot.values
            ],
        }
        for slot in catalog.slot_types.values()
        if not slot.alexa_type.startswith("AMAZON.")
    ]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": INVOCATION_NAME,
                "intents": intents,
                "types": types,
            }
        }
    }


def skill_manifest() -> dict[str, Any]:
    """skill.json, from manifest.yaml beside this module."""
    return yaml.safe_load((Path(__file__).parent / "manifest.yaml").read_text(encoding="utf-8"))


def render(catalog: Catalog) -> dict[Path, str]:
    """Files of the skill package (ASK CLI layout), as text."""
    return {
        Path("skill.json"): json.dumps(skill_manifest(), indent=2) + "\n",
        MODEL_PATH: json.dumps(interaction_model(catalog), indent=2) + "\n",
    }


def write(catalog: Catalog, folder: Path) -> list[Path]:
    written = []
    for relative, text in render(catalog).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
