"""A throwaway Recital cluster on loopback for fault tests.

Each scenario builds one :class:`Cluster`: its own ``redis-server`` (no
persistence) and PostgreSQL instance on spare ports, the schema migrated, real
``celery worker`` subprocesses (prefork pool), the real Flask app (test
client) as the front door, and the local OpenAI-compatible test server as the
transcription engine, so every call to the "paid" engine is counted.

Nothing here touches the machine's shared Postgres (5432) or Redis (6379).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import soundfile as sf

from tests.support.openai_server import API_KEY, OpenAITestServer
from tests.support.stack import free_port, require, require_tool, spawn_logged

LEARNER: dict[str, str] = {}  # the test client carries a bearer token (tests.support.auth)
PIECE_TEXT = "The Lord is my shepherd; I shall not want."
WORKER_APP = "tests.faults.worker_app:app"
RATE = 16_000

# Shortened delivery timings shared by the scenarios (each may override).
# Invariants kept: soft < hard < visibility timeout, and hard < lease, so a
# live task is never taken over by the sweeper.
BASE_KNOBS: dict[str, Any] = {
    "visibility_timeout_seconds": 60,
    "task_hard_time_limit_seconds": 8,
    "task_soft_time_limit_seconds": 7,
    "lease_seconds": 10,
    "stuck_queued_seconds": 30,
    "sweep_interval_seconds": 2,
    "max_deliveries": 3,
    "statement_timeout_ms": 10_000,
    "transcriber": "openai",
    "fallback_transcriber": "none",
    "openai_concurrency": 1,
    # One learner submits up to 200 at once here: these tests are about delivery, not limits.
    "rate_limits_enabled": False,
    "max_queued_attempts": 10_000,
}


def wait_until(check: Callable[[], bool], timeout: float, what: str, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
        return True
    except OSError:
        return False


# -- Redis ---------------------------------------------------------------------


class RedisServer:
    """``redis-server`` without persistence: a SIGKILL forgets every message."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.binary = require_tool("redis-server")
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        argv = [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.folder),
            "--protected-mode",
            "no",
        ]
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: _port_open(self.port), 10, f"redis on {self.port}")
        return self

    def kill(self) -> None:
        """SIGKILL: the broker and every message it held are gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def pause(self) -> None:
        """SIGSTOP: connections stay open but nothing answers (a hung broker)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.kill()


# -- PostgreSQL ------------------------------------------------------------------


class PostgresServer:
    """A private PostgreSQL cluster (initdb + pg_ctl). As root it runs as ``postgres``."""

    def __init__(self, port: int | None = None) -> None:
        self.initdb = require_tool("initdb")
        self.pg_ctl = require_tool("pg_ctl")
        # Its own folder under /tmp: pytest's tmp_path is private to root (0700),
        # and PostgreSQL refuses to run as root, so it runs as ``postgres`` there.
        self.folder = Path(tempfile.mkdtemp(prefix="recital-faults-pg-"))
        self.data = self.folder / "data"
        self.port = port or free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            require(shutil.which("runuser") is not None, "runuser is needed to run PostgreSQL as root")
            shutil.chown(self.folder, "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        done = subprocess.run([*prefix, *argv], capture_output=True, timeout=60)
        if check and done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed: {done.stderr.decode()[-2000:]}\n{self.log_tail()}")
        return done

    def log_tail(self) -> str:
        log = self.folder / "postgres.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def init(self) -> PostgresServer:
        self._run(
            self.initdb,
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        )
        return self

    def start(self) -> PostgresServer:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            self.pg_ctl,
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "postgres.log"),
            "-w",
            "-t",
            "30",
            "start",
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop", check=False)

    def restart(self, down_seconds: float = 0.0) -> None:
        self.stop("fast")
        time.sleep(down_seconds)
        self.start()

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


# -- Celery workers ----------------------------------------------------------------


