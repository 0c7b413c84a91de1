"""The ``recital`` command as a user runs it: real subprocesses, real files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from shared.settings import Settings
from tests.conftest import settings_env
from tests.support.auth import bearer, http_sign_up_token
from tests.support.recitations import synthesise
from tests.support.stack import CeleryWorker, free_port

SAMPLES = Path(__file__).resolve().parents[2] / "cli" / "samples"


def recital(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env or embedded_env(Path("/nonexistent")),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def embedded_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECITAL_")}
    env["RECITAL_HOME"] = str(home)
    return env


def test_demo_prints_a_scored_result(tmp_path: Path) -> None:
    run = recital("demo", env=embedded_env(tmp_path / "demo"))
    assert run.returncode == 0, run.stderr[-3000:]
    assert ": done" in run.stdout and "accuracy" in run.stdout, run.stdout
    assert "civil" in run.stdout and "hesitation" in run.stdout, run.stdout
    # The sample's two deliberate mistakes, and no false alarm: its "war" was
    # shown "war→are ✗" (W AO R in the dictionary, said W AA R).
    assert "civil–" in run.stdout and "endure→remain✗" in run.stdout, run.stdout
    marked = "\n".join(line for line in run.stdout.splitlines() if not line.startswith("key:"))
    assert marked.count("✗") == 1 and "war→" not in run.stdout, run.stdout  # the key shows every mark
    assert "Warning" not in run.stderr, run.stderr  # a fresh home's migrations say nothing to act on


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    run = recital("db", "upgrade", env=embedded_env(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("database upgraded from empty to "), run.stdout
    again = recital("db", "upgrade", env=embedded_env(tmp_path))
    assert again.stdout.startswith("database already at the latest revision ("), again.stdout
    import sqlite3

    tables = {
        r[0] for r in sqlite3.connect(tmp_path / "recital.db").execute("select name from sqlite_master")
    }
    assert {
        "users",
        "web_sessions",
        "api_tokens",
        "pieces",
        "attempts",
        "transcripts",
        "analyses",
        "scores",
    } <= tables


def test_score_json_from_a_transcript(tmp_path: Path) -> None:
    text = tmp_path / "piece.txt"
    text.write_text("The Lord is my shepherd; I shall not want.")
    words = [
        ("the", 0.0, 0.2),
        ("lord", 0.2, 0.5),
        ("is", 0.5, 0.6),
        ("my", 0.6, 0.8),
        ("shepherd", 2.5, 3.0),
        ("i", 3.0, 3.1),
        ("shall", 3.1, 3.4),
        ("want", 3.4, 3.8),
    ]
    given = tmp_path / "t.json"
    given.write_text(json.dumps({"words": [{"text": w, "start": s, "end": e} for w, s, e in words]}))
    run = recital(
        "score",
        "--transcript-json",
        str(given),
        "--text-file",
        str(text),
        "--json",
        env=embedded_env(tmp_path),
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    statuses = [(w["expected"], w["status"]) for w in result["words"]]
    assert ("not", "omitted") in statuses and ("shepherd", "correct") in statuses, statuses
    assert result["hesitations"] and result["hesitations"][0]["before_word"] == 4
    assert set(result["scores"]) == {"accuracy", "completeness", "fluency", "overall", "wpm", "wcpm"}


def test_score_audio_with_the_offline_engine(tmp_path: Path) -> None:
    text = tmp_path / "piece.txt"
    text.write_text(
        "Four score and seven years ago our fathers brought forth on this continent a new nation."
    )
    audio = synthesise(
        "Four score and seven years ago our fathers brought forth a new nation.", tmp_path / "a.wav"
    )
    run = recital("score", str(audio), "--text-file", str(text), "--json", env=embedded_env(tmp_path))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    omitted = [w["expected"] for w in result["words"] if w["status"] == "omitted"]
    assert result["engine"] == "offline" and result["scores"]["accuracy"] < 90
    assert {"continent", "this"} & {w.strip(".,").lower() for w in omitted}, result["words"]


def test_score_shows_the_quality_warnings_a_learner_would_get(tmp_path: Path) -> None:
    import numpy as np
    import soundfile as sf

    text = tmp_path / "piece.txt"
    text.write_text("The Lord is my shepherd; I shall not want.")
    samples, rate = sf.read(synthesise(text.read_text(), tmp_path / "loud.wav"), dtype="float32")
    voiced = samples[np.abs(samples) > 0.01]
    level = 20 * np.log10(np.sqrt(np.mean(voiced**2)))
    quiet = tmp_path / "quiet.wav"  # speech near -47 dBFS: under the -40 warning, over the -55 refusal
    sf.write(quiet, samples * 10 ** ((-47 - level) / 20), rate)
    run = recital("score", str(quiet), "--text-file", str(text), "--json", env=embedded_env(tmp_path))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["warnings"] == ["quiet"]


def test_warnings_are_shown_as_the_sentences_a_learner_reads() -> None:
    from rich.console import Console

    from cli.render import print_warnings

    console = Console(record=True, width=200)
    print_warnings(("quiet", "noisy"), console)
    shown = console.export_text()
    assert "warning quiet" in shown and "closer to the microphone" in shown and "background noise" in shown


def test_score_rejects_a_non_audio_file(tmp_path: Path) -> None:
    text = tmp_path / "piece.txt"
    text.write_text("words")
    run = recital("score", str(text), "--text-file", str(text), env=embedded_env(tmp_path))
    assert (
        run.returncode == 1
        and run.stderr.startswith("recital score: ")
        and "(unsupported_format)" in run.stderr
    )
    as_json = recital("score", str(text), "--text-file", str(text), "--json", env=embedded_env(tmp_path))
    assert json.loads(as_json.stderr.splitlines()[-1])["error"]["code"] == "unsupported_format"
    neither = recital("score", "--text-file", str(text), env=embedded_env(tmp_path))
    assert (neither.returncode, neither.stderr.strip()) == (
        2,
        "recital score: give a recording, or --transcript-json",
    )


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    text = tmp_path / "piece.txt"
    text.write_text(" ".join(["The Lord is my shepherd."] * 800))  # a result far larger than a pipe holds
    transcript = tmp_path / "heard.json"
    transcript.write_text(json.dumps({"words": [{"text": "the", "start": 0.0, "end": 0.3}]}))
    command = [sys.executable, "-m", "cli.main", "score", "--text-file", str(text), "--transcript-json",
               str(transcript), "--json"]  # fmt: skip
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run(command, stdout=reader.stdin, stderr=subprocess.PIPE, text=True,
                            env=embedded_env(tmp_path), timeout=120)  # fmt: skip
    reader.communicate()
    assert "Traceback" not in writer.stderr and "BrokenPipe" not in writer.stderr, writer.stderr


def test_worker_refuses_a_queue_nothing_sends_to(tmp_path: Path) -> None:
    run = recital("worker", "-Q", "recordings,recording", env=embedded_env(tmp_path), timeout=60)
    assert run.returncode == 2 and "recording: the queues are recordings, rescore, maintenance" in run.stderr


def test_worker_refuses_the_in_process_broker(tmp_path: Path) -> None:
    run = recital("worker", env=embedded_env(tmp_path), timeout=60)
    assert run.returncode == 2 and "RECITAL_BROKER_URL" in run.stderr


def test_worker_refuses_the_openai_engine_without_its_key(tmp_path: Path) -> None:
    # It started, and every recording then failed "RECITAL_OPENAI_API_KEY is not set".
    # The settings refuse it now, in every process, naming the variable.
    env = {
        **embedded_env(tmp_path),
        "RECITAL_BROKER_URL": "redis://127.0.0.1:1/0",
        "RECITAL_TRANSCRIBER": "openai",
    }
    run = recital("worker", "-Q", "recordings", env=env, timeout=60)
    assert run.returncode == 2 and "RECITAL_OPENAI_API_KEY" in run.stderr and "Traceback" not in run.stderr


def test_serve_accepts_and_scores_an_upload(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
        env=embedded_env(tmp_path / "srv"),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "serve.log").open("w"),
        # Ctrl-C as a terminal sends it: a shell's background job would inherit it ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    engines: list[int] = []
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        wait_http(f"http://127.0.0.1:{port}/health/")
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health/?q=findme-in-the-log", timeout=5).close()
        token = http_sign_up_token(base, "cli-test")
        piece = post_json(
            f"{base}/pieces", {"title": "G", "text": (SAMPLES / "gettysburg.txt").read_text()}, token
        )
        attempt = upload(
            f"{base}/pieces/{piece['id']}/attempts", SAMPLES / "gettysburg_recitation.flac", token
        )
        result = poll(f"{base}/attempts/{attempt['id']}", token)
        assert result["status"] == "done" and result["result"]["scores"]["accuracy"] > 80, result
        engines = [
            pid for pid in children(server.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(engines) == 1  # it heard the recording in a child process: pages did not wait on it
        server.send_signal(signal.SIGINT)  # Ctrl-C
        assert server.wait(30) == 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(20)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in engines) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in engines)  # no orphan keeps the engine
    logged = (tmp_path / "serve.log").read_text()
    assert "Running on http://127.0.0.1" in logged and "findme-in-the-log" not in logged  # no query strings
    assert (
        "stopping: a recording being scored, if any, is finished first" in logged
        and "Traceback" not in logged
    )


def children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:  # gone meanwhile
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer")


def post_json(url: str, body: dict[str, str], token: str) -> dict[str, str]:
    headers = {"Content-Type": "application/json", **bearer(token)}
    request = urllib.request.Request(url, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(request) as response:
        return dict(json.loads(response.read()))


def upload(url: str, path: Path, token: str) -> dict[str, str]:
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="recording"; filename="x"\r\n\r\n'.encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}", **bearer(token)}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 202
        return dict(json.loads(response.read()))


def poll(url: str, token: str, timeout: float = 120) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = urllib.request.Request(url, headers=bearer(token))
        with urllib.request.urlopen(request) as response:
            body = json.loads(response.read())
        if body["status"] in ("done", "failed"):
            return dict(body)
        time.sleep(0.3)
    pytest.fail("attempt did not finish")


def test_worker_refuses_a_niceness_out_of_range(tmp_path: Path) -> None:
    run = recital("worker", "--nice", "20", env=embedded_env(tmp_path), timeout=60)
    assert run.returncode == 2 and "--nice" in run.stderr and "invalid choice" in run.stderr, run.stderr


def test_the_worker_imports_the_installed_package_not_a_same_named_one_in_the_cwd(tmp_path: Path) -> None:
    # A worker started from a source tree must run the installed (mypyc-compiled) package.
    shadow = tmp_path / "cwd" / "workers"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise SystemExit('imported workers from the cwd')\n")
    env = {**embedded_env(tmp_path / "home"), "RECITAL_BROKER_URL": "redis://127.0.0.1:1/0"}
    argv = [sys.executable, "-m", "cli.main", "worker", "-Q", "maintenance"]  # no broker: it takes nothing
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(argv, cwd=shadow.parent, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while worker.poll() is None and "[queues]" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, 9)
            worker.wait(20)
    text = log.read_text()
    assert "[queues]" in text and "from the cwd" not in text, text[-3000:]


def test_a_niced_worker_and_its_pool_run_at_the_lower_priority(
    stack_settings: Settings, tmp_path: Path
) -> None:
    worker = CeleryWorker(
        settings_env(stack_settings), tmp_path / "w.log", queues="rescore", extra=("--nice", "7")
    )
    try:
        worker.wait_ready()
        group = _process_group(worker.process.pid)
        assert len(group) >= 2, group  # celery's main process and its pool child
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in group} == {min(ours + 7, 19)}
    finally:
        worker.stop()


def _process_group(pgid: int) -> list[int]:
    group = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == pgid:  # after the name: state, ppid, pgrp
            group.append(int(stat.parent.name))
    return group
