"""Recording storage behind one interface: a local directory or Google Cloud Storage."""

from shared.storage.port import Storage, StorageError, build_storage

__all__ = ["Storage", "StorageError", "build_storage"]
