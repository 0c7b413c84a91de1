"""Each role's pinned requirements, alone in a fresh virtual environment, run
that role's code: what the image's running stage will hold, without Docker.

The environments are cached by the requirements' hash (tests/support/venvs.py):
the first run builds them in a few minutes, later runs reuse them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.stack import ROOT
from tests.support.venvs import cached_venv

AUDIO_STACK = ("librosa", "pocketsphinx", "soundfile", "av", "numba", "soxr", "webrtcvad", "openai")

# Imports the role's entry points exactly as its processes do, then reports
# which audio-stack packages are installed and which got imported.
PROBE = """
import importlib, importlib.util, json, sys
audio = sys.argv[1].split(",")
for module in sys.argv[2:]:
    importlib.import_module(module)
print(json.dumps({
    "installed": [m for m in audio if importlib.util.find_spec(m) is not None],
    "imported": [m for m in audio if m in sys.modules],
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
            "shared.transcription.openai_engine",
            "shared.audio.analysis",
            "cli.main",
            "flower",
        ],
    ),
}


def probe(role: str, tmp_path: Path) -> dict[str, list[str]]:
    import json

    requirements, modules = ROLES[role]
    bin_dir = cached_venv(f"role-{role}", ROOT / requirements)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),  # the source tree stands in for the image's wheel
        "RECITAL_HOME": str(tmp_path / "home"),
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
        "HOME": str(tmp_path),
    }
    run = subprocess.run(
        [str(bin_dir / "python"), "-c", PROBE, ",".join(AUDIO_STACK), *modules],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, (
        f"{role} cannot import its code from its own requirements:\n{run.stderr[-4000:]}"
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.timeout(1500)
def test_web_runs_from_web_requirements_without_the_audio_stack(tmp_path: Path) -> None:
    found = probe("web", tmp_path)
    assert found == {"installed": [], "imported": []}, found


@pytest.mark.timeout(1500)
def test_worker_runs_from_worker_requirements(tmp_path: Path) -> None:
    found = probe("worker", tmp_path)
    assert set(found["installed"]) == set(AUDIO_STACK), found


def test_role_modules_exist() -> None:
    # A renamed module must fail here, not only in the slow environments above.
    for _, modules in ROLES.values():
        for module in modules:
            path = ROOT / (module.replace(".", "/") + ".py")
            assert path.exists() or module.split(".")[0] in {"gunicorn", "flower"}, module
    assert os.path.exists(ROOT / "requirements" / "web.txt")
