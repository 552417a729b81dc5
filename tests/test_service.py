"""`heart-to-heart service`: the systemd user unit, checked by systemd itself, and install and
uninstall where systemctl is missing or cannot reach a user session (as in a container)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from local_voice.service import UNIT_NAME, Unit, listen_command, unit_path, unit_text

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "heart-to-heart"
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(
    ANALYZE is None, reason="systemd-analyze is not installed (Debian package systemd)"
)


def verify(unit_file: Path, runtime: Path) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify --user`, which needs a runtime folder but no running systemd."""
    runtime.mkdir(mode=0o700, exist_ok=True)
    return subprocess.run(
        [str(ANALYZE), "verify", "--user", str(unit_file)],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
        timeout=60,
        check=False,
    )


def test_the_unit_runs_listen_restarts_on_failure_and_starts_at_login():
    text = unit_text(
        Unit((str(SCRIPT), "listen"), Path("/home/sam/.config/h/c.toml"), Path("/home/sam"))
    )
    lines = text.splitlines()
    assert f"ExecStart={SCRIPT} listen" in lines
    assert "Restart=on-failure" in lines
    assert any(line.startswith("RestartSec=") for line in lines)
    assert "WantedBy=default.target" in lines
    assert 'Environment="HEART_TO_HEART_CONFIG=/home/sam/.config/h/c.toml"' in lines
    # the journal gets stdout and stderr: nothing sends them elsewhere
    assert not any(line.startswith(("StandardOutput", "StandardError")) for line in lines)


def test_spaces_and_percent_signs_in_paths_are_written_the_way_systemd_reads_them():
    unit = Unit(
        ("/opt/my apps/bin/heart-to-heart", "listen"),
        Path("/home/sam/100% ours/config.toml"),
        Path("/home/sam"),
    )
    text = unit_text(unit)
    assert 'ExecStart="/opt/my apps/bin/heart-to-heart" listen' in text
    assert 'Environment="HEART_TO_HEART_CONFIG=/home/sam/100%% ours/config.toml"' in text


def test_the_command_is_the_running_script_else_the_one_on_the_path_else_python(tmp_path):
    assert listen_command(str(SCRIPT), None, sys.executable) == (str(SCRIPT), "listen")
    elsewhere = "/usr/local/bin/heart-to-heart"
    assert listen_command("/x/intents/cli.py", elsewhere, sys.executable) == (elsewhere, "listen")
    assert listen_command("/x/intents/cli.py", None, sys.executable) == (
        sys.executable,
        "-m",
        "intents.cli",
        "listen",
    )


def test_the_unit_file_goes_under_xdg_config_home():
    assert unit_path({"XDG_CONFIG_HOME": "/tmp/c"}) == Path(f"/tmp/c/systemd/user/{UNIT_NAME}")
    assert unit_path({}) == Path.home() / ".config" / "systemd" / "user" / UNIT_NAME


@needs_analyze
@pytest.mark.parametrize(
    "command",
    [(str(SCRIPT), "listen"), (sys.executable, "-m", "intents.cli", "listen")],
    ids=["script", "python -m"],
)
def test_systemd_finds_nothing_wrong_with_the_unit(tmp_path, command):
    unit_file = tmp_path / UNIT_NAME
    unit_file.write_text(unit_text(Unit(command, tmp_path / "config.toml", tmp_path)))
    checked = verify(unit_file, tmp_path / "runtime")
    assert checked.returncode == 0, checked.stderr
    assert UNIT_NAME not in checked.stderr + checked.stdout, checked.stderr  # not even a warning


@needs_analyze
def test_systemd_analyze_does_catch_a_broken_unit(tmp_path):
    """The check above can fail: a unit whose program does not exist is refused."""
    unit_file = tmp_path / UNIT_NAME
    unit = Unit((str(tmp_path / "no-such-program"), "listen"), tmp_path / "c.toml", tmp_path)
    unit_file.write_text(unit_text(unit))
    checked = verify(unit_file, tmp_path / "runtime")
    assert checked.returncode != 0 and "no-such-program" in checked.stderr


