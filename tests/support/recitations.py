"""Test recitations synthesised with flite, whose voices are built from real speakers."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

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
    return [replace(w, text=new) if w.text == old else w for w in words]
