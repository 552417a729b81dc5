"""The page at home, in a real browser: Debian's chromium driven by Playwright, against a real
HTTP server on 127.0.0.1 and a real SQLite database seeded through the store.

Screenshots land in test-artifacts/screenshots/ (desktop and phone).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, func, select
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from intents.companion import Companion, build_companion
from intents.store.database import in_transaction, open_engine
from intents.store.repository import Store
from intents.store.schema import HOUSEHOLD_TABLES, households, reminders
from skill.app import SkillConfig, create_app
from skill.home_chart import POINTS_ID
from skill.home_page import HomePageConfig
from tests.browser import chromium_path
from tests.command import heart_to_heart

playwright_api = pytest.importorskip("playwright.sync_api")

KEY = "local:home"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
APPRECIATION = "You made soup when my day went sideways"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = chromium_path()
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Home:
    url: str
    engine: Engine
    companion: Companion
    db: Path

    def household_id(self) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(households.c.id).where(households.c.key == KEY)).scalar()

    def reminder_times(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r.at_time for r in conn.execute(select(reminders).order_by("at_time"))]

    def rows_of_household(self, household_id: int) -> int:
        with self.engine.connect() as conn:
            return sum(
                conn.execute(
                    select(func.count()).where(table.c.household_id == household_id)
                ).scalar_one()
                for table in HOUSEHOLD_TABLES
            )


def serve(tmp_path: Path, password: str | None = None) -> Iterator[Home]:
    db = tmp_path / "home.db"
    engine = open_engine(f"sqlite:///{db}")
    companion = build_companion(engine=engine)
    home = HomePageConfig(
        household="home",
        password_hash=generate_password_hash(password) if password else None,
    )
    app = create_app(SkillConfig(alexa_endpoint=False, home_page=home, companion=companion))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Home(f"http://127.0.0.1:{server.server_port}", engine, companion, db)
    finally:
        server.shutdown()
        server.server_close()
        engine.dispose()


@pytest.fixture
def home(tmp_path) -> Iterator[Home]:
    yield from serve(tmp_path)


@pytest.fixture
def page(browser, home) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def seed_check_ins(home: Home, ratings_by_days_ago: dict[int, list[int]]) -> date:
    """Check-ins through the store, on evenings some days ago; returns the household's today."""
    conversation = home.companion.conversation
    now = datetime.now(UTC)

    def work(conn) -> date:
        store = Store(conn)
        household = store.household(KEY, conversation.default_timezone, now)
        today = now.astimezone(conversation_zone(conversation)).date()
        for days_ago, ratings in ratings_by_days_ago.items():
            for rating in ratings:
                check_in = store.add_check_in(
                    household.id, None, today - timedelta(days=days_ago), rating, now
                )
                store.add_appreciation(household.id, check_in, APPRECIATION)
        return today

    return in_transaction(home.engine, work)


