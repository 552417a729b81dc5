"""Finding a Vosk model: --model, $HEART_TO_HEART_VOSK_MODEL, or Vosk's own download once online."""

from __future__ import annotations

import os
from pathlib import Path

ENV_MODEL = "HEART_TO_HEART_VOSK_MODEL"
DEFAULT_MODEL_NAME = "vosk-model-small-en-us-0.15"
HOW_TO_GET_ONE = (
    "No speech model found. On a machine with internet, run `heart-to-heart listen` once and it "
    f"downloads {DEFAULT_MODEL_NAME} (about 40 MB) with Vosk's downloader. Offline, unpack a model "
    "folder from https://alphacephei.com/vosk/models (copied from another machine) and pass "
    f"--model PATH or set {ENV_MODEL}=PATH. Or use --text to type instead of speaking."
)


class ModelProblem(Exception):
    """No usable model: the message tells the user what to do."""


def looks_like_model(path: Path) -> bool:
    return (path / "am" / "final.mdl").is_file() and (path / "conf" / "model.conf").is_file()


def choose_model(explicit: str | None) -> Path | None:
    """The model folder to load, or None to let Vosk fetch the default English model."""
    chosen = explicit or os.environ.get(ENV_MODEL)
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            raise ModelProblem(f"The model folder {path} does not exist. {HOW_TO_GET_ONE}")
        if not looks_like_model(path):
            raise ModelProblem(
                f"{path} is not a Vosk model folder (no am/final.mdl or conf/model.conf)."
            )
        return path
    return None
