"""Echo Show screens: APL documents sent only to devices that have one, through real signed
requests to the skill served on 127.0.0.1. Every document we send is checked against the
structural rules in tests/alexa/apl_rules.py and read back through ask-sdk-model's APL models."""

from __future__ import annotations

import html
import json
import os
import random
import re
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

from intents.companion import build_companion
from intents.store.database import in_transaction, open_engine
from intents.store.repository import Store
from skill.screens import APL_VERSION, DOCUMENTS, document
from tests.alexa.apl_rules import path_data_ok, problems
from tests.alexa.avg_svg import to_svg
from tests.alexa.envelopes import (
    ECHO_SHOW_5,
    ECHO_SHOW_8,
    ECHO_SHOW_15,
    ECHO_SPOT,
    USER_ID,
    Viewport,
    intent,
    launch,
)
from tests.alexa.harness import Alexa, app_for, make_config
from tests.alexa.pki import make_authority
from tests.alexa.server import serving
from tests.browser import chromium_path

RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"
SCREENS = [ECHO_SHOW_5, ECHO_SHOW_8, ECHO_SHOW_15, ECHO_SPOT]


@pytest.fixture
def alexa(tmp_path, companion, clock) -> Iterator[Alexa]:
    authority = make_authority(clock.now)
    chains: dict[str, bytes] = {}
    app = app_for(make_config(tmp_path, authority, companion, clock, chains))
    with serving(app) as url:
        yield Alexa(url, authority, clock, chains=chains)


def apl_directives(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in data["response"].get("directives", []) if d["type"] == RENDER_DOCUMENT]


def shown(data: dict[str, Any]) -> dict[str, Any]:
    """The one RenderDocument directive of a response, after checking it is sound."""
    (directive,) = apl_directives(data)
    assert problems(directive["document"], directive["datasources"]) == []
    assert directive["document"]["version"] == APL_VERSION
    round_trip(data)
    return directive


def round_trip(data: dict[str, Any]) -> None:
    """The response as Alexa reads it: through ask-sdk-model's own response envelope models."""
    envelope = DefaultSerializer().deserialize(json.dumps(data), ResponseEnvelope)
    directives = [
        d for d in envelope.response.directives or [] if isinstance(d, RenderDocumentDirective)
    ]
    assert len(directives) == 1
    directive = directives[0]
    assert directive.object_type == RENDER_DOCUMENT and directive.token
    assert directive.document["type"] == "APL" and directive.document["mainTemplate"]["items"]
    assert isinstance(directive.datasources, dict) and directive.datasources


def seed_check_ins(companion, clock, ratings_by_day: dict[date, list[int]]) -> None:
    def seed(conn) -> None:
        store = Store(conn)
        household = store.household("alexa:" + USER_ID, "Europe/London", clock.now)
        for day, ratings in ratings_by_day.items():
            for rating in ratings:
                store.add_check_in(household.id, None, day, rating, clock.now)

    in_transaction(companion.engine, seed)


@pytest.mark.parametrize("screen", SCREENS, ids=lambda v: f"{v.shape}-{v.pixel_width}")
def test_tonight_question_on_a_screen_device_is_shown_with_its_text(alexa, screen):
    reply = alexa.send(intent("TonightQuestionIntent"), api_token=None, screen=screen)
    directive = shown(reply.data)
    question = directive["datasources"]["question"]
    assert question["text"] == reply.data["response"]["card"]["content"]
    assert question["text"] in reply.ssml
    assert question["title"] == reply.data["response"]["card"]["title"]
    assert directive["token"] == "heart-to-heart-question"


def test_another_question_is_shown_too(alexa):
    alexa.send(intent("TonightQuestionIntent"), api_token=None, screen=ECHO_SHOW_8)
    reply = alexa.send(intent("AnotherQuestionIntent"), api_token=None, screen=ECHO_SHOW_8)
    question = shown(reply.data)["datasources"]["question"]
    assert question["text"] == reply.data["response"]["card"]["content"]


def test_a_screen_reporting_a_document_error_gets_silence_and_a_log_line(alexa, caplog):
    import logging

    caplog.set_level(logging.WARNING, logger="skill.alexa")
    request = {
        "type": "Alexa.Presentation.APL.RuntimeError",
        "token": "heart-to-heart-trend",
        "errors": [
            {"type": "LIST_ERROR", "reason": "INVALID_PRESENTATION_TOKEN", "message": "stale"}
        ],
    }
    reply = alexa.send(request, api_token=None, screen=ECHO_SHOW_8)
    assert reply.status == 200
    assert "outputSpeech" not in reply.data.get("response", {})
    assert any("Alexa.Presentation.APL.RuntimeError" in r.getMessage() for r in caplog.records)