class Worker:
    """A real ``celery worker`` (prefork) in its own process group."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        *,
        concurrency: int = 2,
        beat: bool = False,
        extra: Iterable[str] = (),
        app: str = WORKER_APP,
    ) -> None:
        self.log = log
        self.name = f"fault-{uuid.uuid4().hex[:6]}"
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app,
            "worker",
            "-Q",
            "recordings,maintenance",
            "-c",
            str(concurrency),
            "--loglevel",
            "INFO",
            "-n",
            f"{self.name}@%h",
            "--without-gossip",
            "--without-mingle",
            *extra,
        ]
        if beat:
            argv += ["--beat", "-s", str(log.with_suffix(".schedule"))]
        self._out = log.open("ab")
        self.process = spawn_logged(argv, env, self._out)

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 90) -> Worker:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.text()[-3000:]}")
            return " ready." in self.text()

        wait_until(ready, timeout, f"worker {self.name} ready")
        return self

    def children(self) -> set[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return {int(p) for p in path.read_text().split()}
        except OSError:
            return set()

    def kill_child(self, pid: int) -> bool:
        if pid not in self.children():
            return False
        os.kill(pid, signal.SIGKILL)
        return True

    def kill(self) -> None:
        """SIGKILL the main process and every child (pool, beat) at once."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self, timeout: float = 60) -> float:
        """Warm shutdown (SIGTERM to the main process); seconds it took to exit."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(10)
            raise
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            self._signal_group(signal.SIGKILL)
            self.process.wait(10)
        self._signal_group(signal.SIGKILL)  # orphans of an earlier kill of the main process
        self._out.close()

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.pid, sig)
        except ProcessLookupError:
            pass


# -- Recordings and the engine -------------------------------------------------------


@dataclass(frozen=True)
class Recordings:
    """One short flite WAV, padded with ``i`` extra samples of near-silence per copy.

    Every copy has its own sha256 (so the transcript cache never hides a
    call) and its own length in samples, which the engine's requests carry:
    ``index_of(frames)`` tells which upload a transcription call was for.
    """

    samples: npt.NDArray[np.float32]

    @classmethod
    def synthesise(cls, folder: Path, text: str = PIECE_TEXT) -> Recordings:
        flite = require_tool("flite")
        path = folder / "base.wav"
        subprocess.run([flite, "-voice", "slt", "-t", text, "-o", str(path)], check=True, timeout=60)
        samples, rate = sf.read(path, dtype="float32")
        assert rate == RATE, f"flite wrote {rate} Hz"
        return cls(samples)

    @property
    def base_frames(self) -> int:
        return len(self.samples)

    def wav(self, index: int) -> bytes:
        noise = np.random.default_rng(index).standard_normal(index) * 1e-4
        data = np.concatenate([self.samples, noise.astype(np.float32)])
        buffer = io.BytesIO()
        sf.write(buffer, data, RATE, format="WAV", subtype="PCM_16")
        return buffer.getvalue()

    def index_of(self, frames: int) -> int:
        return frames - self.base_frames


class ScriptedEngine:
    """The test server's recogniser: says the piece's words spread over the audio.

    ``stall(index, seconds)`` makes the call for one upload hang (a slow or
    dead engine for that recording only); ``release()`` wakes every stalled call.
    """

    def __init__(self, recordings: Recordings, text: str = PIECE_TEXT) -> None:
        self.recordings = recordings
        self.words = [w.strip(";,.:") for w in text.split()]
        self.stalls: dict[int, float] = {}
        self._release = threading.Event()

    def stall(self, index: int, seconds: float) -> None:
        self.stalls[index] = seconds

    def release(self) -> None:
        self._release.set()

    def __call__(self, samples: npt.NDArray[np.float32], rate: int) -> list[tuple[str, float, float]]:
        index = self.recordings.index_of(len(samples))
        if index in self.stalls:
            self._release.wait(self.stalls[index])
        duration = len(samples) / rate
        step = duration / (len(self.words) + 1)
        return [(w, (i + 0.5) * step, (i + 1.2) * step) for i, w in enumerate(self.words)]


# -- Counting ------------------------------------------------------------------------


@dataclass
class Counts:
    submitted: int
    done: int
    failed: int
    lost: int
    duplicate_scores: int
    duplicate_calls: int
    statuses: dict[str, int] = field(default_factory=dict)
    error_codes: dict[str, int] = field(default_factory=dict)

    @property
    def duplicated(self) -> int:
        return self.duplicate_scores + self.duplicate_calls

    def line(self) -> str:
        return (
            f"submitted={self.submitted} done={self.done} failed={self.failed} "
            f"lost={self.lost} duplicated={self.duplicated} "
            f"(scores={self.duplicate_scores} calls={self.duplicate_calls})"
        )


# -- The cluster ------------------------------------------------------------------


class Cluster:
    """Redis + PostgreSQL + workers + the Flask front door, for one scenario."""

    def __init__(
        self, root: Path, engine_server: OpenAITestServer, recordings: Recordings, **knobs: Any
    ) -> None:
        self.root = root
        self.server = engine_server
        self.recordings = recordings
        self.engine = ScriptedEngine(recordings)
        self.knobs = {**BASE_KNOBS, **knobs}
        self.redis = RedisServer(root / "redis")
        self.postgres = PostgresServer()
        self.workers: list[Worker] = []
        self.attempts: dict[str, int] = {}  # attempt id -> recording index
        self._next_index = 0
        self._flask: Any = None
        self.piece_id = ""

    # lifecycle

    def start(self) -> Cluster:
        from shared.db.migrate import upgrade
        from web import create_app

        self.server.reset()
        self.server.recogniser = self.engine
        self.redis.start()
        self.postgres.init().start()
        upgrade(self.settings())
        self._flask = create_app(self.settings())
        from tests.support.auth import as_learner

        self.client = as_learner(self._flask.test_client())
        self.piece_id = self._create_piece()
        return self

    def close(self) -> None:
        self.engine.release()
        for worker in self.workers:
            worker.stop()
        if self._flask is not None:
            self._flask.extensions["recital"].engine.dispose()
        self.redis.stop()
        self.postgres.remove()

    def settings(self) -> Any:
        from shared.settings import Settings

        return Settings(**self._settings_values())

    def _settings_values(self) -> dict[str, Any]:
        return {
            "home": self.root / "home",
            "database_url": self.postgres.url,
            "broker_url": self.redis.url,
            "storage_url": (self.root / "storage").as_uri(),
            "openai_api_key": API_KEY,
            "openai_base_url": self.server.base_url,
            **self.knobs,
        }

    def env(self, **extra: str) -> dict[str, str]:
        values = {f"RECITAL_{k.upper()}": str(v) for k, v in self._settings_values().items()}
        return {**values, **extra}

    def add_worker(
        self,
        *,
        beat: bool = True,
        concurrency: int = 2,
        extra: Iterable[str] = (),
        wait: bool = True,
        **env: str,
    ) -> Worker:
        log = self.root / f"worker-{len(self.workers)}.log"
        worker = Worker(self.env(**env), log, concurrency=concurrency, beat=beat, extra=extra)
        self.workers.append(worker)
        return worker.wait_ready() if wait else worker

    # the front door

    def _create_piece(self) -> str:
        response = self.client.post("/api/v1/pieces", json={"title": "Psalm", "text": PIECE_TEXT})
        assert response.status_code == 201, response.get_json()
        return str(response.get_json()["id"])

    def upload(self, index: int | None = None) -> Any:
        """POST one recording; the raw response (202 expected, 503 while the DB is down)."""
        if index is None:
            index, self._next_index = self._next_index, self._next_index + 1
        response = self.client.post(
            f"/api/v1/pieces/{self.piece_id}/attempts",
            data={"recording": (io.BytesIO(self.recordings.wav(index)), "r.wav")},
            headers=LEARNER,
            content_type="multipart/form-data",
        )
        if response.status_code == 202:
            self.attempts[str(response.get_json()["id"])] = index
        return response

    def submit(self, n: int) -> list[str]:
        ids = []
        for _ in range(n):
            response = self.upload()
            assert response.status_code == 202, response.get_json()
            ids.append(str(response.get_json()["id"]))
        return ids

    def poll(self, attempt_id: str) -> Any:
        return self.client.get(f"/api/v1/attempts/{attempt_id}", headers=LEARNER)

    # what Postgres says

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.postgres.dsn, connect_timeout=3) as conn:
            return list(conn.execute(sql, params).fetchall())

    def statuses(self) -> dict[str, str]:
        return {str(i): s for i, s in self.query("SELECT id, status FROM attempts")}

    def processing(self) -> list[tuple[str, str, int]]:
        """(attempt id, worker id, delivery) of attempts a worker holds right now."""
        return [
            (str(a), w, d)
            for a, w, d in self.query(
                "SELECT id, worker_id, delivery_count FROM attempts WHERE status = 'processing'"
            )
        ]

    def processing_ids(self) -> list[str]:
        return [attempt for attempt, _, _ in self.processing()]

    def calls_per_attempt(self) -> Counter[str]:
        by_index = {index: attempt for attempt, index in self.attempts.items()}
        calls: Counter[str] = Counter()
        for request in list(self.server.requests):
            if request.duration is None:
                continue
            index = self.recordings.index_of(round(request.duration * RATE))
            calls[by_index.get(index, f"unknown-{index}")] += 1
        return calls

    def counts(self) -> Counts:
        statuses = Counter(self.statuses().values())
        codes = dict(
            self.query("SELECT error_code, count(*) FROM attempts WHERE status = 'failed' GROUP BY 1")
        )
        (dup_scores,) = self.query(
            "SELECT count(*) - count(DISTINCT (attempt_id, scoring_version)) FROM scores"
        )[0]
        dup_calls = sum(c - 1 for c in self.calls_per_attempt().values() if c > 1)
        submitted = len(self.attempts)
        done, failed = statuses.get("done", 0), statuses.get("failed", 0)
        return Counts(
            submitted,
            done,
            failed,
            submitted - done - failed,
            int(dup_scores),
            dup_calls,
            dict(statuses),
            {str(k): int(v) for k, v in codes.items()},
        )

    def wait_final(self, timeout: float, settle: float = 0.0) -> Counts:
        """Until every submitted attempt is done or failed (or the time is up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                counts = self.counts()
            except Exception:  # the database may be restarting
                time.sleep(0.5)
                continue
            if counts.lost == 0:
                break
            time.sleep(0.5)
        time.sleep(settle)
        return self.counts()

    def sweep_once(self) -> Any:
        """Run the sweeper service once from the test process (what beat runs)."""
        from shared.container import Container
        from shared.queue import CeleryEnqueuer, build_celery
        from shared.services.sweeper import sweep

        settings = self.settings()
        deps = Container(settings)
        try:
            with deps.uow() as uow:
                return sweep(
                    uow,
                    CeleryEnqueuer(build_celery(settings, "fault-sweeper")),
                    settings.stuck_queued_seconds,
                    settings.max_deliveries,
                )
        finally:
            deps.engine.dispose()

    def worker_logs(self) -> str:
        return "\n".join(w.text() for w in self.workers)


# Fixture types the scenarios annotate with (see conftest.py).
MakeCluster = Callable[..., Cluster]
Report = Callable[..., None]


# -- Fault helpers ----------------------------------------------------------------


def engine_latency(cluster: Cluster, seconds_per_call: float) -> None:
    """Make every transcription call take about this long (tasks stay in flight)."""
    duration = cluster.recordings.base_frames / RATE
    cluster.server.latency_per_audio_second = seconds_per_call / duration


def wait_done(cluster: Cluster, at_least: int, timeout: float) -> None:
    def enough() -> bool:
        return Counter(cluster.statuses().values()).get("done", 0) >= at_least

    wait_until(enough, timeout, f"{at_least} attempts done")


def child_pid(worker_id: str) -> int:
    return int(worker_id.rsplit(":", 1)[1])


def kill_children_mid_task(
    cluster: Cluster, worker: Worker, kills: int, timeout: float, spacing: float = 0.5
) -> list[str]:
    """``kill -9`` pool children while they hold an attempt; the attempts hit.

    Only first deliveries are targeted (so no attempt is pushed to the
    delivery limit), and a kill counts only if, after the process is gone,
    its attempt is still ``processing`` under that process's id: the task
    was interrupted mid-way, not after it committed.
    """
    victims: list[str] = []
    deadline = time.monotonic() + timeout
    while len(victims) < kills and time.monotonic() < deadline:
        for attempt, worker_id, delivery in cluster.processing():
            if delivery != 1 or attempt in victims or not worker.kill_child(child_pid(worker_id)):
                continue
            time.sleep(0.05)
            row = cluster.query("SELECT status, worker_id FROM attempts WHERE id = %s", attempt)
            if row == [("processing", worker_id)]:
                victims.append(attempt)
                time.sleep(spacing)
            break
        else:
            time.sleep(0.02)
    return victims
