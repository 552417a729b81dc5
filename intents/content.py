"""The content banks (questions, encouragements, practices, ideas, touch, deep dive) from YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from intents.data_files import read_yaml

KINDS = ("emotional", "physical", "intellectual", "spiritual")
DEPTHS = ("light", "deeper", "deepest")
MOODS = ("low", "middle", "high")
PRACTICES = ("active_listening", "device_free_time", "vulnerability", "touch", "something_new")
SIZES = ("small", "full")
AUDIENCES = ("couple", "friends", "solo")
"""Who a household is: a couple, close friends, or one person on their own."""
THEMES = (
    "memories",
    "appreciation",
    "dreams",
    "stresses",
    "play",
    "would_you_rather",
    "repair",
    "first_impressions",
    "romance",
    "reflection",
)
ROMANCE = "romance"
"""The theme heard only by couples who asked for it."""
OTHER = "{other}"
"""In a question's text: the other person, as the audience calls them."""
PAIR_AUDIENCES = ("couple", "friends")
"""Assumed while a question file has no audiences yet (the bank's first version)."""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    """One of KINDS."""
    depth: str
    """One of DEPTHS."""
    text: str
    """May hold {other}; speak it through `rendered`, never as it is."""
    audiences: tuple[str, ...] = PAIR_AUDIENCES
    """Who it suits: a non-empty subset of AUDIENCES."""
    theme: str | None = None
    """One of THEMES, or none."""

    def suits(self, audience: str, romance: bool = False) -> bool:
        """Whether a household of this audience may hear it (romance only when asked for)."""
        return audience in self.audiences and (self.theme != ROMANCE or romance)

    def rendered(self, audience: str) -> str:
        """The text as it is said to this audience."""
        return render(self.text, audience)


def render(text: str, audience: str) -> str:
    """{other} as the audience calls the other person: "your partner" or "your friend"."""
    return text.replace(OTHER, "your friend" if audience == "friends" else "your partner")


@dataclass(frozen=True)
class TouchRitual:
    id: str
    text: str
    audiences: tuple[str, ...] = ("couple",)
    """Couples only unless it suits friends too (a hug, a high five)."""


@dataclass(frozen=True)
class Encouragement:
    id: str
    mood: str
    """One of MOODS: which recent check-ins it suits."""
    text: str


@dataclass(frozen=True)
class Practice:
    id: str
    practice: str
    size: str
    """small steps for hard weeks, full ones otherwise."""
    text: str


@dataclass(frozen=True)
class Item:
    """An idea to try together or a touch ritual."""

    id: str
    text: str


@dataclass(frozen=True)
class Task:
    """A small task the pair does after a deep-dive question, worded for each audience."""

    after: str
    """The id of the question it follows."""
    couple: str
    friends: str

    def text(self, audience: str) -> str:
        return self.friends if audience == "friends" else self.couple


@dataclass(frozen=True)
class DeepDiveSet:
    id: str
    title: str
    questions: tuple[Item, ...]
    tasks: tuple[Task, ...] = ()

    def task_after(self, question_id: str) -> Task | None:
        return next((t for t in self.tasks if t.after == question_id), None)


@dataclass(frozen=True)
class Prompt:
    """A love-maps prompt or a listening topic, and the audiences it suits."""

    id: str
    text: str
    audiences: tuple[str, ...]


@dataclass(frozen=True)
class Sequence:
    """A vulnerability practice: steps that rise gently, for one audience or more."""

    id: str
    audiences: tuple[str, ...]
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Guided:
    """What the guided practices say: closing ritual, listening topics, sequences, self-care."""

    closing: dict[str, str]
    """The deep dive's closing ritual by audience (couple, friends)."""
    love_maps: tuple[Prompt, ...]
    listening: tuple[Prompt, ...]
    opening_up: tuple[Sequence, ...]
    self_care: tuple[Item, ...]


@dataclass(frozen=True)
class Line:
    """A help line as the companion says it, and where its number comes from."""

    name: str
    contact: str
    """As it is spoken."""
    written: str
    """As it is printed (on an Alexa card)."""
    source: str


