"""Plain data passed between decoding, analysis and transcription."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

TARGET_RATE = 16_000


class AudioError(Exception):
    """Bad or unusable audio. ``code`` is machine-readable, ``message`` is for the learner."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type[AudioError], tuple[str, str]]:
        # Pickled by Celery and by process pools (the evaluation): rebuilt with
        # both arguments, where Exception's default would pass the message alone.
        return type(self), (self.code, self.message)


@dataclass(frozen=True, slots=True)
class DecodedAudio:
    samples: npt.NDArray[np.float32]  # mono, TARGET_RATE, in [-1, 1]
    source_format: str  # from the allow-list: wav, flac, ogg, opus, webm, mp3, m4a, aac
    source_rate: int
    source_channels: int
    # How far the pipeline raised a faint recording (shared.audio.gain); levels
    # the analysis reports are as recorded, so it subtracts this.
    gain_db: float = 0.0

    @property
    def sample_rate(self) -> int:
        return TARGET_RATE

    @property
    def duration(self) -> float:
        return len(self.samples) / TARGET_RATE


@dataclass(frozen=True, slots=True)
class Analysis:
    duration: float
    speech_duration: float
    speech_segments: tuple[tuple[float, float], ...]
    pauses: tuple[tuple[float, float], ...]  # silences between speech segments
    # Every silence the voice-activity detector heard inside the speech, as it
    # heard it (not padded or merged like the segments): a stop of a third of a
    # second before a repair shows here even where the segments bridge it.
    silences: tuple[tuple[float, float], ...] = ()
    warnings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # pitch, loudness, SNR, rates…

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["speech_segments"] = [list(s) for s in self.speech_segments]
        data["pauses"] = [list(p) for p in self.pauses]
        data["silences"] = [list(s) for s in self.silences]
        data["warnings"] = list(self.warnings)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            duration=float(data["duration"]),
            speech_duration=float(data["speech_duration"]),
            speech_segments=tuple((float(a), float(b)) for a, b in data["speech_segments"]),
            pauses=tuple((float(a), float(b)) for a, b in data["pauses"]),
            # Analyses stored before silences were kept have none: their repairs
            # are judged on the pauses alone, as when they were first scored.
            silences=tuple((float(a), float(b)) for a, b in data.get("silences", ())),
            warnings=tuple(data.get("warnings", ())),
            extra=dict(data.get("extra", {})),
        )
