"""Each role's pinned requirements, alone in a fresh virtual environment with
the project's wheel, run that role's processes: what an image's running stage
holds, tested without Docker.

The environments are cached by the requirements' hash (tests/support/venvs.py):
the first run builds them in a few minutes, later runs reuse them. The
project's wheel is built and installed afresh each run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import yaml

from tests.support.stack import ROOT, create_database, drop_database, redis_db_url
from tests.support.venvs import cached_venv

AUDIO_STACK = ("librosa", "pocketsphinx", "soundfile", "av", "numba", "soxr", "webrtcvad", "openai")
DEPLOY_REDIS_DB = 10

# Imports the role's entry points as its processes do, then reports which
# audio-stack packages are installed and which got imported.
PROBE = """
import importlib, importlib.util, json, sys
audio = sys.argv[1].split(",")
for module in sys.argv[2:]:
    importlib.import_module(module)
print(json.dumps({
    "installed": [m for m in audio if importlib.util.find_spec(m) is not None],
    "imported": [m for m in audio if m in sys.modules],
    "recital": importlib.import_module("shared").__file__,
}))
"""

ROLES = {
    # gunicorn's app, the migration job's command, and gunicorn itself
    "web": (
        "requirements/web.txt",
        ["web.wsgi", "cli.main", "cli.commands", "shared.db.migrate", "gunicorn.app.wsgiapp"],
    ),
    # the Celery app with its tasks, the offline and OpenAI engines, Flower
    "worker": (
        "requirements/worker.txt",
        [
            "workers.celery_app",
            "workers.tasks",
            "shared.transcription.offline",
            "shared.transcription.openai",
            "shared.audio.analysis",
            "cli.main",
            "flower",
        ],
    ),
}


@pytest.fixture(scope="module")
def project_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as the images install it: a wheel, not the source tree."""
    out = tmp_path_factory.mktemp("wheel")
    build = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        str(out),
    ]
    run = subprocess.run([*build, str(ROOT)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return next(out.glob("recital-*.whl"))


def role_env(role: str, wheel: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    bin_dir = cached_venv(f"role-{role}", ROOT / ROLES[role][0])
    install = [
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--force-reinstall",
        str(wheel),
    ]
    subprocess.run(install, check=True, capture_output=True, timeout=300)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "RECITAL_HOME": str(tmp_path / "home"),
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
        "HOME": str(tmp_path),
    }
    return bin_dir, env


def probe(role: str, wheel: Path, tmp_path: Path) -> dict[str, object]:
    bin_dir, env = role_env(role, wheel, tmp_path)
    run = subprocess.run(
        [str(bin_dir / "python"), "-c", PROBE, ",".join(AUDIO_STACK), *ROLES[role][1]],
        cwd=tmp_path,  # not the repository: the code must come from the wheel
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, (
        f"{role} cannot import its code from its own requirements:\n{run.stderr[-4000:]}"
    )
    found: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    assert str(found.pop("recital")).startswith(str(bin_dir.parent)), (
        "imported the source tree, not the wheel"
    )
    return found


@pytest.mark.timeout(1500)
def test_web_runs_from_web_requirements_without_the_audio_stack(project_wheel: Path, tmp_path: Path) -> None:
    assert probe("web", project_wheel, tmp_path) == {"installed": [], "imported": []}


@pytest.mark.timeout(1500)
def test_the_web_image_command_loads_its_config_and_app(project_wheel: Path, tmp_path: Path) -> None:
    # Dockerfile.web's CMD, from its working directory holding gunicorn.conf.py.
    bin_dir, env = role_env("web", project_wheel, tmp_path)
    shutil.copy(ROOT / "gunicorn.conf.py", tmp_path / "gunicorn.conf.py")
    cmd = json.loads(re.findall(r"^CMD (\[.*\])$", (ROOT / "Dockerfile.web").read_text(), re.M)[-1])
    assert cmd[0] == "gunicorn"
    run = subprocess.run(
        [str(bin_dir / "gunicorn"), "--check-config", *cmd[1:]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.timeout(1500)
def test_the_migration_job_runs_from_the_web_image(project_wheel: Path, tmp_path: Path) -> None:
    # Cloud Run job recital-migrate and compose's migrate: `recital db upgrade`
    # on the web image, against real PostgreSQL.
    bin_dir, env = role_env("web", project_wheel, tmp_path)
    url = create_database()
    try:
        env["RECITAL_DATABASE_URL"] = url.replace("postgresql://", "postgresql+psycopg://", 1)
        run = subprocess.run(
            [str(bin_dir / "recital"), "db", "upgrade"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        drop_database(url)


@pytest.mark.timeout(1500)
def test_worker_runs_from_worker_requirements(project_wheel: Path, tmp_path: Path) -> None:
    found = probe("worker", project_wheel, tmp_path)
    assert set(found["installed"]) == set(AUDIO_STACK), found  # type: ignore[arg-type]


@pytest.fixture
def worker_process(
    project_wheel: Path, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, str]]]:
    """`recital worker -Q recordings -c 1` from the worker environment, on real Redis."""
    bin_dir, env = role_env("worker", project_wheel, tmp_path)
    env["RECITAL_BROKER_URL"] = redis_db_url(DEPLOY_REDIS_DB)
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(bin_dir / "recital"), "worker", "-Q", "recordings", "-c", "1"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while b" ready." not in log.read_bytes():
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        yield process, env
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(60)


def healthcheck(env: dict[str, str]) -> int:
    """The worker image's HEALTHCHECK command, run as Docker would in the container."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile.worker").read_text())
    argv = json.loads(re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", text, re.M).group(1))  # type: ignore[union-attr]
    run = subprocess.run(argv, env={**env, "HOSTNAME": socket.gethostname()}, capture_output=True, timeout=60)
    return run.returncode


@pytest.mark.timeout(1500)
def test_the_worker_healthcheck_answers_for_a_live_worker_and_fails_without_one(
    worker_process: tuple[subprocess.Popen[bytes], dict[str, str]],
) -> None:
    process, env = worker_process
    assert healthcheck(env) == 0
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(60)
    assert healthcheck(env) != 0


def test_compose_and_k8s_check_workers_the_same_way() -> None:
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile.worker").read_text())
    image = json.loads(re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", text, re.M).group(1))[-1]  # type: ignore[union-attr]
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert compose["worker-recordings"]["healthcheck"]["test"][1].replace("$$", "$") == image
    for doc in yaml.safe_load_all((ROOT / "deploy" / "k8s" / "10-workers.yaml").read_text()):
        probe_command = doc["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["exec"]["command"][
            -1
        ]
        assert probe_command.endswith("exec " + image), doc["metadata"]["name"]
