"""`heart-to-heart web` as a person starts it: where it agrees to listen, and a real server."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from skill.web_cli import is_local, read_password


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def web(db: Path, *args: str, config: Path | None = None) -> list[str]:
    settings = ["--config", str(config)] if config else []
    return [sys.executable, "-m", "intents.cli", "--db", f"sqlite:///{db}", *settings, "web", *args]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "my-computer.local"])
def test_another_address_without_a_password_is_refused(tmp_path, host):
    result = subprocess.run(
        web(tmp_path / "h.db", "--host", host, "--port", str(free_port())),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "without a password" in result.stderr and "--password-file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "h.db").exists()  # refused before anything was opened


def test_a_short_or_missing_password_file_is_refused(tmp_path):
    short = tmp_path / "short"
    short.write_text("1234\n")
    for path in (short, tmp_path / "nowhere"):
        result = subprocess.run(
            web(tmp_path / "h.db", "--host", "0.0.0.0", "--password-file", str(path)),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert str(path) in result.stderr and "Traceback" not in result.stderr


def test_loopback_addresses_are_local_and_others_are_not():
    assert all(is_local(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_local(h) for h in ("0.0.0.0", "::", "10.0.0.2", "example.org", ""))


def test_the_password_is_the_first_line_of_its_file(tmp_path):
    path = tmp_path / "password"
    path.write_text("a quiet evening\nsomething else\n")
    assert read_password(path) == "a quiet evening"


def test_with_a_password_it_listens_on_every_address_and_asks_for_it(tmp_path):
    password = tmp_path / "password"
    password.write_text("a quiet evening\n")
    config = tmp_path / "config.toml"
    config.write_text(
        'household = "jo-and-kim"\nnames = ["Jo", "Kim"]\naudience = "friends"\ncountry = "IE"\n'
    )
    port = free_port()
    server = subprocess.Popen(
        web(
            tmp_path / "h.db",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--password-file",
            str(password),
            config=config,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/", allow_redirects=False, timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert answer is not None, (
            server.stderr.read() if server.poll() is not None else "no answer"
        )
        assert answer.status_code == 303
        assert answer.headers["Location"].endswith("/login")
        visitor = requests.Session()
        login = visitor.get(f"http://127.0.0.1:{port}/login", timeout=5)
        assert login.status_code == 200 and 'type="password"' in login.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
        wrong = visitor.post(
            f"http://127.0.0.1:{port}/login", data={"password": "guess", "csrf_token": token}
        )
        assert wrong.status_code == 401
        page = visitor.post(
            f"http://127.0.0.1:{port}/login",
            data={"password": "a quiet evening", "csrf_token": token},
            timeout=30,
        )
        # The household, names, audience and country of the config file, as `chat` uses them.
        assert page.status_code == 200 and 'id="tonight-question"' in page.text
        assert ">Jo and Kim<" in page.text
        assert 'id="setting-audience">friends<' in page.text
        assert 'id="setting-country">IE<' in page.text
        assert "{other}" not in page.text
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert f":{port}/" in out
    assert "Traceback" not in err


def test_a_port_in_use_is_a_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            web(tmp_path / "h.db", "--port", str(port)),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert f"{port} is in use" in result.stderr
    assert "Traceback" not in result.stderr
