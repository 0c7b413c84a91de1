"""A word heard twice is compared with itself by sound (real synthesised speech)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from shared.audio.decode import decode_file
from shared.audio.types import TARGET_RATE
from shared.domain.transcript import SpokenWord, Transcript
from shared.transcription.offline.second_look.copies import (
    UNLIKE_DISTANCE,
    mark_unlike_copies,
    sound_distance,
)


def _say(word: str, folder: Path, stretch: float = 1.0) -> np.ndarray:
    if shutil.which("flite") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("flite is required under CI=true")
        pytest.skip("flite is not installed")
    path = folder / f"{word}-{stretch}.wav"
    args = ["flite", "-voice", "slt", "--setf", f"duration_stretch={stretch}", "-t", word, "-o", str(path)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    samples = decode_file(str(path), "wav").samples
    loud = np.flatnonzero(np.abs(samples) > 0.02)
    return samples[loud[0] : loud[-1] + 1]  # the word without flite's own silence


def _two_words(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, list[SpokenWord]]:
    """first, 0.4 s of silence, second; both heard as "can"."""
    gap = np.zeros(int(0.4 * TARGET_RATE), np.float32)
    samples = np.concatenate([gap, first, gap, second, gap]).astype(np.float32)
    a = 0.4
    b = a + len(first) / TARGET_RATE
    c = b + 0.4
    d = c + len(second) / TARGET_RATE
    return samples, [SpokenWord("can", a, b), SpokenWord("can", c, d)]


def test_a_word_said_twice_sounds_alike_even_at_another_pace(tmp_path: Path) -> None:
    samples, words = _two_words(_say("can", tmp_path), _say("can", tmp_path, stretch=1.3))
    marked = mark_unlike_copies(samples, words)
    assert [w.unlike_previous for w in marked] == [False, False]
    distance = sound_distance(samples, (words[0].start, words[0].end), (words[1].start, words[1].end))
    assert distance is not None and distance < UNLIKE_DISTANCE


def test_a_slip_heard_as_the_word_does_not_sound_like_it(tmp_path: Path) -> None:
    samples, words = _two_words(_say("pocket", tmp_path), _say("can", tmp_path))
    assert [w.unlike_previous for w in mark_unlike_copies(samples, words)] == [False, True]


def test_only_copies_are_compared_and_short_stretches_are_not_judged(tmp_path: Path) -> None:
    samples, words = _two_words(_say("pocket", tmp_path), _say("can", tmp_path))
    other = [words[0], SpokenWord("cannot", words[1].start, words[1].end)]
    assert not any(w.unlike_previous for w in mark_unlike_copies(samples, other))
    tiny = [words[0], SpokenWord("can", words[1].start, words[1].start + 0.02)]
    assert not any(w.unlike_previous for w in mark_unlike_copies(samples, tiny))


def test_the_mark_is_kept_when_a_transcript_is_stored() -> None:
    words = (SpokenWord("can", 0.4, 0.6, 0.9), SpokenWord("can", 1.1, 1.3, 0.5, True))
    stored = Transcript(words=words, engine="offline", model="m").to_dict()
    assert "unlike_previous" not in stored["words"][0]  # unmarked words are stored as before
    assert Transcript.from_dict(stored).words == words


def test_the_sound_alike_mark_is_kept_when_a_transcript_is_stored() -> None:
    words = (SpokenWord("my", 0.1, 0.3), SpokenWord("sell", 0.4, 0.8, 0.6, sounds_like="soul"))
    stored = Transcript(words=words, engine="offline", model="m").to_dict()
    assert "sounds_like" not in stored["words"][0]  # unmarked words are stored as before
    assert stored["words"][1]["sounds_like"] == "soul"
    assert Transcript.from_dict(stored).words == words
