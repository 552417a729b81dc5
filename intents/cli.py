"""The `heart-to-heart` command: one subcommand per front end, each loaded only when used."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from intents.config_cli import add_config_command
from intents.content import AUDIENCES
from intents.settings import ENV_CONFIG, Settings, SettingsProblem, load
from intents.store.database import ENV_URL, StoreBusy

log = logging.getLogger("heart_to_heart")
DEFAULT_HOUSEHOLD = "home"


def _chat(args: argparse.Namespace) -> int:
    from intents.chat import chat
    from intents.companion import build_companion, local_country
    from intents.household_setup import set_up_household

    settings = load_settings(
        args, household=args.household, audience=getattr(args, "audience", None)
    )
    companion = build_companion(
        settings.database, timezone=settings.timezone, audience=settings.audience
    )
    household = f"local:{settings.household}"
    set_up_household(
        companion.engine,
        household,
        names=settings.names,
        timezone=companion.conversation.default_timezone,
        now=companion.conversation.clock(),
    )
    return chat(companion, household, once=args.once, country=settings.country or local_country())


def load_settings(args: argparse.Namespace, **flags: object) -> Settings:
    """The effective settings for a command: its flags (and --db) over the environment over the
    config file (--config, else $HEART_TO_HEART_CONFIG, else the user config folder)."""
    return load({"database": args.db, **flags}, getattr(args, "config", None))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="heart-to-heart",
        description="A voice companion for couples and close friends.",
    )
    parser.add_argument(
        "--db",
        help=f"SQLAlchemy database URL (default: ${ENV_URL}, else a file in your data folder)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE.toml",
        help=f"the config file (default: ${ENV_CONFIG}, else config.toml in your config "
        "folder; see `heart-to-heart config path`)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log what happens (never what you say)"
    )
    commands = parser.add_subparsers(dest="command")

    chat = commands.add_parser("chat", help="talk by typing (the default)")
    chat.add_argument("--once", metavar="TEXT", help="answer one sentence and exit")
    chat.add_argument(
        "--audience",
        choices=AUDIENCES,
        help="who is here until you say otherwise: a couple (the default), friends, or solo",
    )
    chat.add_argument("--household", help=f"whose evening this is (default: {DEFAULT_HOUSEHOLD})")
    chat.set_defaults(run=_chat)
    add_config_command(commands)

    _add_front_end_commands(commands)
    return parser


COMMANDS_GROUP = "heart_to_heart.commands"
"""The entry-point group through which a front end adds its own subcommands (as Flask's CLI
does): each entry point names a function that takes the subparsers and adds its commands, with
`run` as their default. The core never imports a front end by name."""


def _add_front_end_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Subcommands registered by skill/, local_voice/ or any installed front end. One that cannot
    be loaded is still listed, and running it says why, instead of silently not existing."""
    for entry in sorted(entry_points(group=COMMANDS_GROUP), key=lambda e: e.name):
        try:
            register: Callable[[argparse._SubParsersAction], None] = entry.load()  # type: ignore[type-arg]
        except ImportError as error:
            missing = commands.add_parser(entry.name, help=f"(unavailable: {error})")
            missing.set_defaults(run=_unavailable(entry.name, _extras(entry.name), error))
            continue
        register(commands)


def _extras(command: str) -> str:
    """The optional parts a command needs, as its entry point declares them ("alexa", "voice")."""
    for entry in entry_points(group=COMMANDS_GROUP, name=command):
        if entry.extras:
            return ",".join(entry.extras)
    return "alexa,voice"


def _unavailable(name: str, extra: str, error: ImportError) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        print(
            f"heart-to-heart: `{name}` cannot start: {error}. "
            f"Install its parts with: pip install 'heart-to-heart[{extra}]'",
            file=sys.stderr,
        )
        return 3

    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "chat"])
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except ImportError as error:  # a front end's library is missing
        return _unavailable(args.command, _extras(args.command), error)(args)
    except SettingsProblem as problem:
        print(f"heart-to-heart: {problem}", file=sys.stderr)
        return 2
    except StoreBusy:
        print(
            "heart-to-heart: the database is busy; please try again in a moment.", file=sys.stderr
        )
        return 75
    except Exception as error:  # the last line of defence: a message, never a bare traceback
        log.info("unexpected error", exc_info=True)  # shown with -v
        hint = "" if args.verbose else " (run with -v to see the details)"
        print(f"heart-to-heart: {_explain(error)}{hint}", file=sys.stderr)
        return 1


def _explain(error: Exception) -> str:
    from sqlalchemy.exc import ArgumentError, OperationalError

    if isinstance(error, ArgumentError):
        return f"that database URL is not valid ({error}). Check --db or ${ENV_URL}."
    if isinstance(error, OperationalError):
        return f"could not open the database ({error.orig}). Check --db or ${ENV_URL}."
    return f"something went wrong: {error.__class__.__name__}: {error}"


if __name__ == "__main__":
    sys.exit(main())
