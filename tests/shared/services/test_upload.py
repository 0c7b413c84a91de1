"""The checked upload stream reads like a file, whatever sizes the consumer asks for."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from shared.services.errors import ServiceError
from shared.services.upload import CheckedUpload

DATA = os.urandom(300_000)


def checked(max_bytes: int = 10**6) -> CheckedUpload:
    source = io.BytesIO(DATA)
    return CheckedUpload(source.read(4096), source, max_bytes)


@pytest.mark.parametrize("size", [-1, None, 1, 1000, 4096, 65536])
def test_reads_everything_once_and_hashes_it(size: int | None) -> None:
    upload, parts = checked(), []
    while chunk := upload.read(size):
        parts.append(chunk)
    assert b"".join(parts) == DATA
    assert upload.meter.size == len(DATA) == upload.tell()
    assert upload.meter.sha256 == hashlib.sha256(DATA).hexdigest()


def test_stops_past_the_limit() -> None:
    upload = checked(max_bytes=100_000)
    with pytest.raises(ServiceError) as raised:
        while upload.read(8192):
            pass
    assert raised.value.code == "recording_too_large"
