"""The page at home: the household's own picture, served by the same app factory as Alexa.

A Flask blueprint on `/`. It reads through Conversation.look (tonight's question claimed as the
voice and the chat claim it), acts through the conversation (reminders, phone-free time), and
forgets through Store.forget. Forms carry Flask-WTF's CSRF token; with a password set, every page
but the login form needs a signed-in session. Every word on the page is in skill/templates/.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, time

from flask import (
    Blueprint,
    Flask,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import Connection
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response as BaseResponse

from intents.companion import Companion, local_country
from intents.handlers.phone_free import MAX_MINUTES
from intents.matcher import IntentRequest
from intents.picture import Picture, picture
from intents.slots import parse_time
from intents.store.database import in_transaction
from intents.store.export import export_household
from intents.store.repository import Store
from skill.home_chart import trend_svg

SESSION = "web"
"""The conversation the page's actions belong to: never the one a voice is in the middle of."""
SIGNED_IN = "signed_in"
_MACHINE_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
SECURITY_HEADERS = {
    # Inline SVG from matplotlib carries style attributes; scripts come from this page only.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass
class HomePageConfig:
    """What the page depends on: the household it shows and, optionally, a password."""

    household: str = "home"
    """Shown as `local:<household>`, the key of the chat and the voice loop."""
    password_hash: str | None = None
    """A werkzeug.security hash; None: no login (only ever on a loopback address)."""
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    """Signs the session cookie; a new one each start signs everybody out."""
    country: str | None = None

    @property
    def household_key(self) -> str:
        return f"local:{self.household}"


class BadInput(Exception):
    """A form value the page cannot use: answered with a 400 and a message naming `problem`."""

    def __init__(self, problem: str, section: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.section = section


def register_home_page(app: Flask, companion: Companion, config: HomePageConfig) -> None:
    """Add the page to `app`: sessions, CSRF protection for the page's forms only, the routes."""
    app.secret_key = config.secret_key
    app.config.update(
        SESSION_COOKIE_NAME="heart_to_heart",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        WTF_CSRF_CHECK_DEFAULT=False,  # the Alexa endpoint is verified its own way
        WTF_CSRF_TIME_LIMIT=None,  # a page left open all evening still works
    )
    csrf = CSRFProtect(app)
    app.register_blueprint(_blueprint(companion, config, csrf))


def _blueprint(companion: Companion, config: HomePageConfig, csrf: CSRFProtect) -> Blueprint:
    page = Blueprint("home", __name__)
    key = config.household_key
    conversation = companion.conversation
    country = config.country or local_country()

    @page.before_request
    def guard() -> BaseResponse | None:
        if config.password_hash and not session.get(SIGNED_IN) and request.endpoint != "home.login":
            return redirect(url_for("home.login"), 303)
        if request.method == "POST":
            csrf.protect()
        return None

    @page.after_request
    def headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response

    @page.errorhandler(CSRFError)
    def refused(error: CSRFError) -> tuple[str, int]:
        return render_template("home/refused.html"), 400

    @page.errorhandler(BadInput)
    def bad_input(error: BadInput) -> tuple[str, int]:
        return _home(problem=error.problem, section=error.section), 400

    def act(name: str, slots: dict[str, str], section: str) -> BaseResponse:
        reply = conversation.handle(
            key, IntentRequest(name, slots), session=SESSION, country=country
        )
        flash(reply.speech.plain, section)
        return redirect(url_for("home.home", _anchor=section), 303)

    def _home(problem: str | None = None, section: str | None = None) -> str:
        seen: Picture = conversation.look(key, picture)
        chart = trend_svg(seen.ratings, seen.since, seen.today) if seen.ratings else None
        return render_template(
            "home/index.html",
            picture=seen,
            chart=chart,
            problem=problem,
            problem_section=section,
            max_minutes=MAX_MINUTES,
            country=seen.country or country,
            signed_in=bool(config.password_hash),
        )

    @page.get("/")
    def home() -> str:
        return _home()

    @page.post("/reminders")
    def add_reminder() -> BaseResponse:
        at = form_time(request.form.get("time", ""))
        return act("ReminderCreate", {"time": spoken_time(at)}, "reminders")

    @page.post("/reminders/cancel")
    def cancel_reminder() -> BaseResponse:
        at = form_time(request.form.get("time", ""))
        return act("ReminderCancel", {"time": spoken_time(at)}, "reminders")

    @page.post("/phone-free")
    def start_phone_free() -> BaseResponse:
        minutes = form_minutes(request.form.get("minutes", ""))
        return act("PhoneFreeStart", {"minutes": str(minutes)}, "phone-free")

    @page.post("/phone-free/stop")
    def stop_phone_free() -> BaseResponse:
        return act("PhoneFreeStop", {}, "phone-free")

    @page.get("/export")
    def export() -> Response:
        now = conversation.clock()
        data = in_transaction(conversation.engine, lambda conn: export_household(conn, key))
        body = json.dumps({"exported_at": now.isoformat(), **data}, indent=2, ensure_ascii=False)
        name = f"heart-to-heart-{now.astimezone(UTC):%Y-%m-%d}.json"
        return Response(
            body,
            mimetype="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @page.get("/forget")
    def forget_confirm() -> str:
        return render_template("home/forget.html", problem=None)

    @page.post("/forget")
    def forget() -> tuple[str, int]:
        if request.form.get("confirm") != "yes":
            return render_template("home/forget.html", problem="confirm"), 400
        now = conversation.clock()

        def work(conn: Connection) -> None:
            store = Store(conn)
            household = store.find_household(key)
            if household is not None:
                store.forget(household.id, now)

        in_transaction(conversation.engine, work)
        return render_template("home/forgotten.html"), 200

    @page.route("/login", methods=["GET", "POST"])
    def login() -> BaseResponse | tuple[str, int]:
        if not config.password_hash:
            return redirect(url_for("home.home"), 303)
        if request.method == "GET":
            return render_template("home/login.html", problem=None), 200
        given = request.form.get("password", "")
        if not check_password_hash(config.password_hash, given):
            return render_template("home/login.html", problem="password"), 401
        session.clear()
        session[SIGNED_IN] = True
        return redirect(url_for("home.home"), 303)

    @page.post("/logout")
    def logout() -> BaseResponse:
        session.clear()
        return redirect(url_for("home.login" if config.password_hash else "home.home"), 303)

    return page


def form_time(value: str) -> time:
    """A reminder time from the form: the time picker's HH:MM as it is, or something typed where
    there is no picker ("9", "9:30 pm"), read the way the voice reads it (no am or pm: evening)."""
    value = value.strip()
    machine = _MACHINE_TIME.match(value)
    if machine:
        return time(int(machine.group(1)), int(machine.group(2)))
    at = parse_time(value) if value and len(value) <= 40 else None
    if at is None:
        raise BadInput("time", "reminders")
    return at


def spoken_time(at: time) -> str:
    """The time as the conversation understands it unambiguously ("7:30 am", "9:00 pm")."""
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'am' if at.hour < 12 else 'pm'}"


def form_minutes(value: str) -> int:
    """Whole minutes from 1 to the longest phone-free time."""
    value = value.strip()
    if not value.isdigit() or len(value) > 4 or not 1 <= int(value) <= MAX_MINUTES:
        raise BadInput("minutes", "phone-free")
    return int(value)