@dataclass(frozen=True)
class HelpLines:
    """The numbers for one country: emergency, a crisis line and a line for abuse at home."""

    emergency: str
    crisis: Line
    abuse: Line


@dataclass(frozen=True)
class Content:
    questions: tuple[Question, ...]
    encouragements: tuple[Encouragement, ...]
    practices: tuple[Practice, ...]
    ideas: tuple[Item, ...]
    touch_rituals: tuple[TouchRitual, ...]
    deep_dive: tuple[DeepDiveSet, ...]
    help_lines: dict[str, HelpLines] = field(default_factory=dict)
    """By ISO country code; "default" when the country is unknown or has no entry."""
    guided: Guided | None = None
    """The love-maps game, the deep dive's closing and the guided practices."""

    def lines_for(self, country: str | None) -> HelpLines:
        return self.help_lines.get((country or "").upper()) or self.help_lines["default"]

    def question(self, question_id: str) -> Question | None:
        return self._questions_by_id().get(question_id)

    def _questions_by_id(self) -> dict[str, Question]:
        cache = self.__dict__.get("_by_id")
        if cache is None:
            cache = {q.id: q for q in self.questions}
            object.__setattr__(self, "_by_id", cache)
        return cache

    @classmethod
    def load(cls, folder: Path | None = None, language: str = "en") -> Content:
        root = folder or Path(str(resources.files("intents") / "content" / language))
        questions: list[Question] = []
        for path in sorted(root.glob("questions_*.yaml")):
            questions.extend(_question(q) for q in _read(path)["questions"])
        return cls(
            questions=tuple(questions),
            encouragements=tuple(
                Encouragement(**e) for e in _read(root / "encouragements.yaml")["encouragements"]
            ),
            practices=tuple(Practice(**p) for p in _read(root / "practices.yaml")["practices"]),
            ideas=tuple(Item(**i) for i in _read(root / "ideas.yaml")["ideas"]),
            touch_rituals=tuple(
                TouchRitual(i["id"], i["text"], tuple(i.get("audiences", ("couple",))))
                for i in _read(root / "touch_rituals.yaml")["touch_rituals"]
            ),
            deep_dive=_deep_dive(_read(root / "deep_dive.yaml")),
            help_lines=_help_lines(_read(root / "help_lines.yaml")),
            guided=_guided(root),
        )


def _deep_dive(data: dict[str, Any]) -> tuple[DeepDiveSet, ...]:
    return tuple(
        DeepDiveSet(
            s["id"],
            s["title"],
            tuple(Item(**q) for q in s["questions"]),
            tuple(Task(**t) for t in s.get("tasks") or ()),
        )
        for s in data["deep_dive"]
    )


def _prompts(entries: list[dict[str, Any]]) -> tuple[Prompt, ...]:
    return tuple(Prompt(e["id"], e["text"], tuple(e["audiences"])) for e in entries)


def _guided(root: Path) -> Guided:
    guided = _read(root / "guided.yaml")
    return Guided(
        closing=dict(_read(root / "deep_dive.yaml")["closing"]),
        love_maps=_prompts(_read(root / "love_maps.yaml")["love_maps"]),
        listening=_prompts(guided["listening"]),
        opening_up=tuple(
            Sequence(e["id"], tuple(e["audiences"]), tuple(e["steps"]))
            for e in guided["opening_up"]
        ),
        self_care=tuple(Item(**i) for i in guided["self_care"]),
    )


def _question(entry: dict[str, Any]) -> Question:
    values = dict(entry)
    if "audiences" in values:
        values["audiences"] = tuple(values["audiences"])
    return Question(**values)


def _help_lines(data: dict[str, Any]) -> dict[str, HelpLines]:
    def lines(entry: dict[str, Any]) -> HelpLines:
        return HelpLines(entry["emergency"], Line(**entry["crisis"]), Line(**entry["abuse"]))

    found = {code.upper(): lines(entry) for code, entry in data["countries"].items()}
    found["default"] = lines(data["default"])
    return found


def _read(path: Path) -> dict[str, Any]:
    return read_yaml(path)
