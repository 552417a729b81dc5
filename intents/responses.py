"""Everything the companion says: responses/<lang>/*.yaml, one variant picked at random."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from intents.data_files import read_yaml
from intents.reply import PAUSE_MS, Segment, Speech

_TOKEN = re.compile(r"(\[pause\]|\{question\}|\*[^*]+\*)")


@dataclass(frozen=True)
class Question:
    """A value rendered as a question segment (spoken slowly)."""

    text: str


class Responses:
    """Response templates by key: variants with {placeholders}, [pause] marks and *emphasis*."""

    def __init__(self, templates: dict[str, list[str]]) -> None:
        self.templates = templates

    @classmethod
    def load(cls, folder: Path | None = None, language: str = "en") -> Responses:
        root = folder or Path(str(resources.files("intents") / "responses" / language))
        templates: dict[str, list[str]] = {}
        for path in sorted(root.glob("*.yaml")):
            data = read_yaml(path) or {}
            for key, variants in (data.get("responses") or {}).items():
                if key in templates:
                    raise ValueError(f"response {key!r} defined twice ({path.name})")
                templates[key] = [variants] if isinstance(variants, str) else list(variants)
        return cls(templates)

    def render(
        self, key: str, rng: random.Random, question: str | None = None, **values: object
    ) -> Speech:
        """One variant of `key`, formatted; `question` becomes a slowly spoken segment."""
        variants = self.templates[key]
        template = variants[rng.randrange(len(variants))] if len(variants) > 1 else variants[0]
        segments: list[Segment] = []
        for token in _TOKEN.split(template):
            if token == "[pause]":
                segments.append(Segment("pause", ms=PAUSE_MS))
            elif token == "{question}":
                if question is None:
                    raise KeyError(f"response {key!r} needs a question")
                segments.append(Segment("question", question))
            elif token.startswith("*") and token.endswith("*") and len(token) > 2:
                segments.append(Segment("emphasis", token[1:-1].format(**values).strip()))
            elif token.strip():
                segments.append(Segment("text", token.format(**values).strip()))
        return Speech(tuple(segments))

    def for_audience(self, key: str, audience: str) -> str:
        """`key@audience` when that wording exists (solo, friends), else `key` itself."""
        specific = f"{key}@{audience}"
        return specific if specific in self.templates else key

    def text(self, key: str, **values: object) -> str:
        """A fixed phrase (the first variant), for words built into other sentences."""
        return self.templates[key][0].format(**values)