def conversation_zone(conversation):
    from intents.conversation import zone

    return zone(conversation.default_timezone, "UTC")


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def form_session(home: Home) -> tuple[requests.Session, str]:
    """A plain HTTP client holding the page's session cookie and its CSRF token."""
    client = requests.Session()
    body = client.get(home.url + "/", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', body)
    assert token, "the page's forms carry a CSRF token"
    return client, token.group(1)


# Tonight's question ----------------------------------------------------------------------------


def test_the_page_shows_the_same_question_as_the_chat(page, home):
    page.goto(home.url + "/")
    shown = page.locator("#tonight-question").inner_text().strip()
    assert shown.endswith("?")
    heard = heart_to_heart(home.db, "chat", "--once", "what's tonight's question", timeout=300)
    assert heard.returncode == 0, heard.stderr
    assert shown in heard.stdout
    page.reload()
    assert page.locator("#tonight-question").inner_text().strip() == shown


def test_looking_at_the_page_leaves_a_spoken_conversation_as_it_was(page, home):
    companion = home.companion
    companion.reply_to_text(KEY, "let's check in", session="voice:1")
    page.goto(home.url + "/")
    reply = companion.reply_to_text(KEY, "four", session="voice:1")
    with home.engine.connect() as conn:
        household_id = home.household_id()
        ratings = Store(conn).check_ins(household_id, date(2000, 1, 1))
    assert [c.rating for c in ratings] == [4], reply.speech.plain


# The trend and the evenings ---------------------------------------------------------------------


def test_the_chart_has_a_point_for_each_evening_with_check_ins(page, home):
    seed_check_ins(home, {1: [4], 3: [3, 5], 9: [2], 16: [5], 30: [3]})
    page.goto(home.url + "/")
    svg = page.locator("#trend svg")
    assert svg.count() == 1
    points = page.locator(f"#trend svg g#{POINTS_ID} use")
    assert points.count() == 5
    table = page.locator("#trend-table").inner_text()
    assert "Typical rating" in table
    total = sum(
        int(td) for td in page.locator("#trend-table tbody td:nth-child(2)").all_inner_texts()
    )
    assert total == 6
    # Ratings and counts only: what was said stays out of the page.
    assert APPRECIATION not in page.content()
    assert "streak" not in page.content().lower()
    shot(page, "desktop")


def test_the_calendar_marks_the_evenings_talked_and_counts_them_calmly(page, home):
    seed_check_ins(home, {2: [4], 5: [3]})
    page.goto(home.url + "/")
    talked = page.locator("table.calendar td.talked")
    # Two evenings with check-ins, and tonight: the page claimed tonight's question.
    assert talked.count() == 3
    assert page.locator("#evenings-count").inner_text().startswith("3 evenings")
    for word in ("missed", "streak", "don't break", "only"):
        assert word not in page.locator("#evenings").inner_text().lower()


def test_without_check_ins_there_is_no_chart_and_a_kind_word(page, home):
    page.goto(home.url + "/")
    assert page.locator("#trend svg").count() == 0
    assert "No check-ins" in page.locator("#trend").inner_text()


# Reminders ---------------------------------------------------------------------------------------


def test_a_reminder_is_added_and_cancelled_in_the_browser(page, home):
    page.goto(home.url + "/")
    page.fill("#reminder-time", "21:30")
    page.click("text=Add reminder")
    assert page.locator("#reminder-list").inner_text().count("21:30") == 1
    # The companion's own words, as the voice would say them.
    assert "nine thirty at night" in page.locator("#reminders .note").inner_text()
    assert home.reminder_times() == ["21:30"]
    page.fill("#reminder-time", "07:15")
    page.click("text=Add reminder")
    assert home.reminder_times() == ["07:15", "21:30"]  # the picker's time is kept as it is
    page.click("button[aria-label='Cancel the 21:30 reminder']")
    assert home.reminder_times() == ["07:15"]
    assert "21:30" not in page.locator("#reminder-list").inner_text()


def test_an_unreadable_time_is_a_400_with_a_message(home):
    client, token = form_session(home)
    answer = client.post(
        home.url + "/reminders", data={"time": "half past banana", "csrf_token": token}
    )
    assert answer.status_code == 400
    assert "could not be read" in answer.text
    assert "Traceback" not in answer.text
    assert home.reminder_times() == []


# Phone-free time ---------------------------------------------------------------------------------


def test_phone_free_time_counts_down_with_javascript(page, home):
    page.goto(home.url + "/")
    page.fill("#phone-free-minutes", "20")
    page.click("#phone-free button:has-text('Start')")
    countdown = page.locator("#phone-free-countdown")
    countdown.wait_for(state="visible")
    first = countdown.inner_text()
    assert re.fullmatch(r"(19:5\d|20:00) left", first), first
    page.wait_for_function(
        "t => document.getElementById('phone-free-countdown').textContent !== t", arg=first
    )
    assert re.fullmatch(r"19:[45]\d left", countdown.inner_text())
    assert page.locator("#phone-free-until").is_visible()


def test_without_javascript_phone_free_time_shows_its_end(browser, home):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(home.url + "/")
        page.fill("#phone-free-minutes", "45")
        page.click("#phone-free button:has-text('Start')")
        until = page.locator("#phone-free-until").inner_text()
        expected = datetime.now(UTC) + timedelta(minutes=45)
        zone = conversation_zone(home.companion.conversation)
        candidates = {
            (expected + timedelta(seconds=s)).astimezone(zone).strftime("%H:%M") for s in (-60, 0)
        }
        assert until in candidates
        assert not page.locator("#phone-free-countdown").is_visible()
        # Everything else works without scripts too: a reminder, then cancelling it.
        page.fill("#reminder-time", "22:00")
        page.click("text=Add reminder")
        assert home.reminder_times() == ["22:00"]
    finally:
        context.close()


@pytest.mark.parametrize("minutes", ["0", "241", "-5", "twenty", "", "1e3"])
def test_unusable_minutes_are_a_400_with_a_message(home, minutes):
    client, token = form_session(home)
    answer = client.post(home.url + "/phone-free", data={"minutes": minutes, "csrf_token": token})
    assert answer.status_code == 400
    assert "from 1 to 240 whole minutes" in answer.text


# Cross-site requests -----------------------------------------------------------------------------


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(home):
    client, _ = form_session(home)
    for path, data in (
        ("/reminders", {"time": "21:00"}),
        ("/phone-free", {"minutes": "20"}),
        ("/forget", {"confirm": "yes"}),
    ):
        answer = client.post(home.url + path, data=data)
        assert answer.status_code == 400, path
        assert "nothing was changed" in answer.text
    assert home.reminder_times() == []
    assert home.household_id() is not None  # not forgotten


def test_a_token_from_another_session_is_refused(home):
    _, token = form_session(home)
    stranger = requests.Session()
    answer = stranger.post(home.url + "/reminders", data={"time": "21:00", "csrf_token": token})
    assert answer.status_code == 400
    assert home.reminder_times() == []


def test_the_session_cookie_is_samesite_and_httponly(home):
    answer = requests.get(home.url + "/", timeout=10)
    cookie = answer.headers["Set-Cookie"]
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie


# Export and forget -------------------------------------------------------------------------------


def test_export_is_json_with_the_check_ins(page, home):
    seed_check_ins(home, {1: [4], 2: [2]})
    page.goto(home.url + "/")
    with page.expect_download() as download:
        page.click("text=Export everything (JSON)")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["household"]["key"] == KEY
    assert sorted(c["rating"] for c in data["check_ins"]) == [2, 4]
    assert {c["appreciation"] for c in data["check_ins"]} == {APPRECIATION}
    assert len(data["nightly_questions"]) == 1
    assert download.value.suggested_filename.endswith(".json")


def test_forget_asks_for_confirmation_then_leaves_nothing(page, home):
    seed_check_ins(home, {1: [4]})
    page.goto(home.url + "/")
    page.fill("#reminder-time", "21:00")
    page.click("text=Add reminder")
    household_id = home.household_id()
    assert home.rows_of_household(household_id) > 0

    page.click("text=Forget everything…")
    assert page.locator("h1").inner_text() == "Forget everything?"
    page.click("#forget-confirm")  # the box is not ticked: the browser does not send the form
    assert page.locator("h1").inner_text() == "Forget everything?"
    assert home.rows_of_household(household_id) > 0

    client, token = form_session(home)
    unconfirmed = client.post(home.url + "/forget", data={"csrf_token": token})
    assert unconfirmed.status_code == 400 and "Nothing was forgotten" in unconfirmed.text
    assert home.rows_of_household(household_id) > 0

    page.check("#confirm")
    page.click("#forget-confirm")
    assert page.locator("h1").inner_text() == "Everything is forgotten"
    assert home.household_id() is None
    assert home.rows_of_household(household_id) == 0
    assert "21:00" not in page.content()


# Where it listens and who may see it -------------------------------------------------------------


def test_the_web_command_runs_no_alexa_endpoint(home):
    answer = requests.post(home.url + "/alexa", data=b"{}", timeout=10)
    assert answer.status_code == 404


def test_with_a_password_the_page_needs_a_login(browser, tmp_path):
    for home in serve(tmp_path, password="a long evening"):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(home.url + "/")
            assert page.url.endswith("/login")
            assert page.locator("#tonight-question").count() == 0
            assert (
                requests.get(home.url + "/export", timeout=10, allow_redirects=False).status_code
                == 303
            )
            page.fill("#password", "not the one")
            page.click("button:has-text('Sign in')")
            assert "did not match" in page.locator(".problem").inner_text()
            page.fill("#password", "a long evening")
            page.click("button:has-text('Sign in')")
            assert page.locator("#tonight-question").is_visible()
            page.click("text=Sign out")
            assert page.url.endswith("/login")
        finally:
            context.close()


def test_the_phone_layout_has_no_sideways_scroll(browser, home):
    seed_check_ins(home, {0: [4], 1: [3], 4: [5], 8: [2], 12: [4], 20: [3]})
    companion = home.companion
    companion.reply_to_text(KEY, "remind us to put our phones away at nine every night")
    companion.reply_to_text(KEY, "start twenty minutes of phone-free time")
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(home.url + "/")
        page.locator("#phone-free-countdown").wait_for(state="visible")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths
        assert page.locator("#trend svg").bounding_box()["width"] <= PHONE["width"]
        shot(page, "phone")
        page.goto(home.url + "/forget")
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        shot(page, "phone-forget")
    finally:
        context.close()
