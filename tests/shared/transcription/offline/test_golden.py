"""Golden recognition: fixed flite recordings and the words the offline engine
hears in them, stored with the RECOGNITION_VERSION that heard them.

The transcript cache is keyed by that version, so a change to what the
engine hears (biasing, front end, a second look) without a bump would serve
stale transcripts; this test fails instead. Regenerate after a bump with
``RECITAL_WRITE_GOLDEN=1 pytest tests/shared/transcription/offline/test_golden.py``.
The recordings' audio is fingerprinted too: another flite build that
speaks differently fails with the audio named, not as a recognition change.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from shared.audio.decode import decode_file
from shared.transcription.offline import RECOGNITION_VERSION, OfflineTranscriber
from tests.support import golden
from tests.support.recitations import synthesise

GOLDEN = Path(__file__).parent / "golden" / "recognition.json"
LINCOLN = "He restoreth my soul. Let us strive on to finish the work we are in."
PASTURES = "He maketh me to lie down in green pastures: he leadeth me beside the still waters."
# name: (piece or None for the generic search, what the voice says, voice)
CASES: dict[str, tuple[str | None, str, str]] = {
    # a sound-alike ("sell"), a doubled word and fillers: every second look runs
    "second_looks": (
        LINCOLN,
        "He restoreth my sell. Let us strive on to to finish, uh, the work we are, uh, in.",
        "slt",
    ),
    "filler": (
        PASTURES,
        "He maketh me to lie down, um, in green pastures: he leadeth me beside the still waters.",
        "slt",
    ),
    "skip": (PASTURES, "He maketh me to lie down beside the still waters.", "awb"),
    "generic": (None, "We can can go home now.", "rms"),
}


def _heard(
    engine: OfflineTranscriber, piece: str | None, said: str, voice: str, folder: Path
) -> dict[str, Any]:
    audio = decode_file(str(synthesise(said, folder / f"{voice}.wav", voice=voice)), "wav")
    transcript = engine.transcribe(audio, piece)
    assert transcript.recognition_version == RECOGNITION_VERSION
    words = [
        [
            w.text,
            w.start,
            w.end,
            None if w.confidence is None else round(w.confidence, 4),
            w.unlike_previous,
            w.sounds_like,
        ]
        for w in transcript.words
    ]
    return {"audio": hashlib.sha256(audio.samples.tobytes()).hexdigest()[:16], "words": words}


def test_fixed_recordings_are_heard_as_the_golden_file_says(tmp_path: Path) -> None:
    engine = OfflineTranscriber()
    outputs = {}
    for name, (piece, said, voice) in CASES.items():
        folder = tmp_path / name
        folder.mkdir()
        outputs[name] = _heard(engine, piece, said, voice, folder)
    golden.check(
        GOLDEN, "RECOGNITION_VERSION", RECOGNITION_VERSION, "shared/transcription/offline/engine.py", outputs
    )


def _same_audio(outputs: dict[str, Any]) -> None:
    if golden.writing() or not GOLDEN.exists():
        return
    stored = json.loads(GOLDEN.read_text())["cases"]
    for name, output in outputs.items():
        before = stored.get(name, {}).get("audio")
        if before is not None and before != output["audio"]:
            pytest.fail(
                f"flite spoke case {name!r} differently from when {GOLDEN.name} was made "
                "(another flite build?): the recording is not the fixed one, so nothing can be said "
                "about recognition; make the file anew with RECITAL_WRITE_GOLDEN=1 on this machine"
            )