# install, status and uninstall, for real, where systemd's user manager is not available -------


def service(tmp_path: Path, *args: str, systemctl: bool) -> subprocess.CompletedProcess[str]:
    """`heart-to-heart service ...` with its config under tmp_path. With `systemctl`, the real
    systemctl is on the PATH but has no user session to reach (a private runtime folder and no
    bus), so nothing on this machine is ever enabled; without, it is not on the PATH at all."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir(exist_ok=True)
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HEART_TO_HEART_", "DBUS_"))
    }
    environ |= {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_RUNTIME_DIR": str(runtime),
        "DBUS_SESSION_BUS_ADDRESS": f"unix:path={runtime / 'no-bus'}",
        "PATH": os.environ["PATH"] if systemctl else str(bin_folder),
    }
    return subprocess.run(
        [str(SCRIPT), "service", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("systemctl", [True, False], ids=["systemctl-failing", "no-systemctl"])
def test_install_writes_the_unit_and_says_exactly_what_to_run(tmp_path, systemctl):
    if systemctl and shutil.which("systemctl") is None:
        pytest.skip("systemctl is not installed")
    installed = service(tmp_path, "install", systemctl=systemctl)
    assert installed.returncode == 0, installed.stderr
    unit_file = tmp_path / "config" / "systemd" / "user" / UNIT_NAME
    text = unit_file.read_text()
    assert f"ExecStart={SCRIPT} listen" in text
    config = tmp_path / "config" / "heart-to-heart" / "config.toml"
    assert f"HEART_TO_HEART_CONFIG={config}" in text
    out = installed.stdout
    assert f"Wrote {unit_file}" in out
    assert "systemctl --user daemon-reload" in out
    assert f"systemctl --user enable --now {UNIT_NAME}" in out
    assert "loginctl enable-linger" in out
    assert "config init" in out  # there is no config file yet
    assert "Traceback" not in installed.stderr

    status = service(tmp_path, "status", systemctl=systemctl)
    assert status.returncode == 0, status.stderr
    assert f"{unit_file} (installed)" in status.stdout
    assert "state unknown" in status.stdout

    removed = service(tmp_path, "uninstall", systemctl=systemctl)
    assert removed.returncode == 0, removed.stderr
    assert not unit_file.exists()
    assert f"Removed {unit_file}" in removed.stdout
    assert f"systemctl --user disable --now {UNIT_NAME}" in removed.stdout
    assert "not installed" in service(tmp_path, "status", systemctl=systemctl).stdout
    assert "Nothing to remove" in service(tmp_path, "uninstall", systemctl=systemctl).stdout


def test_install_print_writes_nothing(tmp_path):
    printed = service(tmp_path, "install", "--print", systemctl=False)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("[Unit]") and "WantedBy=default.target" in printed.stdout
    assert not (tmp_path / "config").exists()


def test_linger_that_cannot_be_turned_on_says_what_to_run(tmp_path):
    done = service(tmp_path, "install", "--linger", systemctl=False)
    assert done.returncode == 0, done.stderr
    assert "Lingering could not be turned on here. Run: loginctl enable-linger" in done.stdout


@needs_analyze
def test_systemd_reads_paths_with_spaces_and_percent_signs(tmp_path):
    program = tmp_path / "my apps" / "heart-to-heart"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    unit_file = tmp_path / UNIT_NAME
    unit = Unit((str(program), "listen"), tmp_path / "100% ours" / "config.toml", tmp_path)
    unit_file.write_text(unit_text(unit))
    checked = verify(unit_file, tmp_path / "runtime")
    assert checked.returncode == 0, checked.stderr
    assert UNIT_NAME not in checked.stderr + checked.stdout, checked.stderr
