"""The heart-to-heart command: one-shot chat, a REPL, and clear errors instead of tracebacks."""

from __future__ import annotations

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
