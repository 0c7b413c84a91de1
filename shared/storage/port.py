"""The storage port and the factory that picks a backend from a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse


class StorageError(Exception):
    """The storage backend failed (unreachable, missing object, …)."""


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Storage(Protocol):
    url: str

    def put(self, key: str, stream: Readable, content_type: str) -> None:
        """Store ``stream`` under ``key`` (server-generated, never client-supplied)."""
        ...

    def adopt(self, key: str, path: Path, content_type: str) -> None:
        """Store a finished local file under ``key``; storage owns (and removes) it."""
        ...

    def staging_folder(self) -> Path:
        """Where the front door writes uploads before ``adopt`` (cheap to move from)."""
        ...

    def download_to(self, key: str, path: Path) -> None:
        """Copy the object to a local file (workers decode from disk)."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove the object; removing one that is already gone is not an error."""
        ...

    def check(self) -> None:
        """Raise StorageError when the backend is not usable (readiness probe)."""
        ...


def build_storage(url: str) -> Storage:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        from shared.storage.local import LocalStorage

        return LocalStorage(Path(parsed.path))
    if parsed.scheme == "gs":
        from shared.storage.gcs import GcsStorage

        return GcsStorage(parsed.netloc, prefix=parsed.path.lstrip("/"))
    raise ValueError(f"unsupported storage URL {url!r}: use file:///path or gs://bucket")
