"""The Alexa interaction model and skill manifest, generated from the intent catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intents.catalog import Catalog

INVOCATION_NAME = "heart to heart"
LOCALE = "en-US"
REMINDERS_PERMISSION = "alexa::alerts:reminders:skill:readwrite"
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


def skill_manifest(endpoint: str = "https://heart-to-heart.example.com/alexa") -> dict[str, Any]:
    return {
        "manifest": {
            "publishingInformation": {
                "locales": {
                    LOCALE: {
                        "name": "Heart to Heart",
                        "summary": "Tonight's question, a one-minute check-in, and phones-away time.",
                        "description": (
                            "Heart to Heart helps couples and close friends feel closer: a question "
                            "each evening, a one-minute check-in, encouragement with one small "
                            "practice, phone-free time and nightly phones-away reminders."
                        ),
                        "examplePhrases": [
                            "Alexa, ask heart to heart for tonight's question",
                            "Alexa, ask heart to heart to start twenty minutes of phone free time",
                            "Alexa, tell heart to heart let's check in",
                        ],
                        "keywords": ["couples", "connection", "questions", "relationships"],
                    }
                },
                "isAvailableWorldwide": False,
                "distributionCountries": ["US"],
                "testingInstructions": "Say: ask heart to heart for tonight's question.",
                "category": "ORGANIZERS_AND_ASSISTANTS",
            },
            "apis": {
                "custom": {
                    "endpoint": {"uri": endpoint, "sslCertificateType": "Trusted"},
                    "interfaces": [],
                }
            },
            "permissions": [{"name": REMINDERS_PERMISSION}],
            "privacyAndCompliance": {
                "allowsPurchases": False,
                "usesPersonalInfo": False,
                "isChildDirected": False,
                "isExportCompliant": True,
                "containsAds": False,
                "locales": {LOCALE: {}},
            },
        }
    }


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
