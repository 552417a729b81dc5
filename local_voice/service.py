"""`heart-to-heart service install|uninstall|status`: `listen` as a systemd user service.

The unit starts at login (or at boot, with lingering), restarts after a failure, logs to the
journal (stdout and stderr are systemd's defaults), and finds every setting in the config file
named in its environment. `unit_text` is pure; the rest writes the file and asks systemctl.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intents.settings import ENV_CONFIG, config_path

UNIT_NAME = "heart-to-heart.service"
RESTART_SEC = 5
SYSTEMCTL_TIMEOUT_S = 30


@dataclass(frozen=True)
class Unit:
    command: tuple[str, ...]
    """The program and its arguments, absolute paths (systemd does not search $PATH)."""
    config: Path
    working_directory: Path


def unit_text(unit: Unit) -> str:
    """The systemd unit file for `unit`."""
    command = " ".join(_quoted(part) for part in unit.command)
    return "\n".join(
        [
            "[Unit]",
            "Description=Heart to Heart: the offline voice companion (heart-to-heart listen)",
            # The sound server runs as a user service too; start after it when there is one.
            "After=pipewire.service pipewire-pulse.service pulseaudio.service",
            "StartLimitIntervalSec=300",
            "StartLimitBurst=10",
            "",
            "[Service]",
            "Type=simple",
            f"ExecStart={command}",
            f"WorkingDirectory={_quoted(str(unit.working_directory))}",
            "Environment=" + _quoted(f"{ENV_CONFIG}={unit.config}", always=True),
            # Python buffers output that is not a terminal: unbuffered, log lines reach the
            # journal as they happen.
            "Environment=PYTHONUNBUFFERED=1",
            "Restart=on-failure",
            f"RestartSec={RESTART_SEC}",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
    )


def _quoted(text: str, always: bool = False) -> str:
    """One word of a unit file: % doubled (systemd's specifiers), quoted when it has spaces."""
    text = text.replace("%", "%%")
    if always or any(c.isspace() or c in "\"'\\" for c in text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def unit_path(environ: Mapping[str, str]) -> Path:
    """~/.config/systemd/user/heart-to-heart.service, or under $XDG_CONFIG_HOME."""
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user" / UNIT_NAME


def listen_command(argv0: str, which: str | None, python: str) -> tuple[str, ...]:
    """The absolute command that runs `heart-to-heart listen`: the script that is running now,
    else the one on $PATH, else this Python with `-m intents.cli`."""
    started_as = Path(argv0)
    if started_as.name == "heart-to-heart" and started_as.is_file():
        return (str(started_as.absolute()), "listen")
    if which:
        return (str(Path(which).absolute()), "listen")
    return (str(Path(python).absolute()), "-m", "intents.cli", "listen")


# The command ------------------------------------------------------------------------------


def register_service(commands: Any) -> None:
    """Entry point (heart_to_heart.commands): `heart-to-heart service`."""
    service = commands.add_parser("service", help="run `listen` by itself (a systemd user unit)")
    actions = service.add_subparsers(dest="service_command", required=True)
    install = actions.add_parser("install", help="write the unit, then enable and start it")
    install.add_argument(
        "--linger",
        action="store_true",
        help="start at boot, before anyone logs in (loginctl enable-linger)",
    )
    install.add_argument(
        "--print", action="store_true", help="only print the unit; write and start nothing"
    )
    install.set_defaults(run=install_service)
    uninstall = actions.add_parser("uninstall", help="stop and disable the unit, then remove it")
    uninstall.set_defaults(run=uninstall_service)
    status = actions.add_parser("status", help="whether the unit is installed and running")
    status.set_defaults(run=service_status)


def _unit(args: argparse.Namespace) -> Unit:
    return Unit(
        command=listen_command(sys.argv[0], shutil.which("heart-to-heart"), sys.executable),
        config=config_path(args.config, os.environ).absolute(),
        working_directory=Path.home(),
    )


def install_service(args: argparse.Namespace) -> int:
    unit = _unit(args)
    text = unit_text(unit)
    if args.print:
        print(text, end="")
        return 0
    path = unit_path(os.environ)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {path}")
    if not unit.config.exists():
        print(
            f"No config file at {unit.config} yet: the service uses the defaults. "
            "`heart-to-heart config init` writes one to edit."
        )
    steps = [["daemon-reload"], ["enable", "--now", UNIT_NAME]]
    if _systemctl_all(steps):
        print(
            f"Started and enabled: it starts at every login. Logs: journalctl --user -u {UNIT_NAME}"
        )
    else:
        print("Then start it, and at every login, with:")
        for step in steps:
            print("  systemctl --user " + " ".join(step))
    _linger(args.linger)
    return 0


def _linger(wanted: bool) -> None:
    user = getpass.getuser()
    command = ["loginctl", "enable-linger", user]
    if not wanted:
        print(f"To start it at boot, before anyone logs in: {' '.join(command)}")
        return
    if _run(command) is None:
        print(f"Lingering could not be turned on here. Run: {' '.join(command)}")
    else:
        print(f"Lingering is on for {user}: it starts at boot.")


def uninstall_service(args: argparse.Namespace) -> int:
    path = unit_path(os.environ)
    if not path.exists():
        print(f"Nothing to remove: {path} does not exist.")
        return 0
    stop = ["disable", "--now", UNIT_NAME]
    stopped = _systemctl_all([stop])
    path.unlink()
    print(f"Removed {path}")
    if _systemctl_all([["daemon-reload"]]) and stopped:
        print("Stopped and disabled.")
    else:
        print("If it is still running, stop it with:")
        print(f"  systemctl --user {' '.join(stop)}")
        print("  systemctl --user daemon-reload")
    return 0


def service_status(args: argparse.Namespace) -> int:
    path = unit_path(os.environ)
    print(f"unit file: {path} ({'installed' if path.exists() else 'not installed'})")
    shown = _run(["systemctl", "--user", "show", UNIT_NAME, "--property=ActiveState,UnitFileState"])
    if shown is None:
        print("systemd: not reachable here (no systemctl, or no user session); state unknown")
        return 0
    state = dict(line.split("=", 1) for line in shown.splitlines() if "=" in line)
    print(
        f"systemd: {state.get('ActiveState') or 'unknown'}, "
        f"{state.get('UnitFileState') or 'not enabled'}"
    )
    print(f"logs: journalctl --user -u {UNIT_NAME}")
    return 0


def _systemctl_all(steps: Sequence[Sequence[str]]) -> bool:
    """Run `systemctl --user` for each step in turn; False at the first that cannot be done."""
    return all(_run(["systemctl", "--user", *step]) is not None for step in steps)


def _run(command: list[str]) -> str | None:
    """The command's output; None when it is missing, hangs or fails (said on stderr)."""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=SYSTEMCTL_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"({' '.join(command)}: {error})", file=sys.stderr)
        return None
    if done.returncode == 0:
        return done.stdout.strip()
    said = (done.stderr or done.stdout).strip().splitlines()
    reason = said[-1] if said else f"exit {done.returncode}"
    print(f"({' '.join(command)}: {reason})", file=sys.stderr)
    return None
