"""librosa's numba kernels, compiled in a process before it forks its workers.

numba compiles librosa's kernels on first use and caches them on disk
(``NUMBA_CACHE_DIR``). Two processes that compile the same generalised ufunc
at the same moment (yin's parabolic interpolation) can leave a cache entry
that crashes every process loading it afterwards (numba/numba#10128): seen
here when an evaluation pool's two fresh workers started together, every
later worker died with SIGSEGV in ``librosa.yin``. A prefork Celery worker's
children would do the same on a fresh container. A parent that runs the
kernels once before it forks leaves its children nothing to compile: they
inherit the compiled code, and only the parent writes the cache.
"""

from __future__ import annotations

import numpy as np

from shared.audio.analysis import analyse, voiced_pitch
from shared.audio.types import TARGET_RATE, DecodedAudio
from shared.transcription.offline.second_look.copies import sound_distance

_SECONDS = 2.0


def compile_audio_kernels() -> None:
    """Run every numba kernel the pipeline uses (pitch, the copies' DTW) on a
    short voiced signal, with the dtypes the pipeline passes them."""
    t = np.arange(int(_SECONDS * TARGET_RATE), dtype=np.float32) / TARGET_RATE
    tone = (0.3 * np.sin(2 * np.pi * 150.0 * t) * (1 + np.sin(2 * np.pi * 3.0 * t))).astype(np.float32)
    analyse(DecodedAudio(tone, "wav", TARGET_RATE, 1))
    voiced_pitch(tone)  # the analysis skips pitch where it hears no speech
    sound_distance(tone, (0.0, _SECONDS / 2), (_SECONDS / 2, _SECONDS))
