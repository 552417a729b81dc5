"""One config file under the environment and the flags: precedence, sources, and clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from intents.cli import main
from intents.settings import (
    EXAMPLE,
    SPECS,
    SettingsProblem,
    config_path,
    parse,
    resolve,
)

ROOT = Path(__file__).resolve().parent.parent


def run(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real command, with its config and data folders inside `home`."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HEART_TO_HEART_") and key != "TZ"
    }
    environ |= {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "intents.cli", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def write_config(home: Path, text: str) -> Path:
    path = home / "config" / "heart-to-heart" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """The command in this process (the classifier loads once), with its config and data
    folders inside tmp_path: returns the exit code, stdout and stderr."""
    for key in list(os.environ):
        if key.startswith("HEART_TO_HEART_") or key == "TZ":
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def call(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        with monkeypatch.context() as scoped:
            for key, value in (env or {}).items():
                scoped.setenv(key, value)
            code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call


def shown(output: str) -> dict[str, tuple[str, str]]:
    """`config show` lines as name -> (value, source)."""
    lines = [line for line in output.splitlines() if line and not line.startswith("#")]
    found = {}
    for line in lines:
        name, rest = line.split("=", 1)
        value, source = rest.rsplit("  # ", 1)
        found[name.strip()] = (value.strip(), source.strip())
    return found


# The pure merge ------------------------------------------------------------------------------


def test_a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default():
    path = Path("/home/sam/.config/heart-to-heart/config.toml")
    file_values = parse('rate = 150\nquestion_rate = 120\nvoice = "en-gb"\n', path)
    settings = resolve(
        file_values,
        {"HEART_TO_HEART_VOSK_MODEL": "/models/en", "HEART_TO_HEART_DB": "sqlite:///env.db"},
        {"rate": 180, "database": None},
        path,
    )
    assert (settings.rate, settings.sources["rate"]) == (180, "--rate")
    assert (settings.question_rate, settings.sources["question_rate"]) == (120, "config file")
    assert (settings.voice, settings.sources["voice"]) == ("en-gb", "config file")
    assert (settings.database, settings.sources["database"]) == (
        "sqlite:///env.db",
        "$HEART_TO_HEART_DB",
    )
    assert (settings.model, settings.sources["model"]) == (
        "/models/en",
        "$HEART_TO_HEART_VOSK_MODEL",
    )
    assert (settings.household, settings.sources["household"]) == ("home", "default")
    assert settings.path == path


def test_an_empty_environment_variable_does_not_hide_the_file():
    path = Path("config.toml")
    settings = resolve(parse('country = "GB"', path), {"HEART_TO_HEART_COUNTRY": " "}, {}, path)
    assert (settings.country, settings.sources["country"]) == ("GB", "config file")


def test_names_and_wake_phrase_from_the_file():
    path = Path("config.toml")
    settings = resolve(parse('names = ["Sam", "Alex"]\nwake_phrase = false', path), {}, {}, path)
    assert settings.names == ("Sam", "Alex")
    assert settings.wake_phrase is False
    # --no-wake is a flag that can only turn the wake phrase off
    assert resolve(None, {}, {"wake_phrase": False}).sources["wake_phrase"] == "--no-wake"


def test_without_a_file_nothing_is_said_to_come_from_one():
    settings = resolve(None, {}, {})
    assert set(settings.sources.values()) == {"default"}
    assert settings.path is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("colour = 'blue'", ["unknown setting 'colour'"]),
        ("rate = 'fast'", ["rate", "whole number"]),
        ("rate = true", ["rate", "whole number"]),
        ("rate = 3", ["rate", "at least"]),
        ("names = 'Sam and Alex'", ["names", "list"]),
        ("names = ['Sam', 4]", ["names", "list"]),
        ("audience = 'family'", ["audience", "couple, friends, solo"]),
        ("wake_phrase = 'yes'", ["wake_phrase", "true or false"]),
        ("household = ''", ["household", "empty"]),
        ("rate = ", ["not valid TOML"]),
    ],
)
def test_a_bad_file_is_an_error_naming_the_key_and_the_file(text, words):
    path = Path("/etc/h2h/config.toml")
    with pytest.raises(SettingsProblem) as problem:
        parse(text, path)
    assert str(path) in str(problem.value)
    for word in words:
        assert word in str(problem.value)


def test_a_bad_flag_is_an_error_naming_the_flag():
    with pytest.raises(SettingsProblem, match="--rate must be at least 40, not 0"):
        resolve(None, {}, {"rate": 0})
    with pytest.raises(SettingsProblem, match="--audience must be one of"):
        resolve(None, {}, {"audience": "everyone"})


def test_the_config_file_is_found_by_flag_then_variable_then_the_user_config_folder(tmp_path):
    assert config_path("/a/b.toml", {"HEART_TO_HEART_CONFIG": "/c/d.toml"}) == Path("/a/b.toml")
    assert config_path(None, {"HEART_TO_HEART_CONFIG": "/c/d.toml"}) == Path("/c/d.toml")
    assert config_path(None, {}).name == "config.toml"
    assert config_path(None, {}).parent.name == "heart-to-heart"


def test_the_example_file_is_valid_and_names_every_setting():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert parse(text, EXAMPLE) == {}  # everything is commented out
    uncommented = "\n".join(line.lstrip("# ") for line in text.splitlines() if " = " in line)
    values = parse(uncommented, EXAMPLE)
    assert set(values) == set(SPECS)
    resolve(values, {}, {}, EXAMPLE)  # and every example value is allowed


# The command --------------------------------------------------------------------------------


def test_config_show_says_where_each_setting_came_from(tmp_path, cli):
    write_config(
        tmp_path, 'database = "sqlite:///from-file.db"\nrate = 150\ntimezone = "Asia/Tokyo"\n'
    )
    code, out, err = cli(
        "--db",
        "sqlite:///from-flag.db",
        "config",
        "show",
        env={"HEART_TO_HEART_DB": "sqlite:///from-env.db", "TZ": "Europe/Paris"},
    )
    assert code == 0, err
    settings = shown(out)
    assert settings["database"] == ('"sqlite:///from-flag.db"', "--db")
    assert settings["timezone"] == ('"Europe/Paris"', "$TZ")
    assert settings["rate"] == ("150", "config file")
    assert settings["question_rate"] == ("135", "default")
    assert str(tmp_path / "config" / "heart-to-heart" / "config.toml") in out

    _, out, _ = cli("config", "show", env={"HEART_TO_HEART_DB": "sqlite:///from-env.db"})
    assert shown(out)["database"] == ('"sqlite:///from-env.db"', "$HEART_TO_HEART_DB")
    _, out, _ = cli("config", "show")
    assert shown(out)["database"] == ('"sqlite:///from-file.db"', "config file")
    assert shown(out)["timezone"] == ('"Asia/Tokyo"', "config file")


def test_config_show_hides_a_database_password(tmp_path, cli):
    write_config(tmp_path, 'database = "postgresql+psycopg://heart:secret@db.internal/heart"\n')
    code, out, err = cli("config", "show")
    assert code == 0, err
    assert "secret" not in out and "heart:***@db.internal" in out


def test_a_bad_config_file_stops_chat_with_a_clear_message_and_exit_2(tmp_path, cli):
    path = write_config(tmp_path, 'names = ["Sam", "Alex"]\nrate = "fast"\n')
    code, _, err = cli("chat", "--once", "hello")
    assert code == 2
    assert f"{path}: rate must be a whole number, not 'fast'" in err


def test_the_real_command_stops_at_a_bad_config_file_with_exit_2_and_no_traceback(tmp_path):
    path = write_config(tmp_path, 'names = ["Sam", "Alex"]\ncolour = "blue"\n')
    result = run(tmp_path, "config", "show")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "unknown setting 'colour'" in result.stderr and str(path) in result.stderr


def test_config_path_and_init_honour_heart_to_heart_config(tmp_path):
    target = tmp_path / "elsewhere" / "h2h.toml"
    env = {"HEART_TO_HEART_CONFIG": str(target)}
    assert run(tmp_path, "config", "path", env=env).stdout.strip() == str(target)
    made = run(tmp_path, "config", "init", env=env)
    assert made.returncode == 0 and target.read_text() == EXAMPLE.read_text()
    again = run(tmp_path, "config", "init", env=env)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_chat_gives_the_configured_names_to_a_new_household_and_keeps_its_own_later(tmp_path, cli):
    write_config(tmp_path, 'names = ["Sam", "Alex"]\nhousehold = "flat-3"\n')
    db = f"sqlite:///{tmp_path / 'h.db'}"
    assert cli("--db", db, "chat", "--once", "who are we")[0] == 0
    assert names_of(db, "local:flat-3") == ["Sam", "Alex"]
    assert cli("--db", db, "chat", "--once", "we're Robin and Kai")[0] == 0
    assert cli("--db", db, "chat", "--once", "hello")[0] == 0
    assert names_of(db, "local:flat-3") == ["Robin", "Kai"]


def test_a_flag_beats_the_config_file_for_the_household(tmp_path, cli):
    write_config(tmp_path, 'household = "flat-3"\n')
    db = f"sqlite:///{tmp_path / 'h.db'}"
    assert cli("--db", db, "chat", "--household", "cabin", "--once", "hello")[0] == 0
    engine = create_engine(db)
    with engine.connect() as conn:
        keys = [row.key for row in conn.execute(text("SELECT key FROM households"))]
    engine.dispose()
    assert keys == ["local:cabin"]


def names_of(db: str, household: str) -> list[str]:
    engine = create_engine(db)
    query = text(
        "SELECT p.name FROM people p JOIN households h ON h.id = p.household_id "
        "WHERE h.key = :key ORDER BY p.position"
    )
    with engine.connect() as conn:
        names = [row.name for row in conn.execute(query, {"key": household})]
    engine.dispose()
    return names


def test_the_readme_example_config_is_valid():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    values = parse(block, ROOT / "README.md")
    settings = resolve(values, {}, {}, ROOT / "README.md")
    assert settings.names == ("Sam", "Alex") and settings.sources["voice"] == "config file"


def test_listen_reads_the_household_names_and_voice_from_the_config_file(
    tmp_path, cli, monkeypatch
):
    import io
    import wave

    write_config(
        tmp_path, 'household = "flat-3"\nnames = ["Sam", "Alex"]\nrate = 150\nvoice = "en-us"\n'
    )
    db = f"sqlite:///{tmp_path / 'h.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("what's tonight's question\n"))
    spoken = tmp_path / "reply.wav"
    code, _, err = cli("--db", db, "listen", "--text", "--output", str(spoken))
    assert code == 0, err
    assert names_of(db, "local:flat-3") == ["Sam", "Alex"]
    with wave.open(str(spoken)) as reply:
        assert reply.getnframes() > 0


def test_listen_stops_at_a_voice_the_config_file_names_wrongly(tmp_path, cli, monkeypatch):
    import io

    write_config(tmp_path, 'voice = "no-such-voice"\n')
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n"))
    code, _, err = cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "listen", "--text")
    assert code != 0 and "no-such-voice" in err and "Traceback" not in err


def test_the_voice_in_the_examples_is_one_espeak_has():
    from local_voice.speech_output import Synthesizer, Voice

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    example = EXAMPLE.read_text(encoding="utf-8").replace("# voice", "voice")
    for source in (block, example):
        voice = [line for line in source.splitlines() if line.startswith("voice = ")]
        named = parse(voice[0], EXAMPLE)["voice"]
        Synthesizer(Voice(voice=named))  # raises SpeechProblem for a voice it lacks
