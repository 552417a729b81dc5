"""The Alexa interaction model and skill manifest, generated from the intent catalog."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

from intents.catalog import Catalog
from intents.data_files import read_yaml

INVOCATION_NAME = "heart talks"
"""Two words people say easily. "Heart to Heart" stays the display name, but an invocation name
may not hold connecting words such as "to" (Amazon's invocation name requirements), and
"ask heart to heart to start..." parses badly."""
LOCALE = "en-US"
BUILT_INS_WITHOUT_SAMPLES = ("AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent")
HERE = Path(__file__).parent
PRIVACY_URL_ENV = "HEART_TO_HEART_PRIVACY_URL"
TERMS_URL_ENV = "HEART_TO_HEART_TERMS_URL"


def locales() -> dict[str, dict[str, Any]]:
    """en-US, en-CA, en-GB, en-AU, en-IN: each with its country and its own words."""
    data = read_yaml(HERE / "locales.yaml")
    return dict(data["locales"])


def model_path(locale: str) -> Path:
    return Path("interactionModels") / "custom" / f"{locale}.json"


MODEL_PATH = model_path(LOCALE)


def with_local_words(sample: str, words: dict[str, str]) -> list[str]:
    """The sample, then the same sample said with the locale's words ("put the phones away" and,
    in en-GB, "put the mobiles away")."""
    if not words:
        return [sample]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b")
    local = pattern.sub(lambda m: words[m.group(1)], sample)
    return [sample] if local == sample else [sample, local]


def interaction_model(catalog: Catalog, locale: str = LOCALE) -> dict[str, Any]:
    words = locales()[locale]["words"]
    intents: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for name in catalog.intent_names:
        alexa_name = catalog.alexa_name(name)
        samples = []
        for template in catalog.sentences(name, expand_lists=False):
            for sample in with_local_words(template, words):
                if seen.setdefault(sample, alexa_name) == alexa_name and sample not in samples:
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


def skill_manifest(privacy_url: str | None = None, terms_url: str | None = None) -> dict[str, Any]:
    """skill.json, from manifest.yaml beside this module: the en-US listing copied to every
    locale, distribution to each locale's country, and the privacy policy and terms of use at the
    addresses given (or $HEART_TO_HEART_PRIVACY_URL / $HEART_TO_HEART_TERMS_URL, else the
    placeholders in manifest.yaml, which a publisher must replace)."""
    data = read_yaml(HERE / "manifest.yaml")
    manifest = data["manifest"]
    listing = manifest["publishingInformation"]["locales"][LOCALE]
    compliance = manifest["privacyAndCompliance"]
    urls = compliance["locales"][LOCALE]
    urls["privacyPolicyUrl"] = (
        privacy_url or os.environ.get(PRIVACY_URL_ENV) or urls["privacyPolicyUrl"]
    )
    urls["termsOfUseUrl"] = terms_url or os.environ.get(TERMS_URL_ENV) or urls["termsOfUseUrl"]
    markets = locales()
    manifest["publishingInformation"]["locales"] = {
        locale: copy.deepcopy(listing) for locale in markets
    }
    manifest["publishingInformation"]["distributionCountries"] = [
        market["country"] for market in markets.values()
    ]
    compliance["locales"] = {locale: dict(urls) for locale in markets}
    return data


def render(
    catalog: Catalog, privacy_url: str | None = None, terms_url: str | None = None
) -> dict[Path, str]:
    """Files of the skill package (ASK CLI layout), as text: the manifest and one interaction
    model per locale, all from the one catalog."""
    files = {
        Path("skill.json"): json.dumps(skill_manifest(privacy_url, terms_url), indent=2) + "\n"
    }
    for locale in locales():
        files[model_path(locale)] = json.dumps(interaction_model(catalog, locale), indent=2) + "\n"
    return files


def write(
    catalog: Catalog, folder: Path, privacy_url: str | None = None, terms_url: str | None = None
) -> list[Path]:
    written = []
    for relative, text in render(catalog, privacy_url, terms_url).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
