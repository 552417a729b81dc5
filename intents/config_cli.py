"""`heart-to-heart config show|path|init`: the one config file and the settings in effect."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from typing import Any

from intents.settings import DEFAULT, EXAMPLE, SPECS, Settings, config_path, load

SHOWN_WHEN_UNSET = {
    "country": "from the system locale",
    "model": "Vosk's small English model, downloaded on first use",
    "voice": "espeak-ng's default voice",
}


def add_config_command(commands: Any) -> None:
    config = commands.add_parser("config", help="the config file and the settings in effect")
    actions = config.add_subparsers(dest="config_command", required=True)
    show = actions.add_parser("show", help="each setting in effect and where it came from")
    show.set_defaults(run=show_config)
    path = actions.add_parser("path", help="where the config file is (or would be)")
    path.set_defaults(run=print_path)
    init = actions.add_parser("init", help="write a commented example config file")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.set_defaults(run=init_config)


def show_config(args: argparse.Namespace) -> int:
    settings = load({"database": args.db}, args.config)
    print(f"# {describe_file(settings, args.config)}")
    width = max(map(len, SPECS))
    for name in SPECS:
        value, note = shown_value(settings, name)
        source = settings.sources[name]
        where = f"{source}: {note}" if note else source
        print(f"{name:<{width}} = {value}  # {where}")
    return 0


def describe_file(settings: Settings, explicit: str | None) -> str:
    if settings.path is not None:
        return f"config file: {settings.path}"
    path = config_path(explicit, os.environ)
    return f"config file: {path} (not there: defaults in use; `heart-to-heart config init`)"


def shown_value(settings: Settings, name: str) -> tuple[str, str]:
    """A setting as TOML text, and a note on what an unset value means."""
    value = getattr(settings, name)
    if name == "database":
        from sqlalchemy.engine import make_url

        from intents.store.database import default_url

        url = value or default_url()
        return _toml(make_url(url).render_as_string(hide_password=True)), ""
    if name == "timezone" and value is None:
        from intents.companion import local_timezone

        return _toml(local_timezone()), "this computer's"
    if value is None:
        return "(unset)", SHOWN_WHEN_UNSET.get(name, "")
    if settings.sources[name] == DEFAULT and name == "names" and not value:
        return "[]", "none yet"
    return _toml(value), ""


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(json.dumps(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def print_path(args: argparse.Namespace) -> int:
    print(config_path(args.config, os.environ))
    return 0


def init_config(args: argparse.Namespace) -> int:
    path = config_path(args.config, os.environ)
    if path.exists() and not args.force:
        print(
            f"heart-to-heart: {path} already exists; edit it, or use --force to replace it.",
            file=sys.stderr,
        )
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EXAMPLE, path)
    print(path)
    return 0
