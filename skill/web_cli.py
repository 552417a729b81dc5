"""`heart-to-heart web`: the page at home, on 127.0.0.1 unless a password is set."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
LOCAL_NAMES = ("localhost",)


def register_web(commands: Any) -> None:
    """Entry point (heart_to_heart.commands): `heart-to-heart web`."""
    web = commands.add_parser(
        "web", help="the page at home: tonight's question, check-ins, reminders, your data"
    )
    web.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on ({DEFAULT_HOST})")
    web.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})")
    web.add_argument("--household", help="whose page this is, as in `chat` (default: home)")
    web.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="a file holding the page's password; required for any address but this computer's",
    )
    web.set_defaults(run=web_command)


def is_local(host: str) -> bool:
    """True for addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_password(path: Path) -> str:
    """The password in `path` (its first line); ValueError with a reason when it is unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"the password file {path} cannot be read ({error})") from error
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if len(password) < 8:
        raise ValueError(f"the password in {path} must be at least 8 characters long")
    return password


def web_command(args: argparse.Namespace) -> int:
    password = None
    if args.password_file is not None:
        try:
            password = read_password(args.password_file)
        except ValueError as error:
            print(f"heart-to-heart web: {error}.", file=sys.stderr)
            return 2
    if not is_local(args.host) and password is None:
        print(
            f"heart-to-heart web: refusing to listen on {args.host} without a password: anyone on "
            "the network could read and delete what is stored. Use --password-file FILE, or "
            f"keep the default address {DEFAULT_HOST}.",
            file=sys.stderr,
        )
        return 2
    if not 0 < args.port < 65536:
        print(f"heart-to-heart web: {args.port} is not a port number.", file=sys.stderr)
        return 2

    from werkzeug.security import generate_password_hash
    from werkzeug.serving import make_server

    from intents.cli import load_settings
    from intents.companion import build_companion
    from intents.household_setup import set_up_household
    from skill.app import SkillConfig, create_app
    from skill.home_page import HomePageConfig

    # The same household, database, time zone and audience as `chat` and `listen`: flags over the
    # environment over the config file.
    settings = load_settings(args, household=args.household)
    companion = build_companion(
        settings.database, timezone=settings.timezone, audience=settings.audience
    )
    home = HomePageConfig(
        household=settings.household,
        password_hash=generate_password_hash(password) if password else None,
        country=settings.country,
    )
    set_up_household(
        companion.engine,
        home.household_key,
        names=settings.names,
        timezone=companion.conversation.default_timezone,
        now=companion.conversation.clock(),
    )
    config = SkillConfig.from_environment()
    config.alexa_endpoint = False
    config.home_page = home
    config.companion = companion
    app = create_app(config)
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except SystemExit:  # werkzeug has said that the port is in use, and how to choose another
        return 2
    except OSError as error:
        print(
            f"heart-to-heart web: cannot listen on {args.host}:{args.port} ({error.strerror}).",
            file=sys.stderr,
        )
        return 2
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"The page at home: http://{shown}:{server.server_port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
