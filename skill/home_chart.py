"""The check-in trend as an SVG chart, drawn by matplotlib (Agg backend) on the server.

The only module that imports matplotlib. The SVG is inlined in the page; its data points are one
marker each, in a group with the id `checkin-ratings`.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Sequence
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402

from intents.overview import DailyRating  # noqa: E402

POINTS_ID = "checkin-ratings"
LINE_COLOUR = "#b4534b"
GRID_COLOUR = "#eadfd6"
TEXT_COLOUR = "#5b4a42"
_FIXED_SIZE = re.compile(r'\s(?:width|height)="[\d.]+pt"')
_LOCK = threading.Lock()
"""matplotlib's settings are process-wide: one chart at a time."""


def trend_svg(ratings: Sequence[DailyRating], since: date, today: date) -> str:
    """An <svg> element (no XML prologue) of the daily ratings from `since` to `today`."""
    with (
        _LOCK,
        matplotlib.rc_context(
            {"svg.fonttype": "none", "svg.hashsalt": "heart-to-heart", "font.size": 12}
        ),
    ):
        figure = Figure(figsize=(5.6, 2.9), dpi=100)
        axes = figure.add_subplot()
        days = [r.day for r in ratings]
        values = [r.rating for r in ratings]
        (line,) = axes.plot(
            days,
            values,
            color=LINE_COLOUR,
            linewidth=2,
            marker="o",
            markersize=6,
            markerfacecolor="white",
            markeredgewidth=2,
        )
        line.set_gid(POINTS_ID)
        axes.set_xlim(since - timedelta(days=1), today + timedelta(days=1))
        axes.set_ylim(0.6, 5.4)
        axes.set_yticks([1, 2, 3, 4, 5])
        axes.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
        axes.grid(axis="y", color=GRID_COLOUR, linewidth=1)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.spines["bottom"].set_color(GRID_COLOUR)
        axes.tick_params(colors=TEXT_COLOUR, length=0, pad=6)
        figure.patch.set_alpha(0)
        axes.patch.set_alpha(0)
        figure.tight_layout(pad=0.6)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    svg = text[text.index("<svg") :]
    # Sized by the page (it fills its column on a phone too): keep the viewBox, drop the points.
    return _FIXED_SIZE.sub("", svg, count=2)
