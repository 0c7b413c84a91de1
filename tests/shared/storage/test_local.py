"""Local storage keeps every key inside its root."""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
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


def test_deleting_a_folders_last_recording_removes_the_empty_folders(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "store")
    storage.put("attempts/a/1.wav", io.BytesIO(b"RIFF one"), "audio/wav")
    storage.put("attempts/a/2.wav", io.BytesIO(b"RIFF two"), "audio/wav")
    storage.put("attempts/b/1.wav", io.BytesIO(b"RIFF three"), "audio/wav")
    storage.delete("attempts/a/1.wav")
    assert (tmp_path / "store/attempts/a").is_dir()  # 2.wav is still there
    storage.delete("attempts/a/2.wav")
    assert not (tmp_path / "store/attempts/a").exists()
    assert (tmp_path / "store/attempts/b/1.wav").read_bytes() == b"RIFF three"
    storage.delete("attempts/b/1.wav")
    assert list((tmp_path / "store").iterdir()) == []  # the root itself stays
    storage.delete("attempts/b/1.wav")  # deleting twice is no error


def test_a_write_racing_the_delete_of_its_folder_still_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = LocalStorage(tmp_path / "store")
    real_mkstemp = tempfile.mkstemp
    calls = []

    def mkstemp_after_a_delete(**kwargs: str) -> tuple[int, str]:
        calls.append(kwargs["dir"])
        if len(calls) == 1:  # another request deleted the folder's last file just now
            Path(kwargs["dir"]).rmdir()
        return real_mkstemp(**kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_after_a_delete)
    storage.put("attempts/a/1.wav", io.BytesIO(b"RIFF one"), "audio/wav")
    assert len(calls) == 2
    assert (tmp_path / "store/attempts/a/1.wav").read_bytes() == b"RIFF one"


def test_an_adoption_racing_the_delete_of_its_folder_still_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = LocalStorage(tmp_path / "store")
    real_move = shutil.move
    calls = []

    def move_after_a_delete(source: Path, target: Path) -> object:
        calls.append(target)
        if len(calls) == 1:
            target.parent.rmdir()
        return real_move(source, target)

    monkeypatch.setattr(shutil, "move", move_after_a_delete)
    staged = tmp_path / "staged"
    staged.write_bytes(b"RIFF two")
    storage.adopt("attempts/a/2.wav", staged, "audio/wav")
    assert len(calls) == 2
    assert (tmp_path / "store/attempts/a/2.wav").read_bytes() == b"RIFF two"


def test_writes_and_deletes_racing_in_one_folder_lose_nothing(tmp_path: Path) -> None:
    """Two writers that each put and delete in the same learner's folder: every put lands."""
    storage = LocalStorage(tmp_path / "store")
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for n in range(400):
                key = f"attempts/u1/{name}-{n}.flac"
                storage.put(key, io.BytesIO(b"fLaC"), "audio/flac")
                assert storage.exists(key)
                storage.delete(key)
        except BaseException as exc:  # noqa: BLE001 - reported below, with the thread's name
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"w{k}",)) for k in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert list((tmp_path / "store").iterdir()) == []
