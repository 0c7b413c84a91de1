import pickle

from shared.transcription.port import TranscriptionError


def test_transcription_error_survives_pickling() -> None:
    """Celery and process pools pickle it; a default Exception pickle loses the
    keyword and fails to rebuild."""
    error = TranscriptionError("engine_unavailable", "The engine is down.", retryable=True)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.message, copy.retryable) == ("engine_unavailable", "The engine is down.", True)
    assert str(copy) == "The engine is down."
