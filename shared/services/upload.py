"""An upload stream checked on the way to storage: hashed, counted, size-capped.

Streaming straight into storage (no spool copy) keeps the front door close
to the speed of a bare "save the body" endpoint.
"""

from __future__ import annotations

import io

from shared.services.staged_upload import UploadMeter
from shared.storage.port import Readable


class CheckedUpload(io.RawIOBase):
    def __init__(self, head: bytes, rest: Readable, max_bytes: int) -> None:
        super().__init__()
        self._head = head
        self._rest = rest
        self.meter = UploadMeter(max_bytes)

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.meter.size

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:  # everything that is left
            chunk, self._head = self._head + self._rest.read(), b""
        elif self._head:
            chunk, self._head = self._head[:size], self._head[size:]
        else:
            chunk = self._rest.read(size)
        self.meter.add(chunk)
        return bytes(chunk)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
