"""The built wheel is the product people install: it must carry everything it reads at run time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # Built from a copy of the source tree without build/ or *.egg-info: setuptools would otherwise
    # reuse a stale build/lib, and a file deleted from the project could still ship.
    source = tmp_path_factory.mktemp("source") / "heart-to-heart"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "mutants", "test-artifacts", "__pycache__"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        timeout=300,
    )
    return next(out.glob("heart_to_heart-*.whl"))


def test_the_wheel_carries_every_data_file_the_code_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packaged = {
        path.relative_to(ROOT).as_posix()
        for folder in ("intents", "skill", "local_voice")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and path.suffix in {".yaml", ".mako", ".html", ".css", ".js", ".toml", ".json"}
    }
    assert packaged, "no data files found: the test would prove nothing"
    assert sorted(packaged - names) == []
    assert "intents/store/alembic/versions/0001_initial.py" in names or any(
        n.startswith("intents/store/alembic/versions/0001") for n in names
    )


def test_a_clean_venv_with_only_the_wheel_answers_tonights_question(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=900,
    )
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("HEART_TO_HEART")
    }
    environment |= {
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": "",
    }
    result = subprocess.run(
        [str(env_dir / "bin" / "heart-to-heart"), "chat", "--once", "what's tonight's question"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # not the source tree: everything must come from the installed wheel
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "?" in result.stdout and "Traceback" not in result.stderr
    assert "sorry" not in result.stdout.lower()
    assert list((tmp_path / "data").rglob("*.db")), "the answer was not stored in the data folder"
