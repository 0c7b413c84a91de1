"""Recording storage behind one interface: a local directory or Google Cloud Storage."""

from shared.storage.factory import build_storage
from shared.storage.port import Storage, StorageError

__all__ = ["Storage", "StorageError", "build_storage"]
