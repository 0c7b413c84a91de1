"""Local-directory storage for the embedded mode and single-machine installs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TypeVar

from shared.storage.port import (
    DirectUploadUnavailable,
    Readable,
    ReadableFile,
    RecordingMissing,
    SignedUpload,
    StorageError,
)

T = TypeVar("T")
WRITE_TRIES = 10  # each lost race is another request deleting that folder's last file


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = root.as_uri()

    def _path(self, key: str) -> Path:
        # Checked by its words, not by resolving links on disk (a syscall per
        # folder, on every upload): keys are relative and never climb out.
        parts = PurePosixPath(key).parts
        if not parts or key.startswith("/") or ".." in parts:
            raise StorageError(f"key escapes the storage root: {key!r}")
        return self.root.joinpath(*parts)

    def put(self, key: str, stream: Readable, content_type: str) -> None:
        path = self._path(key)
        # Write then rename, so a crash never leaves a half-written recording.
        fd, tmp = _retried_in(path.parent, lambda: tempfile.mkstemp(dir=path.parent, prefix=".upload-"))
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(stream, out, 1024 * 1024)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def adopt(self, key: str, path: Path, content_type: str) -> None:
        target = self._path(key)
        _retried_in(target.parent, lambda: shutil.move(path, target))  # a rename on the same file system

    def staging_folder(self) -> Path:
        return self.root / ".staging"

    def download_to(self, key: str, path: Path) -> None:
        source = self._path(key)
        if not source.exists():
            raise RecordingMissing(f"no recording stored under {key!r}")
        shutil.copyfile(source, path)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def sign_upload(self, key: str, content_type: str, size: int, seconds: int) -> SignedUpload:
        raise DirectUploadUnavailable("local storage has no upload URLs; upload through the API")

    def open_read(self, key: str) -> ReadableFile:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise RecordingMissing(f"no recording stored under {key!r}") from exc

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        # A learner's last recording gone leaves no empty folder behind (an
        # erased account's folder goes with its last file): up to the root,
        # each folder that is now empty is removed.
        for folder in path.parents:
            if folder == self.root or self.root not in folder.parents:
                break
            try:
                folder.rmdir()
            except OSError:  # not empty (or already gone): the folders above are kept too
                break

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"storage directory unusable: {exc}") from exc
        if not os.access(self.root, os.W_OK):
            raise StorageError(f"storage directory not writable: {self.root}")


def _retried_in(folder: Path, write: Callable[[], T]) -> T:
    """``write`` into ``folder``, made first. A delete of a folder's last file removes
    the folder, and may do so between the two, or between making the folder's parent
    and the folder itself (FileNotFoundError, or FileExistsError from pathlib's own
    retry): then both are done again."""
    for attempt in range(WRITE_TRIES):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return write()
        except (FileNotFoundError, FileExistsError):
            if attempt == WRITE_TRIES - 1:
                raise
    raise AssertionError("unreachable")
