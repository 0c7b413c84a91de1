"""Fresh virtual environments built from a requirements file, cached by its hash.

The deploy tests install each role's requirements (and checkov's) into an
environment of their own, the way an image does. Building one takes minutes;
reusing it while the requirements are unchanged takes nothing, so each is kept
under ``~/.cache/recital/venvs/<name>-<hash>`` (``RECITAL_VENV_CACHE`` moves
it) and rebuilt only when a requirements file it reads changes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

CACHE = Path(os.environ.get("RECITAL_VENV_CACHE", Path.home() / ".cache" / "recital" / "venvs"))
COMPLETE = ".complete"


def requirement_files(path: Path) -> list[Path]:
    """The file and every file it includes with ``-r``, in order."""
    files = [path]
    for line in path.read_text().splitlines():
        match = re.match(r"-r\s+(\S+)", line.strip())
        if match:
            files += requirement_files(path.parent / match.group(1))
    return files


def fingerprint(requirements: Path) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for path in requirement_files(requirements):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cached_venv(name: str, requirements: Path, timeout: float = 1200) -> Path:
    """The bin folder of an environment with exactly ``requirements`` installed."""
    home = CACHE / f"{name}-{fingerprint(requirements)}"
    CACHE.mkdir(parents=True, exist_ok=True)
    # Two test processes may want the same environment: one builds, one waits.
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / COMPLETE).exists():
            _build(home, requirements, timeout)
        _drop_stale(name, keep=home)
    return home / "bin"


def _build(home: Path, requirements: Path, timeout: float) -> None:
    shutil.rmtree(home, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, timeout=120)
    pip = [str(home / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run = subprocess.run([*pip, "-r", str(requirements)], capture_output=True, text=True, timeout=timeout)
    if run.returncode != 0:
        raise RuntimeError(
            f"pip install -r {requirements} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
        )
    (home / COMPLETE).write_text(requirements.read_text())


def _drop_stale(name: str, keep: Path) -> None:
    """Environments for older versions of the same requirements."""
    for other in CACHE.glob(f"{name}-*"):
        if other != keep and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
