"""Decode fuzzed files in a child process: ``python -m tests.support.fuzz_decode LIST``.

LIST holds one ``path<TAB>format`` per line. For each file the child prints
``start <index>`` before decoding and one JSON line after, so the parent can
tell a crash (the child died) from an error; the last line reports the
child's peak memory: ``VmHWM`` of its own address space, not ``ru_maxrss``,
which Linux carries over ``execve`` from the forked copy of the parent (under a
long pytest session that read 1 GB before this child decoded a byte).
"""

from __future__ import annotations

import json
import sys
import time

from shared.audio.decode import decode_file
from shared.audio.sniff import SNIFF_BYTES, sniff_format
from shared.audio.types import AudioError


def decode_one(path: str, seed_format: str) -> dict[str, object]:
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    try:
        fmt, sniffed = sniff_format(head), True
    except AudioError:  # the front door answers 415; still try the decoder on it
        fmt, sniffed = seed_format, False
    started = time.perf_counter()
    try:
        audio = decode_file(path, fmt)
        outcome = f"ok:{audio.duration:.2f}s"
    except AudioError as exc:
        outcome = exc.code
    except Exception as exc:  # noqa: BLE001 - what the fuzz is looking for
        outcome = f"crash:{exc.__class__.__name__}:{exc}"
    return {"sniffed": sniffed, "outcome": outcome, "seconds": time.perf_counter() - started}


def main(listing: str, first: int) -> None:
    with open(listing) as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if line.strip()]
    for index in range(first, len(rows)):
        print(f"start {index}", flush=True)
        print(json.dumps({"index": index, **decode_one(*rows[index])}), flush=True)
    print(json.dumps({"peak_mb": peak_kb() / 1024}), flush=True)


def peak_kb() -> int:
    """The high-water mark of resident memory since this program started (kB)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
