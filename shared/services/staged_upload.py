"""An upload written once, straight from the request body into a file beside
storage: hashed, counted, size-capped and sniffed as it is written.

The front door would otherwise write the body to a temporary file, then read
it back to hash it and write it again into storage. With a staged file,
storing is a rename (local storage) or one upload from disk (GCS).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from shared.audio.sniff import SNIFF_BYTES
from shared.services.errors import ErrorKind, ServiceError
from shared.services.messages import size_text


def too_large(max_bytes: int) -> ServiceError:
    return ServiceError(
        ErrorKind.TOO_LARGE,
        "recording_too_large",
        f"Recordings are limited to {size_text(max_bytes)}.",
    )


class UploadMeter:
    """Hash, count and cap the bytes of one upload as they pass."""

    def __init__(self, max_bytes: int) -> None:
        self._digest = hashlib.sha256()
        self._max_bytes = max_bytes
        self.size = 0

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def add(self, chunk: bytes | memoryview) -> None:
        self.size += len(chunk)
        if self.size > self._max_bytes:
            raise too_large(self._max_bytes)
        self._digest.update(chunk)


class StagedFile(io.RawIOBase):
    def __init__(self, folder: Path, max_bytes: int) -> None:
        super().__init__()
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=".staged-")
        self.path = Path(name)
        self._file = os.fdopen(fd, "w+b")
        self._handed_over = False
        self.meter = UploadMeter(max_bytes)
        self.head = b""

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = memoryview(data).cast("B")
        self.meter.add(chunk)
        if len(self.head) < SNIFF_BYTES:
            self.head += bytes(chunk[: SNIFF_BYTES - len(self.head)])
        return self._file.write(chunk)

    def read(self, size: int | None = -1) -> bytes:
        return self._file.read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def hand_over(self) -> Path:
        """Close the file and give its path to storage, which now owns it."""
        self._file.close()
        self._handed_over = True
        return self.path

    def close(self) -> None:
        # Called at the end of every request: a file storage did not take is removed.
        if not self._file.closed:
            self._file.close()
        if not self._handed_over:
            self.path.unlink(missing_ok=True)
        super().close()
