"""Test recitations synthesised with flite, whose voices are built from real speakers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from shared.domain.transcript import SpokenWord
from tests.support.stack import require_tool

PSALM_23 = (
    "The Lord is my shepherd; I shall not want. "
    "He maketh me to lie down in green pastures: he leadeth me beside the still waters. "
    "He restoreth my soul: he leadeth me in the paths of righteousness for his name's sake. "
    "Yea, though I walk through the valley of the shadow of death, I will fear no evil: "
    "for thou art with me; thy rod and thy staff they comfort me."
)


def synthesise(text: str, out: Path, voice: str = "slt") -> Path:
    """Speak ``text`` with a flite voice into a 16 kHz WAV file."""
    flite = require_tool("flite")
    subprocess.run([flite, "-voice", voice, "-t", text, "-o", str(out)], check=True)
    return out


def skip_middle(text: str) -> str:
    """A reading that skips the middle half of the words."""
    words = text.split()
    quarter = len(words) // 4
    return " ".join(words[:quarter] + words[3 * quarter :])


def swap_word(words: list[SpokenWord], old: str, new: str) -> list[SpokenWord]:
    """The heard words with every ``old`` written as ``new``: a first pass's
    mishearing set by hand (flite's clean speech is heard right)."""
    assert old in [w.text for w in words]
    return [w._replace(text=new) if w.text == old else w for w in words]


def faint_copy(source: Path, out: Path, seed: int = 3) -> Path:
    """``source`` as a microphone far away delivers it: peaks near -36 dBFS
    over a -70 dBFS pink floor, 16-bit (the evaluation's ``faint`` condition)."""
    import soundfile as sf

    from bench.eval.audio import faint

    samples, rate = sf.read(source, dtype="float32")
    quiet_lead = np.zeros(rate // 2, dtype=np.float32)  # the floor alone before and after, as a room has
    sf.write(out, faint(np.concatenate([quiet_lead, samples, quiet_lead]), seed), rate, subtype="PCM_16")
    return out
