"""What ``recital`` says when a file, a transcript or the database cannot be
used: one line naming the problem, exit status 2, never a traceback or a
password from the database URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_commands import embedded_env, recital
from tests.cli.test_users import users
from tests.support.recitations import synthesise
from tests.support.stack import free_port

TEXT = "The Lord is my shepherd; I shall not want."


def no_traceback(stderr: str) -> bool:
    return "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1


@pytest.fixture
def piece(tmp_path: Path) -> Path:
    path = tmp_path / "piece.txt"
    path.write_text(TEXT)
    return path


def test_score_names_a_missing_recording_or_a_directory(tmp_path: Path, piece: Path) -> None:
    for given, problem in ((tmp_path / "nope.wav", "no such file"), (tmp_path, "is a directory")):
        run = recital("score", str(given), "--text-file", str(piece), env=embedded_env(tmp_path))
        assert run.returncode == 2 and problem in run.stderr and no_traceback(run.stderr), run.stderr


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "empty"), (b" ... ", "no words"), (b"\xff\xfe\x00", "not UTF-8"), (None, "no such file")],
)
def test_score_refuses_a_piece_text_it_cannot_use_before_any_engine_runs(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    text = tmp_path / "piece.txt"
    if content is not None:
        text.write_bytes(content)
    transcript = tmp_path / "t.json"
    transcript.write_text(json.dumps({"words": [{"text": "the", "start": 0.1, "end": 0.3}]}))
    run = recital(
        "score", "--text-file", str(text), "--transcript-json", str(transcript), env=embedded_env(tmp_path)
    )
    assert run.returncode == 2 and problem in run.stderr and no_traceback(run.stderr), run.stderr


@pytest.mark.parametrize(
    "body",
    [
        "[1, 2]",
        "nope",
        '{"words": [{"text": "the"}]}',
        '{"words": [{"text": "a", "start": "x", "end": 1}]}',
        '{"words": [{"text": "a", "start": 2, "end": 1}]}',
    ],  # fmt: skip
)
def test_score_says_what_a_transcript_should_look_like(tmp_path: Path, piece: Path, body: str) -> None:
    transcript = tmp_path / "t.json"
    transcript.write_text(body)
    run = recital(
        "score", "--text-file", str(piece), "--transcript-json", str(transcript), env=embedded_env(tmp_path)
    )
    assert run.returncode == 2 and "not a transcript" in run.stderr and '"words"' in run.stderr
    assert no_traceback(run.stderr), run.stderr


def test_score_with_the_openai_engine_and_no_key_says_so_in_one_line(tmp_path: Path, piece: Path) -> None:
    recording = tmp_path / "take.wav"
    recording.write_bytes(b"RIFF")  # never read: the engine is refused first
    env = embedded_env(tmp_path)  # no RECITAL_OPENAI_API_KEY
    run = recital("score", str(recording), "--text-file", str(piece), "--engine", "openai", env=env)
    assert run.returncode == 2 and no_traceback(run.stderr), run.stderr
    assert run.stderr.startswith("recital score: ") and "RECITAL_OPENAI_API_KEY is not set" in run.stderr


def test_score_with_an_engine_that_cannot_be_reached_says_so_in_one_line(tmp_path: Path, piece: Path) -> None:
    recording = synthesise("The Lord is my shepherd", tmp_path / "take.wav")
    env = {**embedded_env(tmp_path), "RECITAL_OPENAI_API_KEY": "sk-not-a-real-key",
           "RECITAL_OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",  # nothing listens there
           "RECITAL_OPENAI_MAX_ATTEMPTS": "1", "RECITAL_FALLBACK_TRANSCRIBER": "none"}  # fmt: skip
    run = recital(
        "score", str(recording), "--text-file", str(piece), "--engine", "openai", env=env, timeout=120
    )
    assert run.returncode == 1 and no_traceback(run.stderr), run.stderr
    [line] = [line for line in run.stderr.splitlines() if line.startswith("recital score: ")]
    assert line.endswith("(engine_unavailable)") and "sk-not-a-real-key" not in run.stderr, run.stderr


def test_commands_on_a_database_that_is_down_or_not_set_up_say_so(tmp_path: Path) -> None:
    down = {**embedded_env(tmp_path), "RECITAL_DATABASE_URL":
            f"postgresql+psycopg://postgres:hunter2secret@127.0.0.1:{free_port()}/nothing"}  # fmt: skip
    for command in (("db", "upgrade"), ("sweep",)):
        run = recital(*command, env=down, timeout=60)
        assert run.returncode == 2 and "cannot use the database" in run.stderr, run.stderr
        assert no_traceback(run.stderr) and "hunter2secret" not in run.stderr
    empty = recital("sweep", env=embedded_env(tmp_path / "never-upgraded"), timeout=60)  # SQLite, no tables
    assert empty.returncode == 2 and "recital db upgrade" in empty.stderr and no_traceback(empty.stderr)


def test_users_without_a_terminal_asks_for_password_stdin(tmp_path: Path) -> None:
    code, _, err = users(tmp_path, "create", "bob", password="")
    assert code == 2 and "--password-stdin" in err and no_traceback(err), err


REFUSED = [
    (("--dry-run", "--retranscribe"), "cannot --retranscribe"),
    (("--dry-run", "--seed", "0"), "must be 1 to"),
    (("--dry-run", "--seed", str(2**40)), "must be 1 to"),
]


@pytest.mark.parametrize(("args", "problem"), REFUSED)
def test_rescore_refuses_what_it_would_otherwise_ignore(
    tmp_path: Path, args: tuple[str, ...], problem: str
) -> None:
    run = recital("rescore", *args, env=embedded_env(tmp_path), timeout=60)
    assert run.returncode == 2 and problem in run.stderr and "Traceback" not in run.stderr, run.stderr
