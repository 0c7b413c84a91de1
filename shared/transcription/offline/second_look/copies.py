"""Does a word the engine heard twice in a row sound the same both times?

A piece-biased engine hears a slip as a word the piece predicts, often the
very word the learner then says correctly: "can [pocket] … can long" comes
out "can … can long". The text alone reads that as a repetition. But a
learner repeating a word says it the same way twice, while a slip heard as
the word does not sound like it. So each word that copies the word before
it is compared with that word by sound: MFCCs of both stretches, each
normalised to zero mean and unit variance (so channel and loudness drop
out), aligned by dynamic time warping; the mean step cost of the best path
is the distance. A copy farther than ``UNLIKE_DISTANCE`` from its original
is marked ``unlike_previous``; the scorer decides what that means
(``shared.domain.repairs``).
"""

from __future__ import annotations

from collections.abc import Sequence

import librosa
import numpy as np
import numpy.typing as npt

from shared.audio.types import TARGET_RATE
from shared.domain.transcript import SpokenWord

# Measured on the evaluation's six-round sets (docs/scoring.md): the 90 copies
# that were real repetitions lay at 0–4.1 (90 % under 3.1); slips heard as the
# word after a pause at 3.6–4.2.
UNLIKE_DISTANCE = 3.5
_HOP = TARGET_RATE // 100  # 10 ms frames
_MIN_FRAMES = 5  # shorter stretches carry too little sound to compare


def mark_unlike_copies(samples: npt.NDArray[np.float32], words: Sequence[SpokenWord]) -> list[SpokenWord]:
    """The words, with each copy of the word before marked when it sounds unlike it."""
    out = list(words)
    for k in range(1, len(out)):
        before, word = out[k - 1], out[k]
        if word.text.lower() != before.text.lower():
            continue
        distance = sound_distance(samples, (before.start, before.end), (word.start, word.end))
        if distance is not None and distance > UNLIKE_DISTANCE:
            out[k] = word._replace(unlike_previous=True)
    return out


def sound_distance(
    samples: npt.NDArray[np.float32], first: tuple[float, float], second: tuple[float, float]
) -> float | None:
    """Mean DTW step cost between two stretches' normalised MFCCs (None when
    either is too short to say)."""
    a, b = _features(samples, *first), _features(samples, *second)
    if a is None or b is None:
        return None
    cost, path = librosa.sequence.dtw(X=a, Y=b, metric="euclidean")
    return float(cost[-1, -1]) / len(path)


def _features(samples: npt.NDArray[np.float32], start: float, end: float) -> npt.NDArray[np.float64] | None:
    stretch = samples[int(start * TARGET_RATE) : int(end * TARGET_RATE)]
    if len(stretch) < _MIN_FRAMES * _HOP:
        return None
    mfcc = librosa.feature.mfcc(y=stretch, sr=TARGET_RATE, n_mfcc=13, n_fft=400, hop_length=_HOP, n_mels=40)
    mfcc = mfcc[1:]  # the first coefficient is loudness
    mfcc = mfcc - mfcc.mean(axis=1, keepdims=True)
    return np.asarray(mfcc / (mfcc.std(axis=1, keepdims=True) + 1e-6), dtype=np.float64)
