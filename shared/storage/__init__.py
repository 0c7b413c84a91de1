"""Recording storage behind one interface: a local directory or Google Cloud Storage."""

from shared.storage.factory import build_storage
from shared.storage.port import RecordingMissing, Storage, StorageError

__all__ = ["RecordingMissing", "Storage", "StorageError", "build_storage"]
