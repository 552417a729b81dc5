"""The generated Alexa interaction model: committed, in step with the catalog, valid for Alexa."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from intents.catalog import Catalog
from skill.interaction_model import render

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "skill-package"
CATALOG = Catalog.load()
MODEL = json.loads((PACKAGE / "interactionModels" / "custom" / "en-US.json").read_text())
LANGUAGE = MODEL["interactionModel"]["languageModel"]
REQUIRED_BUILT_INS = {
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent",
}


def test_committed_skill_package_matches_the_catalog():
    for relative, text in render(CATALOG).items():
        committed = (PACKAGE / relative).read_text()
        assert committed == text, f"{relative} drifted: run `heart-to-heart alexa-model`"


CONNECTING_WORDS = {"to", "from", "by", "for", "and", "if", "whose", "in", "of", "with", "on"}
LAUNCH_WORDS = {
    "launch",
    "ask",
    "tell",
    "load",
    "begin",
    "enable",
    "open",
    "start",
    "play",
    "run",
    "resume",
    "use",
    "talk",
}
WAKE_WORDS = {"alexa", "amazon", "echo", "computer", "skill", "app"}


def test_the_invocation_name_follows_amazons_rules():
    name = LANGUAGE["invocationName"]
    words = name.split()
    assert re.fullmatch(r"[a-z][a-z ]*[a-z]", name) and "  " not in name
    assert 2 <= len(words) <= 3 and len(name) <= 50
    assert not set(words) & (CONNECTING_WORDS | LAUNCH_WORDS | WAKE_WORDS), words
    manifest = json.loads((PACKAGE / "skill.json").read_text())["manifest"]
    phrases = manifest["publishingInformation"]["locales"]["en-US"]["examplePhrases"]
    assert all(name in phrase for phrase in phrases)


def test_invocation_name_and_built_ins():
    names = {i["name"] for i in LANGUAGE["intents"]}
    assert names >= REQUIRED_BUILT_INS
    assert "TonightQuestionIntent" in names and "CheckInIntent" in names


def test_samples_are_unique_across_intents_and_speakable():
    samples = Counter(s for i in LANGUAGE["intents"] for s in i["samples"])
    assert [s for s, n in samples.items() if n > 1] == []
    for sample in samples:
        words = re.sub(r"\{[A-Za-z_.]+\}", "", sample)
        assert re.fullmatch(r"[a-z' .\-]*", words), sample
        assert len(sample) <= 200


def test_slot_names_use_only_letters_periods_and_underscores():
    for intent in LANGUAGE["intents"]:
        for slot in intent.get("slots", []):
            assert re.fullmatch(r"[A-Za-z][A-Za-z_.]*", slot["name"]), slot["name"]


def test_every_slot_in_a_sample_is_declared_with_a_type():
    custom_types = {t["name"] for t in LANGUAGE["types"]}
    for intent in LANGUAGE["intents"]:
        declared = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent["samples"]:
            for slot in re.findall(r"\{(\w+)\}", sample):
                assert slot in declared, (intent["name"], sample)
        for slot_type in declared.values():
            assert slot_type.startswith("AMAZON.") or slot_type in custom_types


def test_search_query_slots_have_a_carrier_phrase():
    for intent in LANGUAGE["intents"]:
        free = [s["name"] for s in intent.get("slots", []) if s["type"] == "AMAZON.SearchQuery"]
        for sample in intent["samples"]:
            for slot in free:
                if "{" + slot + "}" in sample:
                    assert sample.replace("{" + slot + "}", "").strip(), sample


def test_custom_types_have_values_and_synonyms():
    types = {t["name"]: t for t in LANGUAGE["types"]}
    depth = {v["name"]["value"]: v["name"]["synonyms"] for v in types["QuestionDepth"]["values"]}
    assert set(depth) == {"lighter", "deeper"} and "more personal" in depth["deeper"]
    kinds = {v["name"]["value"] for v in types["IntimacyKind"]["values"]}
    assert kinds == {"emotional", "physical", "intellectual", "spiritual"}


def test_the_manifest_declares_the_reminders_permission():
    manifest = json.loads((PACKAGE / "skill.json").read_text())["manifest"]
    assert {"name": "alexa::alerts:reminders:skill:readwrite"} in manifest["permissions"]


def test_the_alexa_model_command_writes_the_package(tmp_path, capsys):
    from intents.cli import main

    assert main(["alexa-model", "--out", str(tmp_path)]) == 0
    for relative, text in render(CATALOG).items():
        assert (tmp_path / relative).read_text() == text


LOCALES = ("en-US", "en-CA", "en-GB", "en-AU", "en-IN")


def _model(locale: str) -> dict:
    path = PACKAGE / "interactionModels" / "custom" / f"{locale}.json"
    return json.loads(path.read_text())["interactionModel"]["languageModel"]


def test_every_english_market_has_a_model_a_listing_and_a_country():
    manifest = json.loads((PACKAGE / "skill.json").read_text())["manifest"]
    listing = manifest["publishingInformation"]
    assert set(listing["locales"]) == set(LOCALES)
    assert set(listing["distributionCountries"]) == {"US", "CA", "GB", "AU", "IN"}
    assert set(manifest["privacyAndCompliance"]["locales"]) == set(LOCALES)
    for locale in LOCALES:
        language = _model(locale)
        assert language["invocationName"] == LANGUAGE["invocationName"]
        assert {i["name"] for i in language["intents"]} == {i["name"] for i in LANGUAGE["intents"]}


def test_local_words_are_added_where_people_say_them_and_only_there():
    def samples(locale: str) -> set[str]:
        return {s for i in _model(locale)["intents"] for s in i["samples"]}

    for locale in ("en-GB", "en-AU", "en-IN"):
        assert any("mobiles" in s for s in samples(locale)), locale
        assert samples(LOCALE_US) <= samples(locale)
    for locale in ("en-US", "en-CA"):
        assert not any("mobile" in s for s in samples(locale)), locale


LOCALE_US = "en-US"


def test_the_manifest_declares_can_fulfill_personal_info_and_policy_addresses():
    manifest = json.loads((PACKAGE / "skill.json").read_text())["manifest"]
    assert {"type": "CAN_FULFILL_INTENT_REQUEST"} in manifest["apis"]["custom"]["interfaces"]
    assert manifest["privacyAndCompliance"]["usesPersonalInfo"] is True
    for urls in manifest["privacyAndCompliance"]["locales"].values():
        assert urls["privacyPolicyUrl"].startswith("https://")
        assert urls["termsOfUseUrl"].startswith("https://")


def test_a_publisher_sets_the_policy_addresses_when_writing_the_package(tmp_path):
    from intents.cli import main

    out = tmp_path / "package"
    assert (
        main(
            [
                "alexa-model",
                "--out",
                str(out),
                "--privacy-url",
                "https://example.org/p",
                "--terms-url",
                "https://example.org/t",
            ]
        )
        == 0
    )
    manifest = json.loads((out / "skill.json").read_text())["manifest"]
    for urls in manifest["privacyAndCompliance"]["locales"].values():
        assert urls == {
            "privacyPolicyUrl": "https://example.org/p",
            "termsOfUseUrl": "https://example.org/t",
        }
