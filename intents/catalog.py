"""The intent catalog: sentence templates as data, the one source for every front end.

The YAML files in sentences/<lang>/ use hassil's format (alternatives `(a|b)`, optionals `[a]`,
slots `{name}`, rules `<rule>`), plus two keys of ours that hassil ignores: a list's
`alexa_type`/`samples` and an intent's `alexa_name` for Alexa's built-in intents.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from hassil import Intents, merge_dict
from hassil.expression import Sentence
from hassil.parse_expression import parse_sentence
from hassil.sample import sample_expression

from intents.data_files import read_yaml


@dataclass(frozen=True)
class SlotValue:
    value: str
    synonyms: tuple[str, ...]
    """Every other way of saying it, as expanded from the template."""


@dataclass(frozen=True)
class SlotType:
    name: str
    """The slot's name in templates: `{name}`."""
    alexa_type: str
    """An AMAZON.* type, or the name of a custom type we define."""
    values: tuple[SlotValue, ...] = ()
    """Custom types only."""
    samples: tuple[str, ...] = ()
    """Spoken examples for open slots (wildcards): the Vosk grammar uses them."""
    is_wildcard: bool = False
    number_range: tuple[int, int] | None = None


class Catalog:
    """All intents of one language, with their templates and slot types."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.intents = Intents.from_dict(data)
        self.language: str = data.get("language", "en")

    @classmethod
    def load(cls, folder: Path | None = None, language: str = "en") -> Catalog:
        root = folder or Path(str(resources.files("intents") / "sentences" / language))
        merged: dict[str, Any] = {}
        for path in sorted(root.glob("*.yaml")):
            data = read_yaml(path) or {}
            for name in data.get("intents") or {}:
                if name in (merged.get("intents") or {}):
                    raise ValueError(f"intent {name} defined twice ({path.name})")
            merge_dict(merged, data)
        return cls(merged)

    @property
    def intent_names(self) -> list[str]:
        return list(self.data["intents"])

    def alexa_name(self, intent: str) -> str:
        """AMAZON.HelpIntent for Help; our own intents get an `Intent` suffix."""
        return self.data["intents"][intent].get("alexa_name") or f"{intent}Intent"

    def templates(self, intent: str) -> list[str]:
        return [s for block in self.data["intents"][intent]["data"] for s in block["sentences"]]

    @cached_property
    def slot_types(self) -> dict[str, SlotType]:
        types: dict[str, SlotType] = {}
        for name, spec in self.data["lists"].items():
            values: list[SlotValue] = []
            for value in spec.get("values", ()):
                spoken = sorted(set(self._expand(value["in"])))
                out = str(value["out"])
                values.append(SlotValue(out, tuple(s for s in spoken if s != out)))
            rng = spec.get("range")
            types[name] = SlotType(
                name=name,
                alexa_type=spec["alexa_type"],
                values=tuple(values),
                samples=tuple(spec.get("samples", ())),
                is_wildcard=bool(spec.get("wildcard")),
                number_range=(int(rng["from"]), int(rng["to"])) if rng else None,
            )
        return types

    def slots_of(self, intent: str) -> list[str]:
        """Slot names used by an intent's templates, in order of first use (computed once: the
        matcher asks on every sentence, and expanding the templates each time cost milliseconds)."""
        cache: dict[str, list[str]] = self.__dict__.setdefault("_slot_names", {})
        if intent not in cache:
            cache[intent] = self._slots_of(intent)
        return list(cache[intent])

    def _slots_of(self, intent: str) -> list[str]:
        names: list[str] = []
        for template in self.templates(intent):
            for text in self.expand(template, expand_lists=False):
                for part in text.split("{")[1:]:
                    name = part.split("}")[0]
                    if name not in names:
                        names.append(name)
        return names

    def expand(self, template: str, expand_lists: bool = True) -> Iterator[str]:
        """Every sentence a template stands for; with expand_lists=False slots stay as `{slot}`."""
        sentence = parse_sentence(template)
        for text in sample_expression(
            sentence.expression,
            slot_lists=self.intents.slot_lists,
            expansion_rules=self.intents.expansion_rules,
            language=self.language,
            expand_lists=expand_lists,
        ):
            yield " ".join(text.split())

    def _expand(self, template: str) -> Iterator[str]:
        return self.expand(template, expand_lists=False)

    def sentences(self, intent: str, expand_lists: bool = False) -> list[str]:
        """All expanded, de-duplicated sentences of one intent."""
        seen: dict[str, None] = {}
        for template in self.templates(intent):
            for text in self.expand(template, expand_lists=expand_lists):
                seen.setdefault(text, None)
        return list(seen)

    @cached_property
    def parsed(self) -> dict[str, list[Sentence]]:
        return {
            name: [parse_sentence(t) for t in self.templates(name)] for name in self.intent_names
        }
