"""The storage port: what the services need of a backend (``factory`` picks one)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


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

    def check(self) -> None:
        """Raise StorageError when the backend is not usable (readiness probe)."""
        ...
