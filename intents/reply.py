"""Front-end-neutral replies: what to say, how, and what the front end should do next.

Alexa renders a Reply as SSML, the offline loop as pyttsx3 text with a slower rate for questions.
Handlers never know which one is listening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

SegmentKind = Literal["text", "pause", "question", "emphasis"]


@dataclass(frozen=True)
class Segment:
    """One piece of speech."""

    kind: SegmentKind
    """text: said normally; question: said slowly and warmly; emphasis: stressed; pause: silence."""
    text: str = ""
    ms: int = 0
    """Length of a pause in milliseconds."""


PAUSE_MS = 600


@dataclass(frozen=True)
class Speech:
    """An utterance as a sequence of segments."""

    segments: tuple[Segment, ...] = ()

    @property
    def plain(self) -> str:
        """The words alone, for cards, logs of our own wording and text front ends."""
        return " ".join(s.text for s in self.segments if s.kind != "pause" and s.text).strip()

    def __add__(self, other: Speech) -> Speech:
        if not self.segments:
            return other
        if not other.segments:
            return self
        return Speech(self.segments + (Segment("pause", ms=PAUSE_MS),) + other.segments)

    def __bool__(self) -> bool:
        return bool(self.segments)

    def to_data(self) -> list[dict[str, Any]]:
        return [{"k": s.kind, "t": s.text, "ms": s.ms} for s in self.segments]

    @classmethod
    def from_data(cls, data: list[dict[str, Any]]) -> Speech:
        return cls(tuple(Segment(d["k"], d.get("t", ""), int(d.get("ms", 0))) for d in data))


@dataclass(frozen=True)
class Card:
    title: str
    text: str


@dataclass(frozen=True)
class ScheduleReminder:
    """Deliver a reminder at a local time of day: every day, or once on `on`."""

    reminder_id: int
    at: time
    timezone: str
    text: str
    on: date | None = None
    """The local day of a one-off reminder (a plan); None for a daily reminder."""


@dataclass(frozen=True)
class CancelReminder:
    reminder_id: int
    token: str | None = None
    """The front end's own handle (an Alexa alert token), when it gave one."""


@dataclass(frozen=True)
class StartTimer:
    """Announce the end of phone-free time at ends_at."""

    timer_id: int
    ends_at: datetime
    text: str


@dataclass(frozen=True)
class CancelTimer:
    timer_id: int
    token: str | None = None


Effect = ScheduleReminder | CancelReminder | StartTimer | CancelTimer


@dataclass(frozen=True)
class ShowQuestion:
    """A question for the people in the room to read as well as hear."""

    title: str
    text: str


@dataclass(frozen=True)
class TrendWeek:
    start: date
    """The Monday the week begins on."""
    average: float | None
    """The mean check-in rating of the week (one to five); None for a week without any."""
    check_ins: int


@dataclass(frozen=True)
class ShowTrend:
    """Check-ins of the last weeks, one entry a week, oldest first."""

    weeks: tuple[TrendWeek, ...]


@dataclass(frozen=True)
class ShowCountdown:
    """Phone-free time that ends at `ends_at` (aware), shown in the household's `timezone`."""

    started_at: datetime
    ends_at: datetime
    timezone: str


Screen = ShowQuestion | ShowTrend | ShowCountdown
"""What a front end with a screen may show beside the speech; one without ignores it."""


@dataclass(frozen=True)
class Reply:
    """What a handler hands back to a front end."""

    speech: Speech
    reprompt: Speech | None = None
    """Said if nobody answers; None means the conversation is not waiting for an answer."""
    end_session: bool = False
    card: Card | None = None
    effects: tuple[Effect, ...] = field(default_factory=tuple)
    screen: Screen | None = None

    @property
    def expects_answer(self) -> bool:
        return not self.end_session and self.reprompt is not None
