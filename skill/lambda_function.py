"""AWS Lambda entry point, `skill.lambda_function.handler`: the same skill as the Flask app.

Requests reach a Lambda function through its Alexa Skills Kit trigger, from Amazon itself, so
there is no HTTPS signature to verify (that is only for self-hosted endpoints); the skill id is
still checked on every request, by the SDK, against $HEART_TO_HEART_SKILL_ID.

The skill is built once per container, on the first request, and reused while the container
lives. $HEART_TO_HEART_DB names the database: a network database such as PostgreSQL, since a
Lambda container's disk is temporary (sqlite:////tmp/heart.db only to try it out).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skill.runtime import OtherSkill, SkillRuntime, empty_response

log = logging.getLogger(__name__)

SKILL_ID_ENV = "HEART_TO_HEART_SKILL_ID"
DB_ENV = "HEART_TO_HEART_DB"
CACHE_ENV = "HEART_TO_HEART_CACHE"
BUNDLED_CACHE = Path(__file__).resolve().parent.parent / "heart-to-heart-cache"
"""A trained intent model packaged beside the code (see `prepare`), so a cold start does not
spend seconds training it; without one the model is trained into /tmp on the first request."""

_runtime: SkillRuntime | None = None
_lock = threading.Lock()


class ConfigurationError(RuntimeError):
    """The function's environment is incomplete: the message says what to set."""


class MalformedEvent(ValueError):
    """The event is not an Alexa request envelope at all."""


def runtime() -> SkillRuntime:
    """The skill of this container, built on first use."""
    global _runtime
    with _lock:
        if _runtime is None:
            _runtime = runtime_from_environment(os.environ)
        return _runtime


def runtime_from_environment(environ: dict[str, str] | os._Environ[str]) -> SkillRuntime:
    from intents.companion import build_companion
    from skill.effects import TimeoutApiClient
    from skill.runtime import build_runtime

    skill_id = environ.get(SKILL_ID_ENV)
    db_url = environ.get(DB_ENV)
    if not skill_id:
        raise ConfigurationError(f"set {SKILL_ID_ENV}: every request is checked against it")
    if not db_url:
        raise ConfigurationError(
            f"set {DB_ENV}: a network database such as postgresql+psycopg://user:pass@host/db "
            "(sqlite:////tmp/heart.db only to try it out: Lambda's disk is temporary)"
        )
    if not environ.get(CACHE_ENV):
        cache = BUNDLED_CACHE if BUNDLED_CACHE.is_dir() else Path("/tmp/heart-to-heart-cache")
        os.environ[CACHE_ENV] = str(cache)
    companion = build_companion(db_url)
    return build_runtime(companion, lambda: datetime.now(UTC), skill_id, TimeoutApiClient())


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Answer one Alexa request event; a malformed event or another skill's request is logged
    and gets an empty response, never a traceback."""
    skill = runtime()
    try:
        if not isinstance(event, dict):
            raise MalformedEvent("the event is not a JSON object")
        parsed = skill.parse(json.dumps(event))
    except Exception as error:  # MalformedRequest, or an event json cannot even write
        log.error("malformed Alexa event, answered with an empty response: %s", error)
        return empty_response()
    try:
        return skill.respond(parsed, context)
    except OtherSkill as error:
        log.error("refused a request for another skill: %s", error)
    except Exception:  # the skill's own fault: the log has the traceback, the reply has none
        log.exception("internal error while answering a request")
    return empty_response()


def prepare(cache: Path) -> Path:
    """Train the intent model into `cache` (run at packaging time, into the package)."""
    os.environ[CACHE_ENV] = str(cache)
    from intents.catalog import Catalog
    from intents.matcher import Matcher

    Matcher(Catalog.load())
    return cache


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m skill.lambda_function",
        description="Train the intent model into a Lambda package, so cold starts stay fast.",
    )
    parser.add_argument("package", type=Path, help="the folder being zipped for Lambda")
    args = parser.parse_args(argv)
    found = prepare(args.package / BUNDLED_CACHE.name)
    print(f"trained intent model in {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
