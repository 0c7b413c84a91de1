"""Fuzzing the decoder (issue 19): 1,190 mutated WAV/FLAC/OGG/MP3/WebM/ADTS AAC files.

Each file is decoded in a child process (so a crash of a C library shows as a
dead child rather than killing pytest) with a 30 s watchdog; the child's peak
memory is its own high-water mark (VmHWM; see tests/support/fuzz_decode.py).
Every file must end with a result or a specific ``AudioError`` code: 0 crashes,
0 hangs, no file over 30 s, peak < 1 GB.
The counts are printed (``pytest -s``) for the issue's note.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.support.fuzz import SEEDS, make_mutants, make_seeds
from tests.support.stack import ROOT

FILES = 170 * len(SEEDS)
PER_FILE_SECONDS = 30.0
PEAK_LIMIT_MB = 1024
CODES = {
    "corrupt_audio",
    "no_audio_track",
    "empty_audio",
    "too_long",
    "too_many_channels",
    "sample_rate_too_high",
    "sample_rate_too_low",
    "implausible_header",
}


class Run:
    def __init__(self) -> None:
        self.results: dict[int, dict[str, Any]] = {}
        self.crashes: list[tuple[int, str]] = []
        self.peaks_mb: list[float] = []


def _lines(process: subprocess.Popen[str], out: queue.Queue[str | None]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        out.put(line)
    out.put(None)


def _child(listing: Path, first: int, run: Run) -> int | None:
    """Run one child from ``first``; the index it died or hung on, or None when it finished."""
    argv = [sys.executable, "-m", "tests.support.fuzz_decode", str(listing), str(first)]
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(process, lines), daemon=True).start()
    current: int | None = None
    while True:
        try:
            line = lines.get(timeout=PER_FILE_SECONDS + 10)
        except queue.Empty:
            process.kill()
            process.wait()
            run.crashes.append((current if current is not None else first, "hung"))
            return current
        if line is None:
            break
        if line.startswith("start "):
            current = int(line.split()[1])
            continue
        record = json.loads(line)
        if "peak_mb" in record:
            run.peaks_mb.append(record["peak_mb"])
        else:
            run.results[record["index"]] = record
            current = None
    if process.wait() != 0 or current is not None:
        run.crashes.append((current if current is not None else first, f"exit {process.returncode}"))
        return current
    return None


@pytest.fixture(scope="module")
def fuzz_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, list[tuple[Path, str]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    mutants = make_mutants(make_seeds(folder), folder, FILES)
    listing = folder / "files.tsv"
    listing.write_text("".join(f"{path}\t{fmt}\n" for path, fmt in mutants))
    run, first = Run(), 0
    while (stopped := _child(listing, first, run)) is not None:
        first = stopped + 1  # carry on after the file that killed the child
    return run, mutants


def test_every_mutated_file_ends_with_a_result_or_a_specific_code(
    fuzz_run: tuple[Run, list[tuple[Path, str]]],
) -> None:
    run, mutants = fuzz_run
    outcomes = Counter(r["outcome"].split(":")[0] for r in run.results.values())
    slowest = max(r["seconds"] for r in run.results.values())
    by_format = Counter(fmt for _, fmt in mutants)
    print(
        f"\nfuzz: {len(mutants)} files {dict(by_format)}; crashes {len(run.crashes)}; "
        f"outcomes {dict(outcomes)}; sniffed {sum(r['sniffed'] for r in run.results.values())}; "
        f"max {slowest:.2f} s per file; peak {max(run.peaks_mb, default=0):.0f} MB"
    )
    assert run.crashes == []
    assert len(run.results) == len(mutants) >= 1000
    unexpected = {
        mutants[i][0].name: r["outcome"]
        for i, r in run.results.items()
        if r["outcome"].split(":")[0] not in CODES | {"ok"}
    }
    assert unexpected == {}
    assert slowest < PER_FILE_SECONDS
    assert max(run.peaks_mb) < PEAK_LIMIT_MB


def test_the_fuzz_reaches_past_the_header(fuzz_run: tuple[Run, list[tuple[Path, str]]]) -> None:
    # A fuzz where every file fails at the first byte proves little: many must
    # still sniff, and many must decode (mutations deep in the audio data).
    run, _ = fuzz_run
    outcomes = Counter(r["outcome"].split(":")[0] for r in run.results.values())
    assert sum(r["sniffed"] for r in run.results.values()) > len(run.results) // 2
    assert outcomes["ok"] > len(run.results) // 4 and outcomes["corrupt_audio"] > 0
