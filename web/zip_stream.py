"""A zip archive written while it is sent: each member's bytes go out as they are
read, so an archive of a learner's recordings never sits whole in memory or on disk.

zipfile writes to a stream it cannot seek by giving each member a data descriptor
after its bytes (sizes and CRC once known), which every unzip tool reads; members
are ZIP64 from the start, so one over 4 GB needs no rewrite of its header.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Member:
    name: str
    chunks: Iterable[bytes]
    modified: datetime
    compress: bool = True  # False for audio: already compressed, or not worth the CPU


class _Outbox(io.RawIOBase):
    """Collects what zipfile writes until the generator hands it on."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = bytes(data)
        self._chunks.append(chunk)
        return len(chunk)

    def take(self) -> bytes:
        taken = b"".join(self._chunks)
        self._chunks.clear()
        return taken


def zip_stream(members: Iterable[Member]) -> Iterator[bytes]:
    outbox = _Outbox()
    with zipfile.ZipFile(outbox, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, member.modified.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED if member.compress else zipfile.ZIP_STORED
            with archive.open(info, "w", force_zip64=True) as entry:
                for chunk in member.chunks:
                    entry.write(chunk)
                    if sent := outbox.take():
                        yield sent
            yield outbox.take()
    yield outbox.take()  # the central directory
