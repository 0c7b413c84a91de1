"""Audio errors cross process boundaries (Celery, the evaluation's process pool) intact."""

from __future__ import annotations

import pickle

from shared.audio.types import AudioError


def test_an_audio_error_survives_pickling_with_its_code_and_message() -> None:
    message = "Please record the whole piece."
    copy = pickle.loads(pickle.dumps(AudioError("too_short", message)))
    assert isinstance(copy, AudioError)
    assert (copy.code, copy.message, str(copy)) == ("too_short", message, message)
