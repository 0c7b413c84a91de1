"""An upload stream checked on the way to storage: hashed, counted, size-capped.

Streaming straight into storage (no spool copy) keeps the front door close
to the speed of a bare "save the body" endpoint.
"""

from __future__ import annotations

import hashlib
import io

from shared.services.staged import too_large
from shared.storage.port import Readable


class CheckedUpload(io.RawIOBase):
    def __init__(self, head: bytes, rest: Readable, max_bytes: int) -> None:
        super().__init__()
        self._head = head
        self._rest = rest
        self._max_bytes = max_bytes
        self._digest = hashlib.sha256()
        self.size = 0

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.size

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:  # everything that is left
            chunk, self._head = self._head + self._rest.read(), b""
        elif self._head:
            chunk, self._head = self._head[:size], self._head[size:]
        else:
            chunk = self._rest.read(size)
        self._count(chunk)
        return bytes(chunk)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def _count(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self._max_bytes:
            raise too_large(self._max_bytes)
        self._digest.update(chunk)
