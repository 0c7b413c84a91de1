"""Speech material for benchmarks: flite recitations joined with pauses (sox)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import soundfile as sf

SENTENCES = [
    "The Lord is my shepherd; I shall not want.",
    "He maketh me to lie down in green pastures: he leadeth me beside the still waters.",
    "He restoreth my soul: he leadeth me in the paths of righteousness for his name's sake.",
    "Yea, though I walk through the valley of the shadow of death, I will fear no evil.",
    "For thou art with me; thy rod and thy staff they comfort me.",
]
RATE = 16000


def sentence_audio(folder: Path) -> list[np.ndarray]:
    clips = []
    for i, text in enumerate(SENTENCES):
        path = folder / f"s{i}.wav"
        if not path.exists():
            subprocess.run(["flite", "-voice", "slt", "-t", text, "-o", str(path)], check=True)
        samples, rate = sf.read(path, dtype="float32")
        assert rate == RATE
        clips.append(samples)
    return clips


def recitation(folder: Path, seconds: float, name: str) -> tuple[Path, str]:
    """A WAV of about ``seconds``: the psalm's sentences over and over, 0.6 s apart."""
    clips = sentence_audio(folder)
    pause = np.zeros(int(0.6 * RATE), dtype=np.float32)
    parts, words, total, i = [], [], 0, 0
    while total < seconds * RATE:
        clip = clips[i % len(clips)]
        parts += [clip, pause]
        words.append(SENTENCES[i % len(SENTENCES)])
        total += len(clip) + len(pause)
        i += 1
    path = folder / f"{name}.wav"
    sf.write(path, np.concatenate(parts), RATE, subtype="PCM_16")
    return path, " ".join(words)
