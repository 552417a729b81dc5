"""The heart-to-heart command: one-shot chat, a REPL, and clear errors instead of tracebacks."""

from __future__ import annotations

import subprocess
import sys

from intents.cli import main
from tests.command import heart_to_heart


def test_chat_once_answers_and_exits(tmp_path, capsys):
    code = main(
        ["--db", f"sqlite:///{tmp_path / 'h.db'}", "chat", "--once", "what's tonight's question"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "?" in out and "tonight" in out.lower()


def test_a_bad_database_url_is_a_message_not_a_traceback(capsys):
    code = main(["--db", "notadb://", "chat", "--once", "hello"])
    err = capsys.readouterr().err
    assert code != 0
    assert "database" in err.lower() and "Traceback" not in err


def test_an_unwritable_database_is_a_message_not_a_traceback(capsys):
    code = main(["--db", "sqlite:////proc/no/such/place/h.db", "chat", "--once", "hello"])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err


def test_the_console_script_runs_a_conversation_from_stdin(tmp_path):
    result = heart_to_heart(
        tmp_path / "h.db",
        "chat",
        "--household",
        "sam-and-alex",
        stdin="what's tonight's question\nlet's check in\nfour\nskip\nstop\n",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Goodnight" in result.stdout or "evening" in result.stdout
    assert "one to five" in result.stdout
    assert "Traceback" not in result.stderr


def test_with_v_an_unexpected_error_shows_its_traceback(tmp_path):
    quiet = heart_to_heart(tmp_path / "h.db", "chat", "--once", "hi")  # a working baseline
    assert quiet.returncode == 0
    loud = subprocess.run(
        [sys.executable, "-m", "intents.cli", "-v", "--db", "notadb://", "chat", "--once", "hi"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert loud.returncode != 0
    assert "Traceback" in loud.stderr and "database URL is not valid" in loud.stderr
    plain = subprocess.run(
        [sys.executable, "-m", "intents.cli", "--db", "notadb://", "chat", "--once", "hi"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in plain.stderr and "-v" in plain.stderr


BLOCK_FLASK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "flask" or name.startswith("flask."):
            raise ImportError("No module named 'flask'")
sys.meta_path.insert(0, Block())
import subprocess
import sys

from intents.cli import main
sys.exit(main(["serve"]))
"""


def test_a_front_end_that_cannot_load_says_why_instead_of_vanishing():
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_FLASK],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert "`serve` cannot start" in result.stderr and "heart-to-heart[alexa]" in result.stderr
    assert "invalid choice" not in result.stderr


CORE_ALONE = """
import importlib, pkgutil, sys
import intents
for module in pkgutil.walk_packages(intents.__path__, "intents."):
    if ".alembic" not in module.name:
        importlib.import_module(module.name)
edges = ("skill", "local_voice", "flask", "ask_sdk_core", "vosk", "pyttsx3", "sounddevice")
print(sorted(m for m in sys.modules if m.split(".")[0] in edges))
from intents.cli import build_parser
build_parser()  # front ends register their commands through entry points, loading no library
print(sorted(m for m in sys.modules if m.split(".")[0] in edges[2:]))
"""


def test_the_core_imports_no_front_end_and_listing_commands_loads_no_front_end_library():
    result = subprocess.run(
        [sys.executable, "-c", CORE_ALONE], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split("\n")[:2] == ["[]", "[]"]


HANDLERS_ALONE = """
import sys
import intents.handlers
print("intents.conversation" in sys.modules)
"""


def test_handlers_do_not_import_the_conversation_that_calls_them():
    result = subprocess.run(
        [sys.executable, "-c", HANDLERS_ALONE],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"
