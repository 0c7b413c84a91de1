"""librosa's kernels compiled before a fork: the pool's processes compile nothing.

Runs in a fresh interpreter with an empty numba cache, as a new worker
container starts: the parent compiles, then two forked children analyse a
recording and compare two stretches (every kernel the pipeline uses) at the
same moment. A child that compiled would write the cache; none may.

A child stuck for minutes prints its stack (faulthandler) and the parent
gives up waiting, so a hang fails with a trace instead of a bare timeout.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import faulthandler, multiprocessing, os, sys
from pathlib import Path
import numpy as np
from shared.audio.analysis import analyse, voiced_pitch
from shared.audio.types import TARGET_RATE, DecodedAudio
from shared.kernels import compile_audio_kernels
from shared.transcription.offline.second_look.copies import sound_distance

def cache():
    files = Path(os.environ["NUMBA_CACHE_DIR"]).rglob("*")
    return {str(p): p.stat().st_mtime_ns for p in files if p.is_file()}

def work(seed):
    faulthandler.dump_traceback_later(150, exit=True)
    rng = np.random.default_rng(seed)
    t = np.arange(3 * TARGET_RATE) / TARGET_RATE
    hum = 0.2 * np.sin(2 * np.pi * (120 + 40 * seed) * t)
    voice = (hum + 0.01 * rng.standard_normal(len(t))).astype(np.float32)
    analyse(DecodedAudio(voice, "wav", TARGET_RATE, 1))
    return len(voiced_pitch(voice)), sound_distance(voice, (0.0, 1.0), (1.5, 2.5))

if __name__ == "__main__":
    warm = sys.argv[1] == "warm"
    if warm:
        compile_audio_kernels()
    before = cache()
    children = 2 if warm else 1
    with multiprocessing.get_context("fork").Pool(children) as pool:
        results = pool.map_async(work, range(children), chunksize=1).get(timeout=200)
    print(results)
    print("written by the children:", sorted(set(cache().items()) - set(before.items())))
"""


def run(tmp_path: Path, mode: str) -> str:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba"), "PYTHONPATH": os.getcwd()}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_forked_children_compile_nothing_after_the_parent_compiled(tmp_path: Path) -> None:
    out = run(tmp_path, "warm")
    assert "written by the children: []" in out
    pitches, distances = zip(*ast.literal_eval(out.splitlines()[0]), strict=True)
    assert min(pitches) > 0 and None not in distances  # both children ran every kernel


def test_without_the_parent_compiling_the_children_write_the_cache(tmp_path: Path) -> None:
    # The check above can fail: a child left to itself compiles. One child is
    # enough to show it, and two racing to compile the same cold cache once
    # outlived the 300 s limit on CI.
    out = run(tmp_path, "cold")
    assert "written by the children: []" not in out