def test_a_device_without_a_screen_gets_no_apl_directive(alexa):
    for request in (intent("TonightQuestionIntent"), intent("PhoneFreeStartIntent", minutes="20")):
        reply = alexa.send(request, api_token=None)
        assert reply.status == 200
        assert "directives" not in reply.data["response"]


def test_an_old_apl_runtime_gets_no_document(alexa):
    old = Viewport("RECTANGLE", 1024, 600, 160, max_version="1.0")
    reply = alexa.send(intent("TonightQuestionIntent"), api_token=None, screen=old)
    assert "directives" not in reply.data["response"]


def test_replies_with_nothing_to_show_add_nothing_on_a_screen(alexa):
    reply = alexa.send(launch(), api_token=None, screen=ECHO_SHOW_8)
    assert "directives" not in reply.data["response"]


def test_the_trend_chart_has_one_point_per_week_of_check_ins(alexa, companion, clock):
    today = clock.now.date()  # a Tuesday
    ratings = {
        today: [4, 5],
        today - timedelta(days=7): [3],
        today - timedelta(days=15): [2, 4],  # a Sunday: the week before
        today - timedelta(days=29): [5],
        today - timedelta(days=120): [1],  # long ago: not on the chart
    }
    seed_check_ins(companion, clock, ratings)
    reply = alexa.send(intent("HowAreWeDoingIntent"), api_token=None, screen=ECHO_SHOW_8)
    directive = shown(reply.data)
    trend = directive["datasources"]["trend"]
    weeks = trend["weeks"]
    assert len(weeks) == 6
    assert [w["start"] for w in weeks][-1] == (today - timedelta(days=today.weekday())).isoformat()
    assert [w["average"] for w in weeks] == [None, 5.0, None, 3.0, 3.0, 4.5]
    assert [w["checkIns"] for w in weeks] == [0, 1, 0, 2, 1, 2]
    assert len(trend["points"]) == 4
    assert trend["line"].count("M") == 1 and trend["line"].count("L") == 3
    assert trend["dots"].count("M") == 4
    assert path_data_ok(trend["line"]) and path_data_ok(trend["dots"])
    xs = [p["x"] for p in trend["points"]]
    assert xs == sorted(xs) and len(set(xs)) == 4
    ys = [p["y"] for p in trend["points"]]
    assert ys[0] < ys[1] and ys[1] == ys[2] and ys[3] < ys[2]  # 5 is higher than 3; 4.5 too
    graphic = directive["document"]["graphics"]["checkinTrend"]
    assert graphic["type"] == "AVG" and {i["type"] for i in graphic["items"]} <= {"path", "text"}
    chart = next(c for c in _components(directive["document"]) if c.get("type") == "VectorGraphic")
    assert chart["source"] == "checkinTrend" and chart["line"] == "${payload.trend.line}"


def test_without_check_ins_there_is_no_chart(alexa):
    reply = alexa.send(intent("HowAreWeDoingIntent"), api_token=None, screen=ECHO_SHOW_8)
    assert reply.status == 200 and "directives" not in reply.data["response"]


def test_phone_free_time_counts_down_to_its_end_on_screen(alexa, clock):
    reply = alexa.send(
        intent("PhoneFreeStartIntent", minutes="30"), api_token=None, screen=ECHO_SHOW_8
    )
    directive = shown(reply.data)
    countdown = directive["datasources"]["countdown"]
    ends = clock.now + timedelta(minutes=30)
    assert countdown["endsAtMs"] == int(ends.timestamp() * 1000)
    assert datetime.fromisoformat(countdown["endsAt"]) == ends
    assert countdown["startedAtMs"] == int(clock.now.timestamp() * 1000)
    assert countdown["endsText"].endswith("6:30 pm")  # 18:30 in London, said for en-US
    clock_text = next(
        c["text"] for c in _components(directive["document"]) if c.get("id") == "countdownClock"
    )
    assert "payload.countdown.endsAtMs - utcTime" in clock_text

    clock.advance(minutes=12)
    left = alexa.send(intent("PhoneFreeRemainingIntent"), api_token=None, screen=ECHO_SHOW_8)
    assert shown(left.data)["datasources"]["countdown"]["endsAtMs"] == countdown["endsAtMs"]
    extended = alexa.send(
        intent("PhoneFreeExtendIntent", minutes="10"), api_token=None, screen=ECHO_SHOW_8
    )
    later = shown(extended.data)["datasources"]["countdown"]
    assert later["endsAtMs"] == countdown["endsAtMs"] + 10 * 60 * 1000


