"""Local storage keeps every key inside its root."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from shared.storage.local import LocalStorage
from shared.storage.port import StorageError


def test_put_adopt_and_download_round_trip(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "store")
    storage.put("attempts/a/1.wav", io.BytesIO(b"RIFF one"), "audio/wav")
    staged = tmp_path / "staged"
    staged.write_bytes(b"RIFF two")
    storage.adopt("attempts/a/2.wav", staged, "audio/wav")
    for key, body in (("attempts/a/1.wav", b"RIFF one"), ("attempts/a/2.wav", b"RIFF two")):
        storage.download_to(key, tmp_path / "out")
        assert (tmp_path / "out").read_bytes() == body
    assert not staged.exists()  # adopted, not copied


@pytest.mark.parametrize("key", ["../outside.wav", "/etc/passwd", "attempts/../../x.wav", ""])
def test_keys_that_climb_out_are_refused(tmp_path: Path, key: str) -> None:
    storage = LocalStorage(tmp_path / "store")
    with pytest.raises(StorageError, match="escapes"):
        storage.put(key, io.BytesIO(b"x"), "audio/wav")
    assert not (tmp_path / "outside.wav").exists()
