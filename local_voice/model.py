"""Finding a Vosk model: --model (a folder, a .zip from the Vosk models page, or the .aar that
Alpha Cephei publishes on Maven Central), $HEART_TO_HEART_VOSK_MODEL, or Vosk's own download."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from platformdirs import user_data_dir

ENV_MODEL = "HEART_TO_HEART_VOSK_MODEL"
DEFAULT_MODEL_NAME = "vosk-model-small-en-us-0.15"
HOW_TO_GET_ONE = (
    "No speech model found. On a machine with internet, run `heart-to-heart listen` once and it "
    f"downloads {DEFAULT_MODEL_NAME} (about 40 MB) with Vosk's downloader. Offline, unpack a model "
    "folder or .zip from https://alphacephei.com/vosk/models, or the .aar of "
    "com.alphacephei:vosk-model-en from Maven Central (copied from another machine), and pass "
    f"--model PATH or set {ENV_MODEL}=PATH. Or use --text to type instead of speaking."
)
COMPLETE = ("am/final.mdl", "conf", "graph", "ivector")
"""What a usable model folder holds (the small models keep their graph and ivector extractor)."""


class ModelProblem(Exception):
    """No usable model: the message tells the user what to do."""


def looks_like_model(path: Path) -> bool:
    return (path / "am" / "final.mdl").is_file() and (path / "conf" / "model.conf").is_file()


def missing_parts(path: Path) -> list[str]:
    """What a model folder lacks of COMPLETE (empty when it is whole)."""
    return [part for part in COMPLETE if not (path / part).exists()]


def models_folder() -> Path:
    """Where unpacked archives are kept: the user data folder."""
    return Path(user_data_dir("heart-to-heart")) / "models"


def unpack(archive: Path, into: Path | None = None) -> Path:
    """Unpack the model folder inside a .zip or .aar once; later calls reuse it.

    The folder is the one holding am/final.mdl wherever it sits in the archive (a .aar keeps it
    under assets/). It is extracted beside its final place and renamed in, so an interrupted
    unpack never leaves half a model behind.
    """
    target = (into or models_folder()) / archive.name.rsplit(".", 1)[0]
    if looks_like_model(target):
        return target
    try:
        with zipfile.ZipFile(archive) as bundle:
            names = bundle.namelist()
            roots = [n[: -len("am/final.mdl")] for n in names if n.endswith("am/final.mdl")]
            if not roots:
                raise ModelProblem(f"{archive} holds no Vosk model (no am/final.mdl inside).")
            root = min(roots, key=len)
            target.parent.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent))
            try:
                for name in names:
                    if not name.startswith(root) or name.endswith("/"):
                        continue
                    relative = PurePosixPath(name[len(root) :])
                    if relative.is_absolute() or ".." in relative.parts:
                        raise ModelProblem(f"{archive} has an unsafe path: {name}")
                    destination = scratch.joinpath(*relative.parts)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with bundle.open(name) as source, destination.open("wb") as out:
                        shutil.copyfileobj(source, out)
                missing = missing_parts(scratch)
                if missing:
                    raise ModelProblem(
                        f"The model in {archive} is incomplete (no {', '.join(missing)})."
                    )
                scratch.replace(target)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    except zipfile.BadZipFile as error:
        raise ModelProblem(f"{archive} is not a .zip or .aar archive ({error}).") from error
    return target


def choose_model(explicit: str | None) -> Path | None:
    """The model folder to load, or None to let Vosk fetch the default English model."""
    chosen = explicit or os.environ.get(ENV_MODEL)
    if chosen:
        path = Path(chosen).expanduser()
        if path.is_file() and path.suffix.lower() in (".zip", ".aar"):
            return unpack(path)
        if not path.is_dir():
            raise ModelProblem(f"The model folder {path} does not exist. {HOW_TO_GET_ONE}")
        if not looks_like_model(path):
            raise ModelProblem(
                f"{path} is not a Vosk model folder (no am/final.mdl or conf/model.conf)."
            )
        return path
    return None
