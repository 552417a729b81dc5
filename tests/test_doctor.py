"""`heart-to-heart doctor`: one line per check, a non-zero exit only for a FAIL, never a traceback.

Decided: a missing microphone or missing speakers is a FAIL (the companion can neither hear nor be
heard), so on a machine without sound devices the exit code is 1, and every other check still
runs and says how it went.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import create_engine

from intents.cli import main
from intents.doctor import next_time, when
from intents.store.migrations import _config
from local_voice.doctor import CHIME_RATE, chime
from tests.voice.audio import english_model, korean_model

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "heart-to-heart"
CHECKS = [
    "config",
    "time zone",
    "database",
    "reminders",
    "speech model",
    "speech output",
    "microphone",
    "speakers",
]


def lines_of(output: str) -> dict[str, tuple[str, str]]:
    """Doctor's lines as check name -> (status, the rest of the line)."""
    found = {}
    for line in output.splitlines():
        status, rest = line.split(" ", 1)
        name = next(name for name in CHECKS if rest.startswith(name))
        found[name] = (status, rest[len(name) :].strip())
    return found


def doctor(tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    """The real command in a subprocess, with config and data folders in tmp_path."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("HEART_TO_HEART_")}
    environ |= {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TZ": "Europe/London",
        **(env or {}),
    }
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=180,
        check=False,
    )


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """The command in this process, with config and data folders in tmp_path."""
    for key in list(os.environ):
        if key.startswith("HEART_TO_HEART_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("TZ", "Europe/London")

    def call(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call


def has_sound_devices() -> bool:
    from local_voice.audio_device import AudioDeviceProblem, device_names

    try:
        return bool(device_names("input") or device_names("output"))
    except AudioDeviceProblem:
        return False


@pytest.mark.skipif(has_sound_devices(), reason="this machine has sound devices")
def test_without_sound_devices_it_says_so_checks_everything_else_and_exits_1(tmp_path):
    result = doctor(tmp_path, "--db", f"sqlite:///{tmp_path / 'h.db'}", "doctor")
    assert "Traceback" not in result.stdout + result.stderr
    found = lines_of(result.stdout)
    assert list(found) == CHECKS  # one line each, in order
    assert found["microphone"] == (
        "FAIL",
        "no microphone found -> plug in a USB microphone (a Raspberry Pi has none built in); "
        "`arecord -l` lists what the system sees",
    )
    assert found["speakers"][0] == "FAIL" and "no speakers found" in found["speakers"][1]
    for check in ("config", "time zone", "database", "reminders", "speech output"):
        assert found[check][0] == "PASS", found[check]
    assert "Europe/London" in found["time zone"][1]
    assert "reachable, writable, schema created at" in found["database"][1]
    assert "s of speech rendered" in found["speech output"][1]
    if english_model() is None and "HEART_TO_HEART_VOSK_MODEL" not in os.environ:
        status, said = found["speech model"]
        assert status == "FAIL" and "no English speech model" in said
        assert "./dev model" in said or "set model =" in said
    assert result.returncode == 1  # the microphone and speakers are real failures


def test_a_broken_database_url_is_a_fail_line_and_no_traceback(tmp_path):
    result = doctor(tmp_path, "--db", "notadb://nowhere", "doctor", "--json")
    assert "Traceback" not in result.stdout + result.stderr
    found = {check["name"]: check for check in json.loads(result.stdout)}
    assert [*found] == CHECKS
    assert found["database"]["status"] == "FAIL"
    assert "not a database URL" in found["database"]["detail"]
    assert "--db" in found["database"]["fix"]
    assert found["reminders"]["status"] == "SKIP"
    assert found["time zone"]["status"] == "PASS"
    assert result.returncode == 1


def test_a_database_that_cannot_be_created_is_a_fail_line(cli):
    code, out, err = cli("--db", "sqlite:////proc/no/such/place/h.db", "doctor", "--seconds", "0")
    assert code == 1 and "Traceback" not in out + err
    status, said = lines_of(out)["database"]
    assert status == "FAIL" and "cannot be opened" in said


def test_an_older_schema_is_upgraded_as_every_start_would(tmp_path, cli):
    from alembic import command

    db = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(db)
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0001")
    engine.dispose()
    _, out, _ = cli("--db", db, "doctor", "--seconds", "0")
    status, said = lines_of(out)["database"]
    assert status == "PASS" and "schema upgraded from 0001 to" in said


def test_the_next_reminders_due_are_listed(tmp_path, cli):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    for time_said in ("nine", "half past six"):
        code, out, err = cli(
            "--db",
            db,
            "chat",
            "--household",
            "flat-3",
            "--once",
            f"remind us to put our phones away at {time_said} every night",
        )
        assert code == 0, err
    _, out, _ = cli("--db", db, "doctor", "--household", "flat-3", "--seconds", "0")
    status, said = lines_of(out)["reminders"]
    assert status == "PASS"
    assert said.startswith("local:flat-3: next: ")
    assert "21:00" in said and "18:30" in said
    _, out, _ = cli("--db", db, "doctor", "--seconds", "0")
    assert lines_of(out)["reminders"] == ("PASS", "none yet (local:home has not talked yet)")


def test_a_bad_config_file_is_a_fail_line_and_the_rest_runs_on_defaults(tmp_path, cli):
    config = tmp_path / "config" / "heart-to-heart" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('rate = "fast"\n')
    code, out, err = cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "doctor", "--seconds", "0")
    assert code == 1 and "Traceback" not in out + err
    found = lines_of(out)
    assert found["config"][0] == "FAIL" and "rate must be a whole number" in found["config"][1]
    assert found["database"][0] == "PASS" and found["speech output"][0] == "PASS"


def test_a_time_zone_that_does_not_exist_is_a_fail_line(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("TZ", "Mars/Olympus_Mons")
    _, out, _ = cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "doctor", "--seconds", "0")
    status, said = lines_of(out)["time zone"]
    assert status == "FAIL" and "'Mars/Olympus_Mons' is not a time zone" in said


def test_a_model_that_loads_but_cannot_hear_the_grammar_is_a_fail(tmp_path, cli):
    model = korean_model()
    _, out, _ = cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "doctor", "--model", str(model))
    status, said = lines_of(out)["speech model"]
    assert status == "FAIL"
    assert f"{model} loads" in said
    counted = re.search(r"(\d+) of (\d+) grammar words are not in its vocabulary", said)
    assert counted is not None, said
    missing, words = map(int, counted.groups())
    assert missing == words > 100  # a Korean model knows none of the English words


def test_a_model_folder_that_does_not_exist_is_a_fail_with_what_to_do(tmp_path, cli):
    missing = tmp_path / "no-model-here"
    _, out, _ = cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "doctor", "--model", str(missing))
    status, said = lines_of(out)["speech model"]
    assert status == "FAIL" and f"{missing} does not exist" in said and "--model" in said


@pytest.mark.skipif(english_model() is None, reason="no English Vosk model on this machine")
def test_the_english_model_hears_every_grammar_word(tmp_path, cli):
    _, out, _ = cli(
        "--db", f"sqlite:///{tmp_path / 'h.db'}", "doctor", "--model", str(english_model())
    )
    assert lines_of(out)["speech model"][0] == "PASS"


# Pure parts --------------------------------------------------------------------------------


LONDON = ZoneInfo("Europe/London")


def test_a_daily_reminder_is_next_due_today_until_its_time_then_tomorrow():
    evening = datetime(2026, 11, 24, 18, 0, tzinfo=LONDON)
    assert next_time("21:00", evening) == datetime(2026, 11, 24, 21, 0, tzinfo=LONDON)
    assert next_time("18:00", evening) == evening
    assert next_time("07:30", evening) == datetime(2026, 11, 25, 7, 30, tzinfo=LONDON)
    assert when(next_time("21:00", evening), evening.date()) == "21:00 today"
    assert when(next_time("07:30", evening), evening.date()) == "07:30 tomorrow"


def test_a_one_off_reminder_is_due_on_its_day_and_never_after():
    evening = datetime(2026, 11, 24, 18, 0, tzinfo=LONDON)
    saturday = date(2026, 11, 28)
    assert when(next_time("19:00", evening, saturday), evening.date()) == "19:00 on Sat 28 Nov"
    assert next_time("17:00", evening, evening.date()) is None


def test_the_chime_is_short_soft_and_starts_and_ends_in_silence():
    samples = np.frombuffer(chime(CHIME_RATE), "<i2")
    assert len(samples) == int(0.2 * CHIME_RATE) * 2
    assert 0.25 * 32767 < np.abs(samples).max() <= 0.3 * 32767
    assert abs(int(samples[0])) < 100 and abs(int(samples[-1])) < 100


def test_check_results_read_as_one_line_each():
    from intents.doctor import CheckResult

    failed = CheckResult("microphone", "FAIL", "no microphone found", "plug one in")
    assert failed.line() == "FAIL microphone    no microphone found -> plug one in"
    assert CheckResult("database", "PASS", "fine").line() == "PASS database      fine"


class SteadyMicrophone:
    """Stands in for the sound card: 20 ms blocks of a steady tone, then nothing."""

    def __init__(self, blocks: int) -> None:
        tone = (0.1 * 32767 * np.sin(np.arange(320) / 5)).astype("<i2").tobytes()
        self.blocks = [tone] * blocks
        self.closed = False

    def read(self, timeout: float = 1.0) -> bytes | None:
        return self.blocks.pop() if self.blocks else None

    def close(self) -> None:
        self.closed = True


def test_recording_takes_the_seconds_asked_for_and_closes_the_microphone():
    from local_voice.doctor import record

    microphone = SteadyMicrophone(blocks=200)
    pcm = record(lambda: microphone, seconds=3, rate=16_000)
    assert len(pcm) == 3 * 16_000 * 2 and microphone.closed


def test_a_microphone_that_stops_sending_gives_what_it_sent_in_time():
    from local_voice.doctor import record

    microphone = SteadyMicrophone(blocks=10)
    pcm = record(lambda: microphone, seconds=0.5, rate=16_000)
    assert len(pcm) == 10 * 640 and microphone.closed
