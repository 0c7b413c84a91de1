"""Mutated recordings for fuzzing the decoder and the worker (issue 19).

Seeds are one short flite recitation converted by ffmpeg into each format
learners send; mutations are the classic ones (bit flips, interesting values
in the header, truncation, chunks duplicated or cut, NaN floats), drawn from a
seeded generator so every run sees the same files.
"""

from __future__ import annotations

import random
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.support.recitations import synthesise
from tests.support.stack import require_tool

# name -> (sniffed format, ffmpeg output arguments)
SEEDS: dict[str, tuple[str, list[str]]] = {
    "pcm16.wav": ("wav", ["-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le"]),
    "float.wav": ("wav", ["-ar", "44100", "-ac", "2", "-c:a", "pcm_f32le"]),
    "speech.flac": ("flac", ["-ar", "22050", "-ac", "1", "-c:a", "flac"]),
    "speech.ogg": ("ogg", ["-ar", "32000", "-ac", "1", "-c:a", "libvorbis"]),
    "speech.mp3": ("mp3", ["-ar", "22050", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k"]),
    "speech.webm": ("webm", ["-ar", "48000", "-ac", "1", "-c:a", "libopus", "-b:a", "24k"]),
    "speech.aac": ("aac", ["-ar", "44100", "-ac", "2", "-c:a", "aac", "-b:a", "48k", "-f", "adts"]),
}
INTERESTING = (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)
NAN32 = struct.pack("<f", float("nan"))
Mutation = Callable[[bytearray, random.Random], None]


def make_seeds(folder: Path) -> dict[str, Path]:
    ffmpeg = require_tool("ffmpeg")
    source = synthesise("The Lord is my shepherd, I shall not want.", folder / "source.wav")
    seeds = {}
    for name, (_, args) in SEEDS.items():
        out = folder / name
        argv = [ffmpeg, "-y", "-loglevel", "error", "-i", str(source), *args, str(out)]
        subprocess.run(argv, check=True, timeout=60)
        seeds[name] = out
    return seeds


def _flip_bits(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 16)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)


def _interesting_header(data: bytearray, rng: random.Random) -> None:
    width = rng.choice((1, 2, 4))
    at = rng.randrange(0, max(1, min(len(data), 128) - width))
    value = rng.choice(INTERESTING) & ((1 << (8 * width)) - 1)
    data[at : at + width] = value.to_bytes(width, rng.choice(("little", "big")))


def _random_bytes(data: bytearray, rng: random.Random) -> None:
    at, size = rng.randrange(len(data)), rng.randint(1, 64)
    data[at : at + size] = rng.randbytes(size)


def _truncate(data: bytearray, rng: random.Random) -> None:
    del data[rng.randint(min(64, len(data)), len(data)) :]


def _duplicate_chunk(data: bytearray, rng: random.Random) -> None:
    at, size = rng.randrange(len(data)), rng.randint(1, 4096)
    data[at:at] = data[at : at + size] * rng.randint(1, 4)


def _cut_chunk(data: bytearray, rng: random.Random) -> None:
    at = rng.randrange(len(data))
    del data[at : at + rng.randint(1, 4096)]


def _nan_floats(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(64, max(65, len(data) - 4)) & ~3
        data[at : at + 4] = NAN32


MUTATIONS: tuple[Mutation, ...] = (
    _flip_bits,
    _interesting_header,
    _random_bytes,
    _truncate,
    _duplicate_chunk,
    _cut_chunk,
    _nan_floats,
)


def mutate(seed: bytes, rng: random.Random) -> bytes:
    data = bytearray(seed)
    for mutation in rng.sample(MUTATIONS, rng.randint(1, 3)):
        if data:
            mutation(data, rng)
    return bytes(data)


def make_mutants(seeds: dict[str, Path], folder: Path, count: int, seed: int = 19) -> list[tuple[Path, str]]:
    """``count`` mutated files spread evenly over the seeds: (path, the seed's format)."""
    rng = random.Random(seed)
    names = sorted(seeds)
    out = []
    for i in range(count):
        name = names[i % len(names)]
        path = folder / f"{i:04d}-{name}"
        path.write_bytes(mutate(seeds[name].read_bytes(), rng))
        out.append((path, SEEDS[name][0]))
    return out