def test_a_british_device_reads_the_end_on_a_24_hour_clock(alexa):
    request = intent("PhoneFreeStartIntent", minutes="30")
    request["locale"] = "en-GB"
    reply = alexa.send(request, api_token=None, screen=ECHO_SHOW_8)
    assert shown(reply.data)["datasources"]["countdown"]["endsText"].endswith("18:30")


def test_a_screen_device_gets_the_same_response_apart_from_the_document(tmp_path, clock):
    """Two skills with the same seed and fresh databases hear the same evening; only the one
    talking to an Echo Show gets RenderDocument directives, and nothing else differs."""
    conversation = [
        launch(),
        intent("TonightQuestionIntent"),
        intent("AnotherQuestionIntent"),
        intent("CheckInIntent", rating="4"),
        intent("HowAreWeDoingIntent"),
        intent("PhoneFreeStartIntent", minutes="20"),
        intent("PhoneFreeRemainingIntent"),
    ]
    heard: dict[str, list[dict[str, Any]]] = {}
    for name, screen in (("speaker", None), ("show", ECHO_SHOW_8)):
        engine = open_engine(f"sqlite:///{tmp_path / (name + '.db')}")
        companion = build_companion(
            engine=engine, clock=clock, rng=random.Random(7), timezone="Europe/London"
        )
        authority = make_authority(clock.now)
        chains: dict[str, bytes] = {}
        (tmp_path / name).mkdir()
        app = app_for(make_config(tmp_path / name, authority, companion, clock, chains))
        with serving(app) as url:
            alexa = Alexa(url, authority, clock, chains=chains)
            heard[name] = [
                alexa.send(request, api_token=None, screen=screen).data for request in conversation
            ]
        engine.dispose()
    shown_kinds = []
    for speaker, show in zip(heard["speaker"], heard["show"], strict=True):
        assert "directives" not in speaker["response"]
        directives = show["response"].pop("directives", [])
        shown_kinds += [d["token"] for d in directives]
        assert show == speaker
    assert shown_kinds == [
        "heart-to-heart-question",
        "heart-to-heart-question",
        "heart-to-heart-trend",
        "heart-to-heart-countdown",
        "heart-to-heart-countdown",
    ]


def test_the_manifest_declares_apl_for_every_screen_the_documents_are_made_for():
    manifest = json.loads(
        (Path(__file__).resolve().parents[1] / "skill-package" / "skill.json").read_text()
    )
    interfaces = manifest["manifest"]["apis"]["custom"]["interfaces"]
    (apl,) = [i for i in interfaces if i["type"] == "ALEXA_PRESENTATION_APL"]
    for screen in SCREENS:
        assert any(
            v["shape"] == screen.shape
            and v["minWidth"] <= screen.pixel_width <= v["maxWidth"]
            and v["minHeight"] <= screen.pixel_height <= v["maxHeight"]
            for v in apl["supportedViewports"]
        ), screen


def test_every_document_on_disk_follows_the_rules():
    for name in DOCUMENTS:
        assert problems(document(name)) == [], name


def test_the_theme_sizes_text_for_round_small_and_large_screens():
    conditions = [block.get("when", "") for block in document("question")["resources"]]
    assert any("viewport.shape == 'round'" in c for c in conditions)
    assert any("viewport.height <= 480" in c for c in conditions)
    assert any("viewport.width >= 1280" in c for c in conditions)
    sizes = [
        block["dimensions"]["questionSize"]
        for block in document("question")["resources"]
        if "questionSize" in block.get("dimensions", {})
    ]
    assert all(int(size.removesuffix("dp")) >= 28 for size in sizes)  # readable from the sofa


def test_the_chart_fills_its_box_on_every_screen_so_dots_line_up_with_week_labels():
    graphic = document("trend")["graphics"]["checkinTrend"]
    ratio = graphic["width"] / graphic["height"]
    for block in document("trend")["resources"]:
        sizes = block.get("dimensions", {})
        if "chartWidth" in sizes:
            assert _dp(sizes["chartWidth"]) / _dp(sizes["chartHeight"]) == ratio, block


