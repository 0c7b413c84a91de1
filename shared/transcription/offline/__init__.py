"""The offline engine: PocketSphinx biased toward the piece (``engine``), its
decoder and front end, the piece's language model (``piece_model``,
``confusions``, ``pronunciations``) and its ``second_look``."""

from shared.transcription.offline.engine import RECOGNITION_VERSION, OfflineTranscriber

__all__ = ["RECOGNITION_VERSION", "OfflineTranscriber"]
