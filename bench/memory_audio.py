"""Long recordings for the memory benchmark: flite speech with pauses, tiled.

A two-minute "unit" is synthesised once (several flite voices reading the
sentences of Psalm 23, with pauses of 0.4–2.5 s between them, so the VAD,
pitch and chunking see speech-like structure), then repeated into 1-, 10- and
60-minute recordings written as 16 kHz mono 16-bit WAV and as Opus in Ogg
(24 kbit/s, what a phone app would send). Files are cached between runs.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf

RATE = 16_000
CACHE = Path(tempfile.gettempdir()) / "recital-bench-memory"
VOICES = ("slt", "rms", "awb", "kal16")
SENTENCES = (
    "The Lord is my shepherd; I shall not want.",
    "He maketh me to lie down in green pastures: he leadeth me beside the still waters.",
    "He restoreth my soul: he leadeth me in the paths of righteousness for his name's sake.",
    "Yea, though I walk through the valley of the shadow of death, I will fear no evil:",
    "for thou art with me; thy rod and thy staff they comfort me.",
)
PAUSES = (0.4, 0.9, 1.6, 0.6, 2.5)


@dataclass(frozen=True)
class Unit:
    samples: npt.NDArray[np.int16]
    text: str  # what is spoken in one unit

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


def unit() -> Unit:
    """Every voice reading every sentence once, with pauses: ~114 s of audio."""
    CACHE.mkdir(parents=True, exist_ok=True)
    parts: list[npt.NDArray[np.int16]] = []
    words: list[str] = []
    for v, voice in enumerate(VOICES):
        for s, sentence in enumerate(SENTENCES):
            path = CACHE / f"{voice}-{s}.wav"
            if not path.exists():
                subprocess.run(["flite", "-voice", voice, "-t", sentence, "-o", str(path)], check=True)
            speech, rate = sf.read(path, dtype="int16")
            assert rate == RATE, rate
            parts.append(speech)
            parts.append(np.zeros(int(PAUSES[(s + v) % len(PAUSES)] * RATE), np.int16))
            words.append(sentence)
    return Unit(np.concatenate(parts), " ".join(words))


def recording(minutes: float, fmt: str) -> tuple[Path, str]:
    """A ``minutes`` long recording in ``fmt`` (wav | opus) and the text spoken in it."""
    base = unit()
    repeats = int(np.ceil(minutes * 60 / base.seconds))
    text = " ".join([base.text] * repeats)
    wav = CACHE / f"speech-{minutes:g}min.wav"
    if not wav.exists():
        _write_wav(wav, base.samples, int(minutes * 60 * RATE))
    if fmt == "wav":
        return wav, text
    opus = CACHE / f"speech-{minutes:g}min.opus"
    if not opus.exists():
        ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
        argv = [ffmpeg, "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", "-b:a", "24k"]
        subprocess.run([*argv, str(opus)], check=True)
    return opus, text


def _write_wav(path: Path, block: npt.NDArray[np.int16], total: int) -> None:
    partial = path.with_suffix(".part")
    with sf.SoundFile(partial, "w", RATE, 1, "PCM_16", format="WAV") as out:
        written = 0
        while written < total:
            piece = block[: total - written]
            out.write(piece)
            written += len(piece)
    partial.rename(path)
