"""What a screen shows: the core's Screen turned into an APL document and its data source.

Pure: the documents are JSON under skill/apl/ (with a shared theme), the words come from the
core's responses, and the result is plain data that skill/alexa.py wraps in a RenderDocument
directive. Only devices that say they support `Alexa.Presentation.APL` ever get one.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from intents.reply import Screen, ShowCountdown, ShowQuestion, ShowTrend, TrendWeek
from intents.responses import Responses

APL_INTERFACE = "Alexa.Presentation.APL"
APL_VERSION = "1.6"
"""The APL version every document targets (Echo Show and Echo Spot run it or newer)."""
DOCUMENTS = ("question", "trend", "countdown")
TOKEN_PREFIX = "heart-to-heart-"

CHART_WIDTH = 600
"""The trend graphic's viewport (skill/apl/trend.json): weeks are equal columns across it."""
CHART_TOP = 16
"""y of the rating 5 line."""
CHART_BOTTOM = 184
"""y of the rating 1 line."""
DOT_RADIUS = 9
TWENTY_FOUR_HOUR_COUNTRIES = frozenset({"GB"})
MONTH_FIRST_COUNTRIES = frozenset({"US", "CA"})


@dataclass(frozen=True)
class Rendered:
    """An APL document ready to send, with its data source and token."""

    token: str
    document: dict[str, Any]
    datasources: dict[str, Any]


def supports_apl(listed: bool, max_version: str | None) -> bool:
    """True when a device lists the APL interface with a runtime able to read our documents (a
    device that names no maximum version is taken at its word)."""
    return listed and (max_version is None or _version(max_version) >= _version(APL_VERSION))


def render(screen: Screen, responses: Responses, locale: str | None) -> Rendered:
    """The document and data source that show `screen`."""
    country = (locale or "en-US").split("-")[-1].upper()
    if isinstance(screen, ShowQuestion):
        name, data = "question", {"title": screen.title, "text": screen.text}
    elif isinstance(screen, ShowTrend):
        name, data = "trend", trend_data(screen.weeks, responses, country)
    elif isinstance(screen, ShowCountdown):
        name, data = "countdown", countdown_data(screen, responses, country)
    else:  # pragma: no cover - the Screen union is closed
        raise TypeError(f"no screen for {type(screen).__name__}")
    return Rendered(TOKEN_PREFIX + name, document(name), {name: data})


def document(name: str) -> dict[str, Any]:
    """skill/apl/<name>.json with the shared theme's resources and styles, as a fresh copy."""
    return copy.deepcopy(_document(name))


@cache
def _document(name: str) -> dict[str, Any]:
    if name not in DOCUMENTS:
        raise ValueError(f"unknown APL document {name!r}")
    found = _load(name)
    theme = _load("theme")
    return {
        **found,
        "resources": theme["resources"] + found.get("resources", []),
        "styles": {**theme["styles"], **found.get("styles", {})},
    }


def _load(name: str) -> dict[str, Any]:
    text = (resources.files("skill") / "apl" / f"{name}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def trend_data(
    weeks: Sequence[TrendWeek], responses: Responses, country: str = "US"
) -> dict[str, Any]:
    """The chart's line and dots (AVG path data) and one label column a week."""
    columns = len(weeks)
    points = [
        (_column_x(index, columns), _rating_y(week.average))
        for index, week in enumerate(weeks)
        if week.average is not None
    ]
    line = " ".join(f"{'M' if i == 0 else 'L'}{x:g},{y:g}" for i, (x, y) in enumerate(points))
    r = DOT_RADIUS
    dots = " ".join(
        f"M{x - r:g},{y:g} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0" for x, y in points
    )
    empty = responses.text("screen_trend_week_empty")
    return {
        "title": responses.text("screen_trend_title"),
        "caption": responses.text("screen_trend_caption"),
        "line": line,
        "dots": dots,
        "points": [{"x": x, "y": y} for x, y in points],
        "weeks": [
            {
                "start": week.start.isoformat(),
                "label": _day(week.start, country),
                "average": week.average,
                "value": _rating(week.average) if week.average is not None else empty,
                "checkIns": week.check_ins,
            }
            for week in weeks
        ],
    }


def countdown_data(screen: ShowCountdown, responses: Responses, country: str = "US") -> dict:
    """The end as milliseconds since 1970 (the device counts down to it) and as a clock time."""
    try:
        zone = ZoneInfo(screen.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    ends_at = screen.ends_at if screen.ends_at.tzinfo else screen.ends_at.replace(tzinfo=UTC)
    local_end = ends_at.astimezone(zone)
    return {
        "title": responses.text("screen_countdown_title"),
        "startedAtMs": _epoch_ms(screen.started_at),
        "endsAtMs": _epoch_ms(screen.ends_at),
        "endsAt": ends_at.isoformat(),
        "endsText": responses.text("screen_countdown_ends", time=_clock(local_end.time(), country)),
        "overText": responses.text("screen_countdown_over"),
    }


def _column_x(index: int, columns: int) -> float:
    return round((index + 0.5) * CHART_WIDTH / columns, 1)


def _rating_y(rating: float | None) -> float:
    value = min(5.0, max(1.0, rating or 1.0))
    return round(CHART_BOTTOM - (value - 1) / 4 * (CHART_BOTTOM - CHART_TOP), 1)


def _rating(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _day(day: date, country: str) -> str:
    month = day.strftime("%b")
    return f"{month} {day.day}" if country in MONTH_FIRST_COUNTRIES else f"{day.day} {month}"


def _clock(at: time, country: str) -> str:
    if country in TWENTY_FOUR_HOUR_COUNTRIES:
        return f"{at.hour:02d}:{at.minute:02d}"
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'am' if at.hour < 12 else 'pm'}"


def _epoch_ms(moment: datetime) -> int:
    if moment.tzinfo is None:  # the store keeps UTC
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
