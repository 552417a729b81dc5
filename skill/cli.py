"""`heart-to-heart serve` and `heart-to-heart alexa-model`."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
DEFAULT_PACKAGE = Path("skill-package")


def add_serve_arguments(commands: Any) -> argparse.ArgumentParser:
    serve = commands.add_parser("serve", help="run the Alexa endpoint (development server)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--skill-id", help="your skill id (default: $HEART_TO_HEART_SKILL_ID)")
    serve.add_argument(
        "--no-verify",
        action="store_true",
        help="DEVELOPMENT ONLY: accept unsigned requests (same as HEART_TO_HEART_DEV_NO_VERIFY=1)",
    )
    return serve


def add_alexa_model_arguments(commands: Any) -> argparse.ArgumentParser:
    model = commands.add_parser(
        "alexa-model", help="write skill-package/ (skill.json and the interaction model)"
    )
    model.add_argument("--out", type=Path, default=DEFAULT_PACKAGE)
    model.add_argument(
        "--privacy-url", help="your privacy policy's address (default: $HEART_TO_HEART_PRIVACY_URL)"
    )
    model.add_argument(
        "--terms-url", help="your terms of use's address (default: $HEART_TO_HEART_TERMS_URL)"
    )
    return model


def register_serve(commands: Any) -> None:
    """Entry point (heart_to_heart.commands): `heart-to-heart serve`."""
    add_serve_arguments(commands).set_defaults(run=serve)


def register_alexa_model(commands: Any) -> None:
    """Entry point (heart_to_heart.commands): `heart-to-heart alexa-model`."""
    add_alexa_model_arguments(commands).set_defaults(run=alexa_model)


def serve(args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    from intents.cli import load_settings
    from skill.app import SkillConfig, create_app

    config = SkillConfig.from_environment()
    if args.skill_id:
        config.skill_id = args.skill_id
    if args.no_verify:
        config.verify_requests = False
    # --db, else $HEART_TO_HEART_DB, else `database` in the config file.
    database = load_settings(args).database
    if database:
        config.db_url = database
    if config.verify_requests and not config.skill_id:
        print(
            "heart-to-heart serve: set --skill-id or HEART_TO_HEART_SKILL_ID (or --no-verify "
            "while developing)."
        )
        return 2
    run_simple(args.host, args.port, create_app(config), threaded=True)
    return 0


def alexa_model(args: argparse.Namespace) -> int:
    from intents.catalog import Catalog
    from skill.interaction_model import write

    for path in write(Catalog.load(), args.out, args.privacy_url, args.terms_url):
        print(os.fspath(path))
    return 0
