"""The recognition folder's floor plan: its files and lines, and the files one
recording visits on its way through the offline engine.

    NUMBA_CACHE_DIR=/tmp/numba .venv/bin/python scripts/floor_plan.py [--package shared/transcription]

A fixed flite recording (a filler, a repeated word and a sound-alike spot
against a short psalm) is transcribed once with the piece after a warm-up
run; ``sys.setprofile`` counts every entry into a file of the package from
another file (a call crossing a file boundary). Fewer files and entries mean
less to read when following one recording (issue #18's figures).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PIECE = "He restoreth my soul. Let us strive on to finish the work we are in."
SAID = "He restoreth my sell. Let us strive on to to finish, uh, the work we are, uh, in."


def count_lines(package: Path) -> tuple[int, int]:
    """Python files under ``package`` and their lines."""
    files = sorted(package.rglob("*.py"))
    return len(files), sum(len(f.read_text().splitlines()) for f in files)


def entries(package: Path) -> Counter[tuple[str, str]]:
    """Cross-file entries into the package while one recording is transcribed,
    by (calling file, called file); a caller outside the package is "-"."""
    sys.path.insert(0, str(package.resolve().parents[1]))  # the tree that holds the package
    from shared.audio.decode import decode_file
    from shared.settings import Settings
    from shared.transcription.factory import build_transcriber

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "said.wav"
        subprocess.run(["flite", "-voice", "slt", "-t", SAID, "-o", str(wav)], check=True)
        audio = decode_file(str(wav), "wav")
    engine = build_transcriber(Settings(transcriber="offline"))
    engine.transcribe(audio, PIECE)  # warm-up: model loading is not the path of a recording
    root = str(package.resolve())
    seen: Counter[tuple[str, str]] = Counter()

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        if event != "call":
            return
        callee = frame.f_code.co_filename
        caller = frame.f_back.f_code.co_filename if frame.f_back else ""
        if callee.startswith(root) and callee != caller:
            seen[_name(caller, root), _name(callee, root)] += 1

    sys.setprofile(profile)
    try:
        engine.transcribe(audio, PIECE)
    finally:
        sys.setprofile(None)
    return seen


def _name(path: str, root: str) -> str:
    return str(Path(path).relative_to(root)) if path.startswith(root) else "-"


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/floor_plan.py")
    parser.add_argument("--package", type=Path, default=ROOT / "shared" / "transcription")
    args = parser.parse_args()
    files, lines = count_lines(args.package)
    seen = entries(args.package)
    visited: Counter[str] = Counter()
    for (_, callee), count in seen.items():
        visited[callee] += count
    print(f"{args.package.name}: {files} files, {lines} lines")
    print(f"one recording: {len(visited)} files visited, {sum(seen.values())} entries, {len(seen)} edges")
    for name, count in visited.most_common():
        callers = ", ".join(sorted(caller for caller, callee in seen if callee == name))
        print(f"  {count:3d}  {name}  <- {callers}")


if __name__ == "__main__":
    main()
