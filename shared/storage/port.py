"""The storage port: what the services need of a backend (``factory`` picks one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class StorageError(Exception):
    """The storage backend failed (unreachable, missing object, …)."""


class RecordingMissing(StorageError):
    """Storage answered, and holds no object under that key (deleted, or never stored)."""


class DirectUploadUnavailable(Exception):
    """This backend cannot hand a client a URL to upload to (local storage)."""


@dataclass(frozen=True)
class SignedUpload:
    url: str
    headers: dict[str, str]  # the client must send exactly these with its PUT


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ReadableFile(Readable, Protocol):
    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def close(self) -> None: ...


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
        """Copy the object to a local file (workers decode from disk); RecordingMissing when there is none."""
        ...

    def exists(self, key: str) -> bool: ...

    def sign_upload(self, key: str, content_type: str, size: int, seconds: int) -> SignedUpload:
        """A URL the client PUTs exactly ``size`` bytes of ``content_type`` to, for ``seconds``."""
        ...

    def open_read(self, key: str) -> ReadableFile:
        """The object as a stream, for playback (RecordingMissing when it is missing)."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object under ``key``; a missing object is not an error."""
        ...

    def check(self) -> None:
        """Raise StorageError when the backend is not usable (readiness probe)."""
        ...
