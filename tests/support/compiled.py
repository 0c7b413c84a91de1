"""The scoring code as the worker image runs it: ``shared.domain`` compiled
with mypyc (``setup.py`` with RECITAL_COMPILE=1), installed into a folder of
its own so that it can be put ahead of the source on ``PYTHONPATH``.

Built once per content of the sources (about 40 s on two cores) under
``.recital/compiled/``; the tests and the bench share the build.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from tests.support.stack import ROOT

BUILDS = ROOT / ".recital" / "compiled"
PACKAGES = ("shared", "web", "workers", "cli")  # what the project installs


def compiled_tree() -> Path:
    """A folder holding the whole project with ``shared.domain`` compiled."""
    target = BUILDS / _fingerprint()
    if (target / "shared" / "domain").is_dir():
        return target
    shutil.rmtree(BUILDS, ignore_errors=True)  # older builds: their sources are gone
    # pip builds in the checkout's build/ folder, whose build/lib would keep
    # the copy of a module since deleted, and ship it.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    staging = BUILDS / "staging"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--target", str(staging), str(ROOT)],
        env={**os.environ, "RECITAL_COMPILE": "1"},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"compiling shared.domain failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    staging.rename(target)
    return target


def run_python(
    args: list[str], tree: Path | None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` importing ``shared`` from ``tree`` (None: the source), output captured.

    ``python -c`` and ``python -m`` put the working folder first on sys.path,
    ahead of PYTHONPATH, so the process runs in ``tree`` itself.
    """
    paths = [str(ROOT)] if tree is None else [str(tree), str(ROOT)]
    return subprocess.run(
        [sys.executable, *args],
        cwd=tree or ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{sys.version}|mypy {metadata.version('mypy')}".encode())
    # Every installed source, not only shared.domain's: the folder holds a copy
    # of the whole project, and a process run in it imports all of it from there.
    sources = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    for path in sorted(sources) + [ROOT / "setup.py", ROOT / "pyproject.toml"]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


PIECES = (
    "The Lord is my shepherd; I shall not want.\n"
    "He maketh me to lie down in green pastures:\n"
    "he leadeth me beside the still waters.",
    "On the 4th of July 1776, 56 men signed it. By 1863, at 3:30 in the afternoon, "
    "1,000 soldiers had marched 21 miles for $5 a day.",
    "'Tis the well-known tale; ne'er was a story of more woe\n"
    "than this of Juliet and her Romeo, at nine o'clock in defence of honour.",
)
_SPOKEN_EXTRA = "um uh the a weary tired and 1863 eighteen sixty three shepherd o'clock".split()


def sample_results(count: int, seed: int) -> list[dict[str, Any]]:
    """Results of scoring ``count`` random recitations (slips, skips, repeats,
    fillers, numbers read out, pauses), as the contract's dicts."""
    return [scored.to_dict() for scored in sample_scored(count, seed)]


def sample_scored(count: int, seed: int) -> list[Any]:
    """The ``ScoredAttempt``s of ``sample_results``."""
    from shared.domain.scoring import ScoringOptions, score_recitation
    from shared.domain.transcript import SpokenWord, Transcript

    rng = random.Random(seed)
    results = []
    for _ in range(count):
        piece = rng.choice(PIECES) * rng.randint(1, 4)
        said = _recite(piece.split(), rng)
        words, t = [], 0.3
        for word in said:
            t += rng.choice((0.05, 0.05, 0.05, 0.4, 1.3, 3.4))
            words.append(SpokenWord(word, round(t, 3), round(t + 0.3, 3)))
            t += 0.3
        transcript = Transcript.of(words, "sample", "sample")
        options = ScoringOptions(hesitation_seconds=rng.choice((0.5, 1.0)))
        results.append(score_recitation(piece, transcript, options))
    return results


def _recite(reference: list[str], rng: random.Random) -> list[str]:
    said: list[str] = []
    for word in reference:
        roll = rng.random()
        if roll < 0.05:
            continue  # omitted
        if roll < 0.10:
            said.append(rng.choice(_SPOKEN_EXTRA))  # substituted
        elif roll < 0.14:
            said += [rng.choice(_SPOKEN_EXTRA), word]  # a slip, then the word
        elif roll < 0.17:
            said += [word, word]  # repeated
        else:
            said.append(word.strip(",.;:").lower() if roll < 0.6 else word)
    return said