def test_the_rules_catch_broken_documents():
    broken = document("trend")
    broken["mainTemplate"]["items"][0]["item"]["items"].append({"type": "Marquee"})
    broken["graphics"]["checkinTrend"]["width"] = 0
    broken["graphics"]["checkinTrend"]["items"].append({"type": "circle"})
    broken["mainTemplate"]["items"][0]["backgroundColor"] = "@nowhere"
    found = problems(broken, {"trend": {}})
    assert any("Marquee" in p for p in found)
    assert any("width" in p for p in found)
    assert any("circle" in p for p in found)
    assert any("@nowhere" in p for p in found)
    assert any("payload.trend.title" in p for p in found)
    assert not path_data_ok("M0,0 L10,10 <script>")


def _components(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "type" in node:
            yield node
        for value in node.values():
            yield from _components(value)
    elif isinstance(node, list):
        for value in node:
            yield from _components(value)


ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "apl"


def test_the_trend_chart_drawn_in_a_browser_lines_up_with_its_week_labels(
    alexa, companion, clock, db_url
):
    """The chart's AVG, drawn as SVG in headless Chromium at the size an Echo Show 8 gives it:
    a visible line, and every dot centred over its week's label. Screenshot and the documents
    sent are kept in test-artifacts/apl/."""
    if not db_url.startswith("sqlite"):
        pytest.skip("drawing does not depend on the database")
    playwright_api = pytest.importorskip("playwright.sync_api")
    today = clock.now.date()
    seed_check_ins(
        companion,
        clock,
        {today - timedelta(days=7 * weeks): [r] for weeks, r in enumerate([4, 3, 5, 2, 4, 3])},
    )
    sent = {
        "trend": shown(
            alexa.send(intent("HowAreWeDoingIntent"), api_token=None, screen=ECHO_SHOW_8).data
        ),
        "question": shown(
            alexa.send(intent("TonightQuestionIntent"), api_token=None, screen=ECHO_SHOW_8).data
        ),
        "countdown": shown(
            alexa.send(
                intent("PhoneFreeStartIntent", minutes="25"), api_token=None, screen=ECHO_SHOW_8
            ).data
        ),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, directive in sent.items():
        (ARTIFACTS / f"{name}.json").write_text(json.dumps(directive, indent=2), encoding="utf-8")
    directive = sent["trend"]
    trend = directive["datasources"]["trend"]
    svg = to_svg(
        directive["document"]["graphics"]["checkinTrend"],
        {"line": trend["line"], "dots": trend["dots"]},
    )
    labels = "".join(
        f'<div class="week"><b>{html.escape(w["value"])}</b><span>{html.escape(w["label"])}'
        "</span></div>"
        for w in trend["weeks"]
    )
    page = f"""<!doctype html><html><body style="margin:0;background:#2a1c29;color:#fff8f0;
      font-family:sans-serif;width:960px;height:600px;display:flex;flex-direction:column;
      align-items:center;justify-content:center">
      <div style="color:#f4b9a4;font-size:28px;font-weight:bold">{html.escape(trend["title"])}</div>
      <div style="color:#e3cfc4;font-size:22px;margin-top:8px">{html.escape(trend["caption"])}</div>
      <div id="chart" style="width:720px;height:240px;margin-top:24px">{svg}</div>
      <div id="weeks" style="display:flex;width:720px;margin-top:8px">{labels}</div>
      <style>svg{{width:720px;height:240px}} .week{{flex:1 1 0;display:flex;
      flex-direction:column;align-items:center}} .week b{{font-size:28px}}
      .week span{{font-size:20px;color:#e3cfc4}}</style></body></html>"""
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        try:
            view = browser.new_page(viewport={"width": 960, "height": 600})
            view.set_content(page)
            line_length = view.evaluate(
                "() => document.querySelector('#chart path:nth-of-type(2)').getTotalLength()"
            )
            dots = view.evaluate(
                """() => { const p = document.querySelectorAll('#chart path')[2];
                const box = p.getBoundingClientRect(); return [box.left, box.right]; }"""
            )
            columns = view.evaluate(
                """() => [...document.querySelectorAll('#weeks .week')].map(
                    w => { const b = w.getBoundingClientRect(); return (b.left + b.right) / 2; })"""
            )
            view.screenshot(path=str(ARTIFACTS / "trend-echo-show-8.png"))
        finally:
            browser.close()
    assert line_length > 500  # five segments across most of the width
    radius_px = 9 * 720 / 600
    assert dots[0] == pytest.approx(columns[0] - radius_px, abs=1)
    assert dots[1] == pytest.approx(columns[-1] + radius_px, abs=1)


APL_CORE_ENV = "HEART_TO_HEART_APL_PARSE_DIRECTIVE"
"""Path to `parseDirective`, a test program of Amazon's APL core library (alexa/apl-core-library,
built with cmake -DBUILD_TEST_PROGRAMS=ON): it inflates a RenderDocument directive on a given
viewport and prints the laid-out component tree. Not on package registries, so optional."""


@pytest.mark.parametrize("screen", SCREENS, ids=lambda v: f"{v.shape}-{v.pixel_width}")
def test_every_document_inflates_in_amazons_apl_core(alexa, companion, clock, screen, tmp_path):
    """Amazon's own engine inflates each document on each screen without a warning, picks the
    sizes of that screen, binds the data source, and accepts the chart's AVG."""
    binary = os.environ.get(APL_CORE_ENV)
    if not binary:
        pytest.skip(f"Amazon's APL core is not built here (set {APL_CORE_ENV})")
    today = clock.now.date()
    seed_check_ins(companion, clock, {today: [4], today - timedelta(days=14): [2]})
    requests = [
        intent("TonightQuestionIntent"),
        intent("HowAreWeDoingIntent"),
        intent("PhoneFreeStartIntent", minutes="25"),
    ]
    theme = {name: _dp(size) for name, size in _theme_sizes(screen).items()}
    for request in requests:
        directive = shown(alexa.send(request, api_token=None, screen=screen).data)
        path = tmp_path / f"{directive['token']}.json"
        path.write_text(json.dumps(directive), encoding="utf-8")
        args = [binary, "-s", f"{screen.pixel_width}x{screen.pixel_height}", "-d", str(screen.dpi)]
        args += ["-r"] if screen.shape == "ROUND" else []
        done = subprocess.run(
            [*args, str(path)], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr
        tree, logs = _core_output(done.stdout)
        assert logs == [], logs
        found = {c.get("__id"): c for c in _core_components(tree) if c.get("__id")}
        data = directive["datasources"]
        if "question" in data:
            question = found["questionText"]
            assert question["text"]["text"] == data["question"]["text"]
            assert question["fontSize"] == theme["questionSize"]
        if "trend" in data:
            chart = found["trendChart"]
            assert chart["graphic"]["isValid"] is True
            assert chart["_bounds"][2] == pytest.approx(theme["chartWidth"], abs=1)
            assert chart["_bounds"][3] == pytest.approx(theme["chartHeight"], abs=1)
            assert len(found["trendWeeks"]["children"]) == len(data["trend"]["weeks"])
        if "countdown" in data:
            assert re.fullmatch(r"\d+:\d\d", found["countdownClock"]["text"]["text"])
            assert found["countdownClock"]["fontSize"] == theme["clockSize"]


def _theme_sizes(screen: Viewport) -> dict[str, str]:
    """The theme's dimensions for a screen, applying its 'when' blocks as the device would."""
    width = screen.pixel_width * 160 / screen.dpi
    height = screen.pixel_height * 160 / screen.dpi
    round_ = screen.shape == "ROUND"
    holds = {
        "": True,
        "${viewport.height <= 480 && viewport.shape != 'round'}": height <= 480 and not round_,
        "${viewport.width >= 1280}": width >= 1280,
        "${viewport.shape == 'round'}": round_,
    }
    sizes: dict[str, str] = {}
    for block in document("question")["resources"]:
        if holds[block.get("when", "")]:
            sizes.update(block.get("dimensions", {}))
    return sizes


def _dp(size: str) -> float:
    return float(size.removesuffix("dp"))


def _core_output(stdout: str) -> tuple[dict[str, Any], list[str]]:
    """The component tree parseDirective prints, and its log lines other than start-up ones."""
    start, end = stdout.index("\n{") + 1, stdout.rindex("}") + 1
    quiet = ("Logs not initialized", "Initializing experience")
    logs = [
        line
        for line in (stdout[:start] + stdout[end:]).splitlines()
        if line.strip() and not any(q in line for q in quiet)
    ]
    return json.loads(stdout[start:end]), logs


def _core_components(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from _core_components(child)
