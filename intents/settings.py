"""One config file for everything a household sets, under the environment and the flags.

Precedence, lowest first: the defaults, the config file (TOML, in the user config folder or at
$HEART_TO_HEART_CONFIG), environment variables, command-line flags. `resolve` is pure: it merges
the four and remembers where each effective value came from, for `heart-to-heart config show`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from intents.content import AUDIENCES

ENV_CONFIG = "HEART_TO_HEART_CONFIG"
DEFAULT = "default"
EXAMPLE = Path(__file__).with_name("config.example.toml")
"""A commented config file: what `heart-to-heart config init` writes."""


class SettingsProblem(Exception):
    """A config file or a setting that cannot be used; the message names the key and the file."""


@dataclass(frozen=True)
class Spec:
    """One setting: its type, its default, and the environment variable and flag above it."""

    kind: type
    """str, int, bool or list (a list of strings)."""
    default: Any
    help: str
    env: str | None = None
    flag: str | None = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None


SPECS: dict[str, Spec] = {
    "household": Spec(str, "home", "whose evening this is", flag="--household"),
    "names": Spec(list, [], "the names of the household, set when it has none yet"),
    "audience": Spec(
        str,
        "couple",
        "who is talking: couple, friends or solo",
        flag="--audience",
        choices=AUDIENCES,
    ),
    "country": Spec(str, None, "ISO country code for help lines", env="HEART_TO_HEART_COUNTRY"),
    "timezone": Spec(str, None, "IANA time zone, such as Europe/London", env="TZ"),
    "database": Spec(str, None, "SQLAlchemy database URL", env="HEART_TO_HEART_DB", flag="--db"),
    "model": Spec(
        str,
        None,
        "Vosk model folder, .zip or .aar",
        env="HEART_TO_HEART_VOSK_MODEL",
        flag="--model",
    ),
    "voice": Spec(str, None, "a pyttsx3 voice id (espeak-ng --voices)", flag="--voice"),
    "rate": Spec(int, 165, "speaking rate, words a minute", flag="--rate", minimum=40),
    "question_rate": Spec(
        int, 135, "speaking rate for questions", flag="--question-rate", minimum=40
    ),
    "wake_phrase": Spec(bool, True, 'wait for "heart to heart" before answering', flag="--no-wake"),
}


@dataclass(frozen=True)
class Settings:
    """The effective settings, and where each one came from."""

    household: str = "home"
    names: tuple[str, ...] = ()
    audience: str = "couple"
    country: str | None = None
    timezone: str | None = None
    """None: this computer's time zone."""
    database: str | None = None
    """None: an SQLite file in the user data folder."""
    model: str | None = None
    voice: str | None = None
    rate: int = 165
    question_rate: int = 135
    wake_phrase: bool = True
    sources: Mapping[str, str] = field(default_factory=dict)
    """Setting name -> "default", "config file", "$VARIABLE" or "--flag"."""
    path: Path | None = None
    """The config file that was read (None when there was none)."""


def config_path(explicit: str | os.PathLike[str] | None, environ: Mapping[str, str]) -> Path:
    """--config, else $HEART_TO_HEART_CONFIG, else config.toml in the user config folder."""
    chosen = explicit or environ.get(ENV_CONFIG)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_config_dir("heart-to-heart", appauthor=False)) / "config.toml"


def parse(text: str, path: Path) -> dict[str, Any]:
    """The settings in a config file's text, checked: unknown keys and wrong types are errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsProblem(f"{path} is not valid TOML: {error}") from error
    values: dict[str, Any] = {}
    for key, value in data.items():
        spec = SPECS.get(key)
        if spec is None:
            known = ", ".join(SPECS)
            raise SettingsProblem(f"{path}: unknown setting {key!r} (known: {known})")
        values[key] = _checked(value, spec, f"{path}: {key}")
    return values


def read_file(path: Path) -> dict[str, Any] | None:
    """The checked settings in the config file at `path`, or None when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsProblem(f"the config file {path} cannot be read ({error})") from error
    return parse(text, path)


def resolve(
    file_values: Mapping[str, Any] | None,
    environ: Mapping[str, str],
    flags: Mapping[str, Any],
    path: Path | None = None,
) -> Settings:
    """Defaults < config file < environment < flags; a flag or variable left unset (None or
    empty) does not count. Every value is checked the same way, wherever it came from."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, spec in SPECS.items():
        value, source = spec.default, DEFAULT
        if file_values is not None and name in file_values:
            value, source = file_values[name], "config file"
        if spec.env and environ.get(spec.env, "").strip():
            raw = environ[spec.env].strip()
            value, source = (
                _checked(_from_text(raw, spec, spec.env), spec, spec.env),
                (f"${spec.env}"),
            )
        flagged = flags.get(name)
        if flagged is not None:
            value = _checked(flagged, spec, spec.flag or name)
            source = spec.flag or f"--{name}"
        values[name] = tuple(value) if spec.kind is list else value
        sources[name] = source
    if values["timezone"] is not None:
        values["timezone"] = values["timezone"].lstrip(":")  # TZ=":Europe/London" is allowed
    return Settings(**values, sources=sources, path=path if file_values is not None else None)


def load(
    flags: Mapping[str, Any],
    explicit_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """The effective settings for a command: reads the config file, then `resolve`."""
    environ = os.environ if environ is None else environ
    path = config_path(explicit_path, environ)
    return resolve(read_file(path), environ, flags, path)


def _from_text(raw: str, spec: Spec, where: str) -> Any:
    """An environment variable's text as the setting's type."""
    if spec.kind is int:
        try:
            return int(raw)
        except ValueError:
            raise SettingsProblem(f"{where} must be a whole number, not {raw!r}") from None
    if spec.kind is bool:
        lowered = raw.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise SettingsProblem(f"{where} must be true or false, not {raw!r}")
    if spec.kind is list:
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


_KIND_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list of text"}


def _checked(value: Any, spec: Spec, where: str) -> Any:
    """`value` if it has the setting's type and is allowed; else a problem naming `where`."""
    ok = (isinstance(value, spec.kind) and not (spec.kind is int and isinstance(value, bool))) or (
        spec.kind is list and isinstance(value, tuple)
    )
    if spec.kind is list and ok:
        ok = all(isinstance(item, str) and item.strip() for item in value)
    if not ok:
        raise SettingsProblem(
            f"{where} must be {_KIND_NAMES[spec.kind]}, not {value!r}"
            + (' (write it in quotes, "like this")' if spec.kind is str else "")
        )
    if spec.kind is str and not value.strip():
        raise SettingsProblem(f"{where} is empty")
    if spec.choices and value not in spec.choices:
        raise SettingsProblem(f"{where} must be one of {', '.join(spec.choices)}, not {value!r}")
    if spec.minimum is not None and value < spec.minimum:
        raise SettingsProblem(f"{where} must be at least {spec.minimum}, not {value}")
    return value
